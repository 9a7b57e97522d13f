import ArgumentParser
import Foundation
import SolidarityCore

extension Activity.Kind: ExpressibleByArgument {}
extension Activity.Status: ExpressibleByArgument {}

/// The parts of an activity, shared by `log` and `edit` of delegations and other activities.
struct ActivityFields: ParsableArguments {
    @Option(help: "What it was, in a few words: \"Delegation to the FAT in Mexico\".")
    var title: String?
    @Option(help: "planned, done or cancelled (when logging, the default is planned for a start after today, else done; cancelling closes its open follow-ups).")
    var status: Activity.Status?
    @Option(help: ArgumentHelp("Destination or place: countries in itinerary order (ISO codes, comma-separated: MX or JP,KR). On edit, --to and --city replace the itinerary.", valueName: "cc[,cc…]"))
    var to: String?
    @Option(help: ArgumentHelp("A city, in itinerary order (repeatable); \"Hiroshima@JP\" names its country.", valueName: "city"))
    var city: [String] = []
    @Option(help: ArgumentHelp("When it began (a partial date: 2024, 2024-05, 2024-05-14).", valueName: "date"), transform: Parse.date)
    var start: PartialDate?
    @Option(help: ArgumentHelp("When it ended, if not the same as --start.", valueName: "date"), transform: Parse.date)
    var end: PartialDate?
    @Option(help: ArgumentHelp("An organization that hosted it (repeatable).", valueName: "ref"))
    var host: [String] = []
    @Option(help: ArgumentHelp("An organization that sent people (repeatable; a hosted delegation's visitors).", valueName: "ref"))
    var sender: [String] = []
    @Option(help: ArgumentHelp("An organization that took part (repeatable).", valueName: "ref"))
    var participant: [String] = []
    @Option(help: ArgumentHelp("An organization that organized it (repeatable).", valueName: "ref"))
    var organizer: [String] = []
    @Option(help: ArgumentHelp("An organization met along the way (repeatable).", valueName: "ref"))
    var met: [String] = []
    @Option(help: ArgumentHelp("A person who went or took part (repeatable).", valueName: "ref"))
    var delegate: [String] = []
    @Option(help: ArgumentHelp("A person who spoke (repeatable).", valueName: "ref"))
    var speaker: [String] = []
    @Option(help: ArgumentHelp("A person who interpreted (repeatable).", valueName: "ref"))
    var interpreter: [String] = []
    @Option(help: ArgumentHelp("A contact person on the other side (repeatable).", valueName: "ref"))
    var contact: [String] = []
    @Option(help: "Why it happened.")
    var purpose: String?
    @Option(help: ArgumentHelp("What came of it (repeatable; each is a paragraph).", valueName: "text"))
    var outcome: [String] = []
    @Option(help: "Free-text notes.")
    var notes: String?
    @Option(name: .customLong("follow-up"), help: ArgumentHelp("Something to do afterwards (repeatable); a --due right after it dates it.", valueName: "text"))
    var followUp: [String] = []
    @Option(help: ArgumentHelp("When the --follow-up written just before it is due (at most one per follow-up; one without --due has no date).",
                               valueName: "date"),
            transform: Parse.date)
    var due: [PartialDate] = []
    @Option(help: ArgumentHelp("An employer concerned (repeatable).", valueName: "ref"))
    var employer: [String] = []
    @Option(help: ArgumentHelp("A site it concerns: a plant visited, a works where it was held (repeatable; the site's id or name, from `site list`).",
                               valueName: "site"))
    var site: [String] = []
    @Option(help: ArgumentHelp("A campaign concerned (repeatable); a new name records the campaign.", valueName: "campaign"))
    var campaign: [String] = []
    @Option(help: ArgumentHelp("A source URL (or a recorded source's id) (repeatable).", valueName: "url"))
    var source: [String] = []

    /// `--follow-up TEXT [--due D]`: each --due dates the --follow-up written before it.
    static let followUpDates = FlagPair(flag: "follow-up", qualifier: "due", example: "--follow-up \"Send the report\" --due 2027-06")

    func validate() throws {
        _ = try followUps()
    }

