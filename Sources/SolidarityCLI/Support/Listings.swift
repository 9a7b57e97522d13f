import Foundation
import SolidarityCore

extension Organization: Listable {
    static let tableColumns = ["handle", "acronym", "name", "kind", "country", "parent"]
    var tableRow: [String] {
        [handle, acronym ?? "", Disclosure.mark(name, sensitive), kind.rawValue, country ?? "", parent ?? ""]
    }
    static let csvColumns = ["handle", "name", "acronym", "native_name", "native_name_lang", "kind", "country", "region", "city",
                             "parent", "members", "members_as_of", "website", "notes", "sensitive", "aliases", "campaigns", "sources"]
    var csvRow: [String] {
        [handle, name, acronym ?? "", nativeName ?? "", nativeNameLang ?? "", kind.rawValue, country ?? "", region ?? "", city ?? "",
         parent ?? "", members.text, membersAsOf.text, website ?? "", notes ?? "", String(sensitive),
         aliases.map(\.label).joinedForCSV, campaigns.joinedForCSV, sources.joinedForCSV]
    }
}

extension Person: Listable {
    static let tableColumns = ["handle", "name", "titles", "email"]
    var tableRow: [String] {
        [handle, Disclosure.mark(name, sensitive), currentTitles.joined(separator: "; "), email ?? ""]
    }
    static let csvColumns = ["handle", "name", "email", "phone", "languages", "secure_messaging", "notes", "sensitive", "titles", "sources"]
    var csvRow: [String] {
        [handle, name, email ?? "", phone ?? "", languages.joinedForCSV, secureMessaging ?? "", notes ?? "", String(sensitive),
         titles.map(\.summary).joinedForCSV, sources.joinedForCSV]
    }

    /// Titles held now, each with its basis: "General President, ue (as of 2025-05, ue-79-international-solidarity)".
    var currentTitles: [String] { titles.filter { $0.until == nil }.map(\.summary) }
}

extension Relationship: Listable {
    static let tableColumns = ["from", "kind", "to", "status", "since", "until"]
    var tableRow: [String] { [from, kind.rawValue, to, status.rawValue, since.text, until.text] }
    static let csvColumns = ["from", "to", "kind", "status", "since", "until", "notes", "sources"]
    var csvRow: [String] { [from, to, kind.rawValue, status.rawValue, since.text, until.text, notes ?? "", sources.joinedForCSV] }
}

extension SearchHit: Listable {
    static let tableColumns = ["kind", "handle", "name", "detail"]
    var tableRow: [String] { [kind.rawValue, handle, Disclosure.mark(name, sensitive), detail] }
    static let csvColumns = ["kind", "handle", "name", "detail", "sensitive"]
    var csvRow: [String] { [kind.rawValue, handle, name, detail, String(sensitive)] }
}

extension MigrationStatus: Listable {
    static let tableColumns = ["migration", "state", "applied_at"]
    var tableRow: [String] { [name, state.rawValue, appliedAt ?? ""] }
    static let csvColumns = tableColumns
    var csvRow: [String] { tableRow }
}

extension Organization.Alias {
    /// "Central Union of Workers@en", the form `--alias` and CSV take.
    var label: String { lang.map { "\(name)@\($0)" } ?? name }
}

extension Employer: Listable {
    static let tableColumns = ["handle", "name", "country", "parent"]
    var tableRow: [String] { [handle, name, country ?? "", parent ?? ""] }
    static let csvColumns = ["handle", "name", "aliases", "country", "parent", "website", "notes", "sources"]
    var csvRow: [String] { [handle, name, aliases.joinedForCSV, country ?? "", parent ?? "", website ?? "", notes ?? "", sources.joinedForCSV] }
}

extension Site: Listable {
    static let tableColumns = ["id", "employer", "name", "country", "city", "unions"]
    var tableRow: [String] { [id, employer, name, country, city ?? "", unions.filter { $0.until == nil }.map(\.organization).joined(separator: ", ")] }
    static let csvColumns = ["id", "employer", "name", "country", "region", "city", "sector", "notes", "unions", "sources"]
    var csvRow: [String] {
        [id, employer, name, country, region ?? "", city ?? "", sector ?? "", notes ?? "", unions.map(\.summary).joinedForCSV, sources.joinedForCSV]
    }
}

extension Site.Representation {
    /// "ue-local-506", or "ue-local-506 (2019–2024)" when dated.
    var summary: String {
        since == nil && until == nil ? organization : "\(organization) (\(since.text)–\(until.text))"
    }
}
