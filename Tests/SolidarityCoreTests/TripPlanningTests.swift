import Foundation
import Testing
@testable import SolidarityCore

/// Trips that plan themselves: the status an activity's dates give, plans whose dates have passed,
/// cancelling that closes follow-ups, and a home that must exist before `init` writes anything.
@Suite("Trips that plan themselves")
struct TripPlanningTests {
    let today = try! PartialDate("2026-12-05")

    func trip(_ start: String?, status: Activity.Status = .done, followUps: [Activity.FollowUp] = []) throws -> Activity {
        Activity(kind: .delegation, title: "Trip of \(start ?? "undated")", status: status, start: try start.map(PartialDate.init), followUps: followUps)
    }

    @Test("an activity has not started only while its first possible day is after today, whatever the precision")
    func partialDates() throws {
        let rule = StatusRule(today: today)
        let expected: [(String?, Activity.Status)] = [
            ("2026-12", .done), ("2026", .done), ("2026-12-05", .done), ("2026-12-04", .done),
            ("2026-12-06", .planned), ("2027-01", .planned), ("2027", .planned), (nil, .done),
        ]
        for (start, status) in expected {
            #expect(rule.status(stated: nil, for: try trip(start)) == status, "\(start ?? "undated")")
            #expect(rule.status(stated: .cancelled, for: try trip(start)) == .cancelled, "a stated status is kept")
        }
    }

    @Test("logging without a status: planned when it starts after today, done otherwise")
    func logDefault() throws {
        let (store, folder) = try makeStore()
        defer { folder.remove() }
        #expect(try store.log(try trip("2027-05"), status: nil, today: today).status == .planned)
        #expect(try store.log(try trip("2026-11"), status: nil, today: today).status == .done)
        #expect(try store.log(try trip("2027-06"), status: .cancelled, today: today).status == .cancelled)
    }

