import Foundation

/// A resolution of a convention: its preamble, its ordered resolved clauses, and the
/// organizations each clause names.
public struct Resolution: Codable, Equatable, Sendable {
    /// Where a resolution stands.
    public enum Status: String, Codable, CaseIterable, Sendable, Vocabulary {
        case draft, submitted, adopted, amended, rejected
    }

    /// One resolved clause and the organizations and campaigns it names, in the order it names them
    /// (clause 5 of the 79th UE Convention's resolution names the UE-FAT Solidarity Fund).
    public struct Clause: Codable, Equatable, Sendable {
        public var text: String
        public var organizations: [String]
        public var campaigns: [String]
        public init(text: String, organizations: [String] = [], campaigns: [String] = []) {
            self.text = text
            self.organizations = organizations
            self.campaigns = campaigns
        }

        enum CodingKeys: String, CodingKey { case text, organizations, campaigns }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            self.init(text: try c.decode(String.self, forKey: .text),
                      organizations: try c.decodeIfPresent([String].self, forKey: .organizations) ?? [],
                      campaigns: try c.decodeIfPresent([String].self, forKey: .campaigns) ?? [])
        }
    }

    public var handle: String
    public var convention: String
    public var title: String
    public var status: Status
    public var preamble: String
    public var clauses: [Clause]
    public var employers: [String]
    public var sources: [String]
    @Nullable public var notes: String?

    public init(handle: String = "", convention: String, title: String, status: Status = .draft, preamble: String = "",
                clauses: [Clause] = [], employers: [String] = [], sources: [String] = [], notes: String? = nil) {
        self.handle = handle
        self.convention = convention
        self.title = title
        self.status = status
        self.preamble = preamble
        self.clauses = clauses
        self.employers = employers
        self.sources = sources
        self.notes = notes
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case handle, convention, title, status, preamble, clauses, employers, sources, notes }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(handle: try c.decodeIfPresent(String.self, forKey: .handle) ?? "", convention: try c.decode(String.self, forKey: .convention),
                  title: try c.decode(String.self, forKey: .title), status: try c.decodeIfPresent(Status.self, forKey: .status) ?? .draft,
                  preamble: try c.decodeIfPresent(String.self, forKey: .preamble) ?? "", clauses: try c.decodeIfPresent([Clause].self, forKey: .clauses) ?? [],
                  employers: try c.decodeIfPresent([String].self, forKey: .employers) ?? [],
                  sources: try c.decodeIfPresent([String].self, forKey: .sources) ?? [], notes: try c.decodeIfPresent(String.self, forKey: .notes))
    }

    /// The organizations the clauses name, in the order they are first named.
    public var namedOrganizations: [String] {
        var seen = Set<String>()
        return clauses.flatMap(\.organizations).filter { seen.insert($0).inserted }
    }

    public mutating func validate() throws {
        title = title.trimmingWhitespace()
        guard !title.isEmpty else { throw SolidarityError.invalid("A resolution needs a title.", remedy: .give(.title)) }
        try TextRules.checkLine(title, "A resolution's title")
        try checkNamesVisible()
        try TextRules.check(preamble, "The preamble")
        for (index, clause) in clauses.enumerated() { try TextRules.check(clause.text, "Clause \(index + 1)") }
        if !handle.isEmpty { try Naming.checkHandle(handle) }
        guard !clauses.isEmpty else { throw SolidarityError.invalid(ResolutionText.noClausesMessage) }
    }
}

/// Reads a resolution as staff write it: a preamble, then the resolved clauses as a bulleted or
/// numbered list, introduced by a line such as "THEREFORE, BE IT RESOLVED …" or simply ending the text.
public enum ResolutionText {
    static let noClausesMessage = """
        Found no resolved clauses. The tool looks for a line such as "THEREFORE, BE IT RESOLVED …" followed by \
        a bulleted (-, *, •) or numbered (1. or 1)) list, or for such a list at the end of the text.
        """

    /// The preamble (everything before the clauses, the "BE IT RESOLVED" line included) and the clauses.
    public static func parse(_ text: String) throws -> (preamble: String, clauses: [String]) {
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // Clauses start after the last "be it resolved" line, or at the list that ends the text.
        let resolvedLine = lines.lastIndex { $0.range(of: "be it resolved", options: [.caseInsensitive, .diacriticInsensitive]) != nil
            || $0.range(of: "be it further resolved", options: .caseInsensitive) != nil }
        var start: Int
        if let resolvedLine {
            start = resolvedLine + 1
        } else {
            // Walk back from the end over list items and their continuation lines.
            var index = lines.count - 1
            while index >= 0, lines[index].trimmingWhitespace(newlines: false).isEmpty { index -= 1 }
            var firstItem: Int?
            while index >= 0 {
                let line = lines[index]
                if itemText(line) != nil { firstItem = index }
                else if line.trimmingWhitespace(newlines: false).isEmpty || isContinuation(line) {
                    // A blank line or an indented continuation may sit inside the list.
                } else if firstItem != nil { break }
                else { throw SolidarityError.invalid(noClausesMessage) }
                index -= 1
            }
            guard let firstItem else { throw SolidarityError.invalid(noClausesMessage) }
            start = firstItem
        }
        var clauses: [String] = []
        var current: String?
        for line in lines[start...] {
            let trimmed = line.trimmingWhitespace(newlines: false)
            if let item = itemText(line) {
                if let current { clauses.append(current) }
                current = item
            } else if trimmed.isEmpty {
                continue
            } else if current != nil {
                current! += " " + trimmed
            } else if resolvedLine != nil, clauses.isEmpty {
                // A single unbulleted clause after "BE IT RESOLVED".
                current = trimmed
            }
        }
        if let current { clauses.append(current) }
        clauses = clauses.map { $0.trimmingWhitespace(newlines: false) }.filter { !$0.isEmpty }
        guard !clauses.isEmpty else { throw SolidarityError.invalid(noClausesMessage) }
        let preamble = lines[..<start].joined(separator: "\n").trimmingWhitespace()
        return (preamble, clauses)
    }

    /// The text of a list item line ("- text", "* text", "• text", "1. text", "1) text"), or nil.
    static func itemText(_ line: String) -> String? {
        let trimmed = line.drop { $0 == " " || $0 == "\t" }
        for bullet in ["- ", "* ", "• ", "– ", "— "] where trimmed.hasPrefix(bullet) {
            return String(trimmed.dropFirst(bullet.count))
        }
        let digits = trimmed.prefix { $0.isASCII && $0.isNumber }
        if !digits.isEmpty, digits.count <= 3 {
            let rest = trimmed.dropFirst(digits.count)
            if rest.hasPrefix(". ") || rest.hasPrefix(") ") { return String(rest.dropFirst(2)) }
        }
        return nil
    }

    /// An indented line that continues the previous item.
    static func isContinuation(_ line: String) -> Bool {
        (line.hasPrefix("  ") || line.hasPrefix("\t")) && !line.trimmingWhitespace(newlines: false).isEmpty
    }
}