    /// The follow-ups given, each with the --due written after it.
    func followUps() throws -> [Activity.FollowUp] {
        let pairs = try Self.followUpDates.pairs(flags: followUp, qualifiers: due.count)
        return zip(followUp, pairs).map { text, date in Activity.FollowUp(text: text, due: date.map { due[$0] }) }
    }

    /// Applies the given parts: single values replace, repeated ones add.
    func apply(to activity: inout Activity) throws {
        if let title { activity.title = title }
        if let status { activity.status = status }
        if to != nil || !city.isEmpty {
            let countries = to.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } } ?? []
            activity.itinerary = try Activity.itinerary(countries: countries, cities: city)
        }
        if let start { activity.start = start }
        if let end { activity.end = end }
        let organizations: [(Activity.OrganizationRole, [String])] = [(.host, host), (.sender, sender), (.participant, participant), (.organizer, organizer), (.met, met)]
        for (role, refs) in organizations {
            activity.organizations += refs.map { Activity.OrganizationPart(organization: $0, role: role) }
        }
        let people: [(Activity.PersonRole, [String])] = [(.delegate, delegate), (.speaker, speaker), (.interpreter, interpreter), (.contact, contact)]
        for (role, refs) in people {
            activity.people += refs.map { Activity.PersonPart(person: $0, role: role) }
        }
        if let purpose { activity.purpose = purpose }
        if !outcome.isEmpty { activity.outcomes = ([activity.outcomes].compactMap { $0 } + outcome).joined(separator: "\n\n") }
        if let notes { activity.notes = notes }
        activity.followUps += try followUps()
        activity.employers += employer
        activity.sites += site
        activity.campaigns += campaign
        activity.sources += source
    }
}

/// What `activity edit` and `delegation edit` can empty before adding.
enum ActivityPart: String, ExpressibleByArgument, CaseIterable {
    case itinerary, hosts, senders, participants, organizers, met, people, purpose, outcomes, notes, end, start
    case followUps = "follow-ups"
    case employers, sites, campaigns, sources

    func clear(_ a: inout Activity) {
        switch self {
        case .itinerary: a.itinerary = []
        case .hosts: a.organizations.removeAll { $0.role == .host }
        case .senders: a.organizations.removeAll { $0.role == .sender }
        case .participants: a.organizations.removeAll { $0.role == .participant }
        case .organizers: a.organizations.removeAll { $0.role == .organizer }
        case .met: a.organizations.removeAll { $0.role == .met }
        case .people: a.people = []
        case .purpose: a.purpose = nil
        case .outcomes: a.outcomes = nil
        case .notes: a.notes = nil
        case .start: (a.start, a.end) = (nil, nil)
        case .end: a.end = nil
        case .followUps: a.followUps = []
        case .employers: a.employers = []
        case .sites: a.sites = []
        case .campaigns: a.campaigns = []
        case .sources: a.sources = []
        }
    }
}

/// The shared body of the `log`, `list`, `show`, `edit` and `remove` commands of both families.
enum ActivityCommands {
    static func log(_ activity: Activity, fields: ActivityFields, store: StoreOptions) throws {
        var activity = activity
        try fields.apply(to: &activity)
        let db = try store.open(.write)
        // Core applies the defaults: the status the dates give, the home organization as sender (hosted: host).
        let logged = try db.log(activity, status: fields.status)
        Terminal.say("Logged \(logged.kind.rawValue) \(logged.id): \(logged.title) (\(logged.when)).")
        if fields.status == nil, logged.status == .planned {
            Terminal.note("Recorded as planned: it starts after today. Once it has happened: solidarity \(logged.kind == .delegation ? "delegation" : "activity") edit \(logged.id) --status done")
        }
        Terminal.warn(logged.mixedScriptWords)
        for followUp in logged.followUps {
            Terminal.say("  follow-up \(followUp.id): \(followUp.text)\(followUp.due.map { " (due \($0))" } ?? "")")
        }
        warnAboutEarlyFollowUps(logged)
    }