    @Test("logging as done an activity that has not started is refused with the reason, and nothing is written")
    func logDoneTooSoon() throws {
        let (store, folder) = try makeStore()
        defer { folder.remove() }
        let before = contents(folder.path("test.sqlite"))
        #expect { try store.log(try trip("2027-05"), status: .done, today: today) } throws: { error in
            let error = try #require(error as? SolidarityError)
            return error.isUsageError && error.message.contains("it starts 2027-05, after today (2026-12-05)") && error.message.contains("planned")
        }
        #expect(try store.activities().isEmpty)
        #expect(contents(folder.path("test.sqlite")) == before)
    }

    @Test("editing marks done only what has started: a planned trip to 2027 stays planned, with the reason; a done trip's notes still edit")
    func editDoneTooSoon() throws {
        let (store, folder) = try makeStore()
        defer { folder.remove() }
        let planned = try store.log(try trip("2027-05"), status: nil, today: today)
        #expect { try store.editActivity(planned.id, today: today) { $0.status = .done } } throws: { error in
            let error = try #require(error as? SolidarityError)
            return error.isUsageError && error.message.contains("cannot be marked done: it starts 2027-05, after today (2026-12-05)")
        }
        #expect(try store.activity(planned.id).status == .planned)
        let done = try store.log(try trip("2026-11"), status: nil, today: today)
        #expect { try store.editActivity(done.id, today: today) { $0.start = try PartialDate("2027-02") } } throws: { error in
            let error = try #require(error as? SolidarityError)
            return error.isUsageError && error.message.contains("is marked done, and it starts 2027-02") && error.message.contains("make it planned again")
        }
        #expect(try store.editActivity(done.id, today: today) { $0.notes = "Report written" }.activity.status == .done)
        #expect(try store.editActivity(done.id, today: today) { $0.start = try PartialDate("2027-02"); $0.status = .planned }.activity.status == .planned)
        #expect(try store.editActivity(planned.id, today: try PartialDate("2027-05-02")) { $0.status = .done }.activity.status == .done)
    }

    @Test("a JSON import keeps the status the file states and warns on a done one that has not started")
    func jsonImport() throws {
        let (store, folder) = try makeStore()
        defer { folder.remove() }
        let file = """
            {"format": "solidarity/1", "activities": [
              {"id": "future-done", "kind": "delegation", "title": "Early", "status": "done", "start": "2027-03"},
              {"id": "future-planned", "kind": "delegation", "title": "Ahead", "status": "planned", "start": "2027-04"},
              {"id": "past-planned", "kind": "meeting", "title": "Behind", "status": "planned", "start": "2025-11"}]}
            """
        let report = try store.importDocument(Data(file.utf8), name: "trips.json", today: today)
        #expect(try store.activity("future-done").status == .done)
        #expect(try store.activity("future-planned").status == .planned)
        #expect(try store.activity("past-planned").status == .planned)
        #expect(report.warnings == ["$.activities[0]: marked done, but it starts 2027-03, after today (2026-12-05), so it cannot have happened yet; it was imported as the file states."])
    }

    @Test("a JSON activity stating no status takes the log commands' default, read carefully or not, with no warning")
    func jsonImportWithoutStatus() throws {
        for carefully in [false, true] {
            let (store, folder) = try makeStore()
            defer { folder.remove() }
            let file = """
                {"format": "solidarity/1", "activities": [
                  {"id": "next-year", "kind": "delegation", "title": "Next year", "start": "2027-09"},
                  {"id": "last-year", "kind": "delegation", "title": "Last year", "start": "2025-09"},
                  {"id": "undated", "kind": "call", "title": "Some call"}]}
                """
            let report = try store.importDocument(Data(file.utf8), name: "trips.json", update: false, carefully: carefully, today: today)
            #expect(try store.activity("next-year").status == .planned, "carefully: \(carefully)")
            #expect(try store.activity("last-year").status == .done)
            #expect(try store.activity("undated").status == .done)
            #expect(report.warnings.isEmpty)
        }
    }

    @Test("a CSV without a status column takes the log commands' default; a stated done that has not started is kept, with a warning")
    func csvImport() throws {
        let (store, folder) = try makeStore()
        defer { folder.remove() }
        let withoutStatus = "kind,title,start\ndelegation,Ahead,2027-04\ndelegation,Behind,2025-11\nmeeting,Undated,\n"
        _ = try store.importSpreadsheet(Data(withoutStatus.utf8), name: "trips.csv", as: .activities, today: today)
        let statuses = Dictionary(uniqueKeysWithValues: try store.activities().map { ($0.title, $0.status) })
        #expect(statuses == ["Ahead": .planned, "Behind": .done, "Undated": .done])

        let stated = "kind,title,status,start\ndelegation,Early,done,2027-03\ndelegation,Blank,,2027-05\n"
        let report = try store.importSpreadsheet(Data(stated.utf8), name: "stated.csv", as: .activities, today: today)
        let early = try #require(try store.activities().first { $0.title == "Early" })
        #expect(early.status == .done)
        #expect(try store.activities().first { $0.title == "Blank" }?.status == .planned, "an empty status cell is no status")
        #expect(report.warnings == ["line 2: marked done, but it starts 2027-03, after today (2026-12-05), so it cannot have happened yet; it was imported as the file states."])
    }

    @Test("planned activities whose dates have passed need an update; future plans and done ones do not")
    func pastPlans() throws {
        let (store, folder) = try makeStore()
        defer { folder.remove() }
        let past = try store.log(try trip("2025-11", status: .planned))
        var ranged = try trip("2026-11-28", status: .planned)
        ranged.end = try PartialDate("2026-12-04")
        let week = try store.log(ranged)
        _ = try store.log(try trip("2026-12", status: .planned))
        _ = try store.log(try trip("2027", status: .planned))
        _ = try store.log(try trip("2024", status: .done))
        let plans = try store.pastPlans(today: today)
        #expect(plans.map(\.id) == [past.id, week.id])
        #expect(plans.map(\.advice) == ["planned for 2025-11, now past: mark it done or cancelled",
                                        "planned for 2026-11-28 to 2026-12-04, now past: mark it done or cancelled"])
    }

    @Test("the Seeds' planned November 2025 congress trip is past on 2026-12-05")
    func seededPastPlan() throws {
        let (store, folder) = try makeStore(seeded: true, home: "ue")
        defer { folder.remove() }
        let plans = try store.pastPlans(today: today)
        #expect(plans.count == 1)
        #expect(plans.first?.title.contains("IndustriALL") == true)
        #expect(plans.first?.advice == "planned for 2025-11, now past: mark it done or cancelled")
        #expect(try store.pastPlans(today: try PartialDate("2025-11-30")).isEmpty)
    }

    @Test("cancelling an activity closes its open follow-ups as cancelled, kept and listed with --all, and says which")
    func cancellingClosesFollowUps() throws {
        let (store, folder) = try makeStore()
        defer { folder.remove() }
        let logged = try store.log(try trip("2027-05", status: .planned, followUps: [
            .init(text: "Book flights", due: try PartialDate("2027-03")),
            .init(text: "Brief the delegates", due: try PartialDate("2026-11")),
            .init(text: "Ask for visas", done: try PartialDate("2026-10")),
        ]))
        let edit = try store.editActivity(logged.id, today: today) { $0.status = .cancelled }
        #expect(edit.cancelledFollowUps.map(\.text) == ["Book flights", "Brief the delegates"])
        #expect(edit.activity.followUps.map(\.cancelled) == [today, today, nil])
        #expect(try store.activity(logged.id).followUps.map(\.cancelled) == [today, today, nil])
        #expect(try store.followUps(today: today).isEmpty, "no follow-up is open any more")
        #expect(try store.followUps(overdueOnly: true, includeDone: true, today: today).isEmpty, "a cancelled follow-up is never overdue")
        let all = try store.followUps(includeDone: true, today: today)
        #expect(all.map(\.text) == ["Brief the delegates", "Book flights", "Ask for visas"])
        #expect(all.map(\.cancelled) == [today, today, nil])
        #expect(all.allSatisfy { !$0.overdue })
        #expect(try store.announceOverdueFollowUps(today: today) == 0, "a cancelled follow-up is not announced as overdue")
        #expect(throws: SolidarityError.self) { try store.completeFollowUp(all[0].id, on: today) }

        let again = try store.editActivity(logged.id, today: today) { $0.title = "Trip (called off)" }
        #expect(again.cancelledFollowUps.isEmpty, "an edit of an activity already cancelled closes nothing")

        let replanned = try store.editActivity(logged.id, today: today) { $0.status = .planned }
        #expect(replanned.reopenedFollowUps.map(\.text) == ["Book flights", "Brief the delegates"])
        #expect(try store.activity(logged.id).followUps.map(\.cancelled) == [nil, nil, nil])
        #expect(try store.followUps(today: today).map(\.text) == ["Brief the delegates", "Book flights"], "open again; the done one stays done")
    }

    @Test("an import with --update that cancels an activity closes its open follow-ups, as an edit does")
    func importCancels() throws {
        let (store, folder) = try makeStore()
        defer { folder.remove() }
        let logged = try store.log(try trip("2027-05", status: .planned, followUps: [.init(text: "Book flights")]))
        let csv = "id,kind,title,status,start\n\(logged.id),delegation,\(logged.title),cancelled,2027-05\n"
        _ = try store.importSpreadsheet(Data(csv.utf8), name: "trips.csv", as: .activities, update: true, today: today)
        #expect(try store.activity(logged.id).status == .cancelled)
        #expect(try store.followUps(today: today).isEmpty)
        #expect(try store.activity(logged.id).followUps.allSatisfy { $0.cancelled != nil })
    }

    @Test("a cancelled follow-up survives export and import into an empty database")
    func cancelledRoundTrip() throws {
        let (store, folder) = try makeStore()
        defer { folder.remove() }
        let logged = try store.log(try trip("2027-05", status: .planned, followUps: [.init(text: "Book flights")]))
        try store.editActivity(logged.id, today: today) { $0.status = .cancelled }
        let exported = try store.export(includeSensitive: true).document.encoded()
        #expect(String(decoding: exported, as: UTF8.self).contains("\"2026-12-05\""))
        let copy = try Store(path: folder.path("copy.sqlite"), access: .create)
        _ = try copy.importDocument(exported, name: "export.json")
        #expect(try copy.activity(logged.id).followUps.first?.cancelled == today)
        #expect(try copy.export(includeSensitive: true).document.encoded() == exported)
    }

    @Test("init's home must exist in the database or, when seeding, in the Seeds; the check writes nothing")
    func homeCheck() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.path("new.sqlite")
        #expect { try Store.checkHome("ue", forDatabaseAt: path, seeding: false) } throws: { error in
            // The command line advises --seed and org add for this remedy (FlagHintsTests.homeAdvice).
            guard let error = error as? SolidarityError, case let .addHome(advice)? = error.remedy else { return false }
            return advice.inSeeds && !advice.seeding && !advice.databaseExists && error.message.contains("nothing was created")
        }
        #expect { try Store.checkHome("no-such-union", forDatabaseAt: path, seeding: true) } throws: { error in
            (error as? SolidarityError)?.message.contains("in the Seeds") == true
        }
        try Store.checkHome("ue", forDatabaseAt: path, seeding: true)
        try Store.checkHome("Frente Autentico del Trabajo", forDatabaseAt: path, seeding: true)
        #expect(!FileManager.default.fileExists(atPath: path), "checking creates no file")

        let (store, storeFolder) = try makeStore(seeded: true)
        defer { storeFolder.remove() }
        try Store.checkHome("unifor", forDatabaseAt: store.path, seeding: false)
        #expect { try Store.checkHome("no-such-union", forDatabaseAt: store.path, seeding: true) } throws: { error in
            (error as? SolidarityError)?.message.contains("in the database \(store.path) nor in the Seeds") == true
        }
    }

    @Test("a mistyped home is answered with the nearest organizations, and --seed is advised only when the Seeds have it")
    func homeSuggestions() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        // The command line's wording of the advice is tested in FlagHintsTests.
        func advice(_ error: any Error) -> SolidarityError.HomeAdvice? {
            guard case let .addHome(advice)? = (error as? SolidarityError)?.remedy else { return nil }
            return advice
        }
        #expect { try Store.checkHome("fta", forDatabaseAt: folder.path("new.sqlite"), seeding: true) } throws: { error in
            let advice = advice(error)
            return advice?.suggestions?.hasPrefix("  fat ") == true && advice?.suggestionsFromSeeds == false && advice?.seeding == true
        }
        let (store, storeFolder) = try makeStore(seeded: true)
        defer { storeFolder.remove() }
        #expect { try Store.checkHome("unifr", forDatabaseAt: store.path, seeding: false) } throws: { error in
            let advice = advice(error)
            return advice?.suggestions?.hasPrefix("  unifor ") == true && advice?.suggestionsFromSeeds == false && advice?.inSeeds == false
        }
        #expect { try Store.checkHome("fta", forDatabaseAt: folder.path("other.sqlite"), seeding: false) } throws: { error in
            let advice = advice(error)
            return advice?.suggestions?.hasPrefix("  fat ") == true && advice?.suggestionsFromSeeds == true
        }
        let (empty, emptyFolder) = try makeStore()
        defer { emptyFolder.remove() }
        #expect { try Store.checkHome("kctu", forDatabaseAt: empty.path, seeding: false) } throws: { error in
            let advice = advice(error)
            return advice?.inSeeds == true && advice?.seeding == false && advice?.name == "kctu"
        }
    }
}
