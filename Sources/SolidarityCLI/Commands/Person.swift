import ArgumentParser
import Foundation
import SolidarityCore

struct PersonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "person",
        abstract: "People: contacts at allied organizations and our own officers, with the titles they hold.",
        subcommands: [Add.self, List.self, Show.self, Edit.self, Remove.self, Duplicates.self, NotDuplicates.self, Merge.self])
}

/// Fields shared by `person add` and `person edit`.
struct PersonFields: ParsableArguments {
    @Option(help: ArgumentHelp("The handle other commands use (default: from the name).", valueName: "handle"), transform: Parse.handle)
    var handle: String?
    @Option(help: ArgumentHelp("The organization where the person holds --title.", valueName: "ref"))
    var org: String?
    @Option(help: "The title held at --org (General President, Business Agent).")
    var title: String?
    @Option(help: ArgumentHelp("Since when the title is held (a partial date).", valueName: "date"), transform: Parse.date)
    var since: PartialDate?
    @Option(help: ArgumentHelp("Until when the title was held (a partial date).", valueName: "date"), transform: Parse.date)
    var until: PartialDate?
    @Option(name: .customLong("as-of"), help: ArgumentHelp("When a text shows the title held, if it does not say since when (a partial date).", valueName: "date"),
            transform: Parse.date)
    var asOf: PartialDate?
    @Option(name: .customLong("title-source"), help: ArgumentHelp("The source that gives the title: a URL or a recorded source's id.", valueName: "url"))
    var titleSource: String?
    @Option(help: "Email address.")
    var email: String?
    @Option(help: "Phone number, with country code.")
    var phone: String?
    @Option(help: ArgumentHelp("A language spoken, as an ISO 639 code (repeatable: --lang es --lang en).", valueName: "lang"),
            transform: Parse.language)
    var lang: [String] = []
    @Option(name: .customLong("secure-messaging"), help: "How to reach them securely (e.g. \"Signal, ask for number\").")
    var secureMessaging: String?
    @Option(help: "Free-text notes.")
    var notes: String?
    @Option(help: ArgumentHelp("A source URL (or a recorded source's id) backing this record (repeatable).", valueName: "url"))
    var source: [String] = []

    func validate() throws {
        if (org == nil) != (title == nil) {
            throw ValidationError("--org and --title go together: give the organization and the title held there.")
        }
        if org == nil, since != nil || until != nil {
            throw ValidationError("--since and --until date a title: give --org and --title too.")
        }
        if org == nil, asOf != nil || titleSource != nil {
            throw ValidationError("--as-of and --title-source say where a title comes from: give --org and --title too.")
        }
    }

    /// Applies the given fields; a title already held at the organization gets the new dates.
    func apply(to person: inout Person) {
        if let handle { person.handle = handle }
        if let email { person.email = email }
        if let phone { person.phone = phone }
        if !lang.isEmpty { person.languages = lang }
        if let secureMessaging { person.secureMessaging = secureMessaging }
        if let notes { person.notes = notes }
        for url in source where !person.sources.contains(url) { person.sources.append(url) }
        if let org, let title {
            if let index = person.titles.firstIndex(where: { Naming.key($0.title) == Naming.key(title) && $0.organization == org }) {
                if let since { person.titles[index].since = since }
                if let until { person.titles[index].until = until }
                if let asOf { person.titles[index].asOf = asOf }
                if let titleSource { person.titles[index].source = titleSource }
            } else {
                person.titles.append(Person.Title(organization: org, title: title, since: since, until: until, asOf: asOf, source: titleSource))
            }
        }
    }
}