    static func warnAboutEarlyFollowUps(_ activity: Activity) {
        for followUp in activity.followUpsDueBeforeStart {
            Terminal.note("Warning: follow-up \(followUp.id) is due \(followUp.due!), before the \(activity.kind.rawValue) begins (\(activity.start!)). It was recorded as given.")
        }
    }

    static func show(_ id: String, store: StoreOptions, format: OutputFormat, delegationsOnly: Bool = false) throws {
        let db = try store.open(.read)
        let a = delegationsOnly ? try db.activity(id, kind: .delegation) : try db.activity(id)
        let rule = try db.disclosure()
        if format == .json {
            Terminal.say(try Output.json(a))
            return
        }
        let sites = try db.sites(named: a.sites)
        try Output.show(a, format: format) {
            func organizations(_ role: Activity.OrganizationRole) -> String {
                a.organizations.filter { $0.role == role }.map { Disclosure.mark($0.organization, !rule.shows(organization: $0.organization)) }
                    .joined(separator: ", ")
            }
            func people(_ role: Activity.PersonRole) -> String {
                a.people.filter { $0.role == role }.map { Disclosure.mark($0.person, !rule.shows(person: $0.person)) }.joined(separator: ", ")
            }
            let when = a.when
            return [
                ("id", a.id), ("title", Disclosure.mark(a.title, !rule.shows(a))), ("kind", a.kind.rawValue + (a.hosted ? " (hosted)" : "") + (a.virtual ? " (online)" : "")),
                ("status", a.status.rawValue), ("when", when), ("itinerary", a.itineraryText),
                ("hosts", organizations(.host)), ("senders", organizations(.sender)), ("organizers", organizations(.organizer)),
                ("participants", organizations(.participant)), ("met", organizations(.met)),
                ("delegates", people(.delegate)), ("speakers", people(.speaker)), ("interpreters", people(.interpreter)), ("contacts", people(.contact)),
                ("purpose", a.purpose ?? ""), ("outcomes", a.outcomes ?? ""),
                ("follow-ups", a.followUps.map { "\($0.id)  \($0.text)" + ($0.due.map { " (due \($0))" } ?? "") + ($0.done.map { " done \($0)" } ?? "") + ($0.cancelled.map { " cancelled \($0)" } ?? "") }.joined(separator: "\n")),
                ("employers", a.employers.joined(separator: ", ")),
                ("sites", a.sites.map { id in sites[id].map { "\($0.location) (\(id))" } ?? id }.joined(separator: "\n")),
                ("campaigns", a.campaigns.joined(separator: ", ")),
                ("sources", a.sources.joined(separator: ", ")), ("sensitive", a.sensitive ? "yes: kept out of exports, calendars and webhooks" : ""),
                ("notes", a.notes ?? ""),
            ]
        }
    }

    static func edit(_ id: String, fields: ActivityFields, clear: [ActivityPart], hosted: Bool?, virtual: Bool?, sensitive: Bool?,
                     store: StoreOptions, delegationsOnly: Bool = false) throws {
        let db = try store.open(.write)
        let edit = try db.editActivity(id, kind: delegationsOnly ? .delegation : nil) { a in
            for part in clear { part.clear(&a) }
            try fields.apply(to: &a)
            if let hosted { a.hosted = hosted }
            if let virtual { a.virtual = virtual }
            if let sensitive { a.sensitive = sensitive }
        }
        let activity = edit.activity
        Terminal.say("Updated \(activity.kind.rawValue) \(activity.id): \(activity.title).")
        let closed = edit.cancelledFollowUps.count
        if closed > 0 {
            Terminal.say("Cancelled with it: \(closed) open follow-up\(closed == 1 ? "" : "s") (kept; `solidarity followup list --all` shows \(closed == 1 ? "it" : "them")).")
        }
        let reopened = edit.reopenedFollowUps.count
        if reopened > 0 {
            Terminal.say("Reopened with it: \(reopened) follow-up\(reopened == 1 ? "" : "s") that cancelling had closed.")
        }
        Terminal.warn(activity.mixedScriptWords)
        if fields.start != nil || !fields.followUp.isEmpty { warnAboutEarlyFollowUps(activity) }
    }

