import Foundation
import GRDB

/// Reads and writes people, their languages, titles and sources.
struct People: ValueStore {
    let db: Database

    /// Records a person, generating the handle from the name when none is given.
    func write(_ person: inout Person) throws {
        person.handle = try Naming.claimHandle(person.handle, base: person.proposedHandle, for: person.name, isTaken: exists) { handle in
            SolidarityError(.duplicate, "A person with handle \"\(handle)\" already exists.", remedy: .chooseAnotherOrChange(.handle, .person(handle)))
        }
        try db.execute(cached: """
            INSERT INTO people (handle, name, name_key, email, phone, secure_messaging, notes, sensitive)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: columns(person))
        person = try writeChildren(person, id: db.lastInsertedRowID)
    }

    /// Changes the person `ref` names.
    @discardableResult
    func update(_ ref: String, _ change: (inout Person) throws -> Void) throws -> (before: Person, after: Person) {
        let match = try References(db: db).person(ref)
        let before = try fetch(ids: [match.id])[0]
        var after = before
        try change(&after)
        try after.validate()
        // A new record without a handle is given one; an edited record keeps one (an import or the API may send "").
        try Naming.checkHandle(after.handle)
        if after.handle != before.handle, try exists(after.handle) {
            throw SolidarityError(.duplicate, "A person with handle \"\(after.handle)\" already exists: choose another handle.")
        }
        try PersonRecord(after, id: match.id).update(db)
        try PersonLanguageRecord.filter(PersonLanguageRecord.Columns.personID == match.id).deleteAll(db)
        try PersonTitleRecord.filter(PersonTitleRecord.Columns.personID == match.id).deleteAll(db)
        try LinkRecord<PersonSources>.owned(by: match.id).deleteAll(db)
        after = try writeChildren(after, id: match.id)
        return (before, after)
    }

    /// Removes a person with their titles and their parts in activities (the activities stay).
    func remove(_ ref: String) throws -> Person {
        let match = try References(db: db).person(ref)
        let person = try fetch(ids: [match.id])[0]
        try db.execute(cached: "DELETE FROM activity_people WHERE person_id = ?", arguments: [match.id])
        try PersonRecord.deleteOne(db, key: match.id)
        return person
    }

    /// People, optionally only those holding a title at an organization, ordered by name.
    func list(organization: String?) throws -> [Person] {
        try ListingPages.all { try list(organization: organization, each: $0) }
    }

    /// Hands `body` the people, optionally only those holding a title at an organization, one at a time, ordered by name.
    func list(organization: String?, each body: (Person) throws -> Void) throws {
        if let organization {
            let org = try References(db: db).organization(organization)
            try ListingPages.each(db, ids: """
                SELECT DISTINCT p.id FROM person_titles t JOIN people p ON p.id = t.person_id WHERE t.organization_id = ? ORDER BY p.name_key, p.handle
                """, arguments: [org.id], fetch: fetch(ids:), body)
        } else {
            try ListingPages.each(db, ids: "SELECT id FROM people ORDER BY name_key, handle", fetch: fetch(ids:), body)
        }
    }

    /// The person a reference names.
    func find(_ ref: String) throws -> Person {
        try fetch(ids: [References(db: db).person(ref).id])[0]
    }

    /// Full records for row ids, in the order given.
    func fetch(ids: [Int64]) throws -> [Person] {
        guard !ids.isEmpty else { return [] }
        let json = JSONList.of(ids)
        var byID: [Int64: Person] = [:]
        for record in try PersonRecord.fetchAll(db, SQLRequest(literal: "SELECT * FROM people WHERE id IN (SELECT value FROM json_each(\(json)))", cached: true)) {
            byID[record.id!] = Person(record: record)
        }
        for language in try PersonLanguageRecord.fetchAll(db, SQLRequest(literal: """
            SELECT * FROM person_languages WHERE person_id IN (SELECT value FROM json_each(\(json))) ORDER BY person_id, position
            """, cached: true)) {
            byID[language.personID]?.languages.append(language.lang)
        }
        for row in try Row.fetchAll(db, SQLRequest(literal: """
            SELECT t.person_id, o.handle, t.title, t.since, t.until, t.as_of, s.uid AS source
            FROM person_titles t JOIN organizations o ON o.id = t.organization_id LEFT JOIN sources s ON s.id = t.source_id
            WHERE t.person_id IN (SELECT value FROM json_each(\(json))) ORDER BY t.person_id, t.until IS NOT NULL, coalesce(t.since, ''), o.handle, t.title
            """, cached: true)) {
            byID[row["person_id"]]?.titles.append(Person.Title(
                organization: row["handle"], title: row["title"],
                since: try (row["since"] as String?).map(PartialDate.init), until: try (row["until"] as String?).map(PartialDate.init),
                asOf: try (row["as_of"] as String?).map(PartialDate.init), source: row["source"]))
        }
        try ListingPages.appendLinked(PersonSources.self, "sources", "uid", ids: json, in: db, to: \.sources, of: &byID)
        return ids.compactMap { byID[$0] }
    }

    private func exists(_ handle: String) throws -> Bool {
        try db.exists(cached: "SELECT 1 FROM people WHERE handle = ?", arguments: [handle])
    }

    private func columns(_ p: Person) -> StatementArguments {
        [p.handle, p.name, Naming.key(p.name), p.email, p.phone, p.secureMessaging, p.notes, p.sensitive]
    }

    /// Writes languages, titles and sources; titles' organizations become handles.
    private func writeChildren(_ person: Person, id: Int64) throws -> Person {
        var person = person
        for (position, lang) in person.languages.enumerated() {
            try db.execute(cached: "INSERT INTO person_languages (person_id, position, lang) VALUES (?, ?, ?)", arguments: [id, position, lang])
        }
        for index in person.titles.indices {
            let title = person.titles[index]
            let org = try References(db: db).organization(title.organization)
            person.titles[index].organization = org.handle
            if try db.exists(cached: "SELECT 1 FROM person_titles WHERE person_id = ? AND organization_id = ? AND title = ? AND since IS ?",
                             arguments: [id, org.id, title.title, title.since?.description]) {
                throw SolidarityError(.duplicate, "\(person.name) already holds the title \(title.title) at \(org.name)\(title.since.map { " since \($0)" } ?? "").")
            }
            person.titles[index].source = try title.source.map { try Sources(db: db).citedID($0) }
            try db.execute(cached: """
                INSERT INTO person_titles (person_id, organization_id, title, since, until, as_of, source_id)
                VALUES (?, ?, ?, ?, ?, ?, (SELECT id FROM sources WHERE uid = ?))
                """, arguments: [id, org.id, title.title, title.since?.description, title.until?.description, title.asOf?.description,
                                 person.titles[index].source])
        }
        for source in Set(person.sources) {
            try db.execute(cached: "INSERT OR IGNORE INTO person_sources (person_id, source_id) VALUES (?, ?)", arguments: [id, try Sources(db: db).cite(source)])
        }
        return person
    }
}