extension PersonCommand {
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Record a person, optionally with a title held at an organization.",
            discussion: """
                Examples:
                  solidarity person add "Lana Payne" --org unifor --title "National President"
                  solidarity person add "Andrew Dinkelaker" --org ue --title "Secretary-Treasurer" --as-of 2020 --title-source ue-nasp-resolution
                  solidarity person add "María López" --org fat --title "International Secretary" --since 2023 --lang es --sensitive
                """)

        @OptionGroup var store: StoreOptions
        @Argument(help: "The person's full name.")
        var name: String
        @OptionGroup var fields: PersonFields
        @Flag(help: "Mark them sensitive: they stay out of exports, appendices and webhooks unless --include-sensitive is given.")
        var sensitive = false

        func run() throws {
            var person = Person(name: name, sensitive: sensitive)
            fields.apply(to: &person)
            let added = try store.open(.write).addPerson(person)
            Terminal.say("Added \(added.name) as \(added.handle).")
            Terminal.warn(added.mixedScriptWords)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List people, optionally those holding a title at one organization.",
            discussion: """
                Examples:
                  solidarity person list --org ue
                  solidarity person list --format csv > contacts.csv
                """)

        @OptionGroup var store: StoreOptions
        @Option(help: ArgumentHelp("Only people with a title at this organization.", valueName: "ref"))
        var org: String?
        @OptionGroup var output: FormatOptions

        func run() throws {
            let directory = try store.open(.read)
            try Output.list(format: output.format) { try directory.people(at: org, each: $0) }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Show a person with their titles and contact details.",
            discussion: """
                Example:
                  solidarity person show carl-rosen
                """)

        @OptionGroup var store: StoreOptions
        @Argument(help: ArgumentHelp("Handle, name or email.", valueName: "ref"))
        var ref: String
        @OptionGroup var output: FormatOptions

        func run() throws {
            let p = try store.open(.read).person(ref)
            try Output.show(p, format: output.format) {
                [
                    ("handle", p.handle), ("name", p.name),
                    ("titles", p.titles.map(\.summary).joined(separator: "\n")),
                    ("email", p.email ?? ""), ("phone", p.phone ?? ""),
                    ("languages", p.languages.joined(separator: ", ")),
                    ("secure messaging", p.secureMessaging ?? ""),
                    ("sensitive", p.sensitive ? "yes: kept out of exports, appendices and webhooks" : ""),
                    ("sources", p.sources.joined(separator: ", ")),
                    ("notes", p.notes ?? ""),
                ]
            }
        }
    }

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "edit",
            abstract: "Change a person: name, contact details, languages, or a title (add one, or date one they hold).",
            discussion: """
                --org and --title add a title, or date the one already held there with --since/--until.

                Examples:
                  solidarity person edit john-miles --org ue-local-506 --title "Business Agent" --until 2026-03
                  solidarity person edit lana-payne --email lana@example.org --lang en --lang fr
                """)

        @OptionGroup var store: StoreOptions
        @Argument(help: ArgumentHelp("Handle, name or email.", valueName: "ref"))
        var ref: String
        @Option(help: "A new name.")
        var name: String?
        @OptionGroup var fields: PersonFields
        @Option(name: .customLong("remove-title"), help: ArgumentHelp("Remove a title held at --org.", valueName: "title"))
        var removeTitle: String?
        @Flag(inversion: .prefixedNo, help: "Mark or unmark them sensitive.")
        var sensitive: Bool?
        @Option(help: ArgumentHelp("Empty a field (repeatable): email, phone, languages, secure-messaging, notes.", valueName: "field"))
        var clear: [ClearableField] = []

        enum ClearableField: String, ExpressibleByArgument, CaseIterable {
            case email, phone, languages, notes
            case secureMessaging = "secure-messaging"
        }

        func validate() throws {
            if removeTitle != nil, fields.org == nil {
                throw ValidationError("--remove-title needs --org: the organization where the title is held.")
            }
        }

        func run() throws {
            let db = try store.open(.write)
            let removeAt = try removeTitle.flatMap { _ in try fields.org.map { try db.organization($0).handle } }
            var resolved = fields
            resolved.org = try fields.org.map { try db.organization($0).handle }
            let person = try db.editPerson(ref) { p in
                if let name { p.name = name }
                if let removeTitle, let removeAt {
                    let before = p.titles.count
                    p.titles.removeAll { $0.organization == removeAt && Naming.key($0.title) == Naming.key(removeTitle) }
                    if p.titles.count == before {
                        throw SolidarityError(.notFound, "\(p.name) holds no title \"\(TextRules.printable(removeTitle))\" at \(removeAt).")
                    }
                } else {
                    resolved.apply(to: &p)
                }
                for field in clear {
                    switch field {
                    case .email: p.email = nil
                    case .phone: p.phone = nil
                    case .languages: p.languages = []
                    case .notes: p.notes = nil
                    case .secureMessaging: p.secureMessaging = nil
                    }
                }
                if let sensitive { p.sensitive = sensitive }
            }
            Terminal.say("Updated \(person.name) (\(person.handle)).")
            Terminal.warn(person.mixedScriptWords)
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove",
            abstract: "Remove a person, their titles and their parts in activities (the activities stay).",
            discussion: """
                Asks first; scripts pass --yes.

                Example:
                  solidarity person remove john-doe --yes
                """)

        @OptionGroup var store: StoreOptions
        @Argument(help: ArgumentHelp("Handle, name or email.", valueName: "ref"))
        var ref: String
        @Flag(help: "Do not ask for confirmation.")
        var yes = false

        func run() throws {
            let db = try store.open(.write)
            let person = try db.person(ref)
            guard try Confirmation.confirmed("Remove \(person.name) (\(person.handle)) and their titles?", yes: yes) else { return }
            let removed = try db.removePerson(person.handle)
            Terminal.say("Removed \(removed.name).")
        }
    }
}