    static func remove(_ id: String, yes: Bool, store: StoreOptions, delegationsOnly: Bool = false) throws {
        let db = try store.open(.write)
        let kind: Activity.Kind? = delegationsOnly ? .delegation : nil
        let activity = try kind.map { try db.activity(id, kind: $0) } ?? db.activity(id)
        guard try Confirmation.confirmed("Remove the \(activity.kind.rawValue) \"\(activity.title)\" (\(activity.id)) and its follow-ups?", yes: yes) else { return }
        // Core checks again, in the removal's transaction, that it is still the record confirmed.
        _ = try db.removeActivity(id, kind: kind, confirmed: activity)
        Terminal.say("Removed \(activity.kind.rawValue) \(activity.id).")
    }
}

/// Filters shared by `delegation list` and `activity list`.
struct ActivityFilterOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Only what overlaps the period from this date on.", valueName: "date"), transform: Parse.date)
    var since: PartialDate?
    @Option(help: ArgumentHelp("Only what overlaps the period up to this date.", valueName: "date"), transform: Parse.date)
    var until: PartialDate?
    @Option(help: ArgumentHelp("Only those with this organization, in any role.", valueName: "ref"))
    var org: String?
    @Option(help: ArgumentHelp("Only those with this person, in any role.", valueName: "ref"))
    var person: String?
    @Option(help: ArgumentHelp("Only those going to (or held in) this country.", valueName: "cc"), transform: Parse.country)
    var country: String?
    @Option(help: ArgumentHelp("Only those concerning this employer.", valueName: "ref"))
    var employer: String?
    @Option(help: ArgumentHelp("Only those tagged with this campaign.", valueName: "campaign"))
    var campaign: String?
    @Option(help: "Only planned, done or cancelled ones (default: every status).")
    var status: Activity.Status?

    func validate() throws {
        try Parse.checkPeriod(since: since, until: until)
    }

    func filter(kinds: [Activity.Kind]) -> ActivityFilter {
        ActivityFilter(kinds: kinds, since: since, until: until, organization: org, person: person, country: country,
                       employer: employer, campaign: campaign, status: status)
    }
}

extension Activity {
    /// "2024-05", "2026-03-02 to 2026-03-12", or "undated".
    var when: String { start.map { start in end.map { "\(start) to \($0)" } ?? start.description } ?? "undated" }

    /// "Mexico City, MX → Montreal, CA", or "online".
    var itineraryText: String {
        let stops = itinerary.map { [$0.city, $0.country].compactMap { $0 }.joined(separator: ", ") }.joined(separator: " → ")
        return virtual && stops.isEmpty ? "online" : stops
    }
}

extension Activity: Listable {
    static let tableColumns = ["id", "when", "kind", "status", "title", "where", "with"]
    var tableRow: [String] {
        let with = organizations.filter { $0.role != .sender || hosted }.map(\.organization)
        return [id, start.map { start in end.map { "\(start)–\($0)" } ?? start.description } ?? "undated",
                kind.rawValue + (hosted ? " (hosted)" : ""), status.rawValue, title, itineraryText,
                with.joined(separator: ", ")]
    }
    static let csvColumns = SpreadsheetKind.activities.columns
    var csvRow: [String] {
        func organizations(_ role: OrganizationRole) -> String { self.organizations.filter { $0.role == role }.map(\.organization).joinedForCSV }
        func people(_ role: PersonRole) -> String { self.people.filter { $0.role == role }.map(\.person).joinedForCSV }
        return [id, kind.rawValue, title, status.rawValue, start.text, end.text, itinerary.map(\.country).joinedForCSV,
                itinerary.compactMap { stop in stop.city.map { "\($0)@\(stop.country)" } }.joinedForCSV,
                organizations(.host), organizations(.sender), organizations(.participant), organizations(.organizer), organizations(.met),
                people(.delegate), people(.speaker), purpose ?? "", outcomes ?? "", notes ?? "", employers.joinedForCSV, sites.joinedForCSV,
                campaigns.joinedForCSV,
                sources.joinedForCSV, String(hosted), String(virtual), String(sensitive)]
    }
}
