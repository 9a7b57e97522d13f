import Foundation

/// A contact: someone at an allied organization, or one of our own officers and staff.
public struct Person: Codable, Equatable, Sendable {
    /// A title a person holds or held at an organization ("General President" of UE).
    ///
    /// A text often names a title without saying since when it is held: `asOf` is then the day,
    /// month or year the text shows it held, and `source` the source that says so, so that a
    /// listing shows the title's basis rather than passing it off as current.
    public struct Title: Codable, Equatable, Sendable {
        public var organization: String
        public var title: String
        @Nullable public var since: PartialDate?
        @Nullable public var until: PartialDate?
        @Nullable public var asOf: PartialDate?
        /// The id of the source the title comes from.
        @Nullable public var source: String?

        /// From `since` to `until`: the time the title was held, as far as known.
        public var period: Period { Period(since: since, until: until) }

        public init(organization: String, title: String, since: PartialDate? = nil, until: PartialDate? = nil,
                    asOf: PartialDate? = nil, source: String? = nil) {
            self.organization = organization
            self.title = title
            self.since = since
            self.until = until
            self.asOf = asOf
            self.source = source
        }

        enum CodingKeys: String, CodingKey {
            case organization, title, since, until, source
            case asOf = "as_of"
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            self.init(organization: try c.decode(String.self, forKey: .organization), title: try c.decode(String.self, forKey: .title),
                      since: try c.decodeIfPresent(PartialDate.self, forKey: .since), until: try c.decodeIfPresent(PartialDate.self, forKey: .until),
                      asOf: try c.decodeIfPresent(PartialDate.self, forKey: .asOf), source: try c.decodeIfPresent(String.self, forKey: .source))
        }

        /// What the title rests on, as listings show it after the title: its period ("2019–2024"),
        /// else the day a text shows it held, and the source ("as of 2020, ue-nasp-resolution");
        /// nil when nothing is known but the title itself.
        public var basis: String? {
            let period = (since == nil && until == nil) ? nil : "\(since?.description ?? "")–\(until?.description ?? "")"
            let parts = [period, asOf.map { "as of \($0)" }, source].compactMap { $0 }
            return parts.isEmpty ? nil : parts.joined(separator: ", ")
        }

        /// "Secretary-Treasurer, ue (as of 2020, ue-nasp-resolution)": the title, where, and its basis.
        public var summary: String {
            "\(title), \(organization)\(basis.map { " (\($0))" } ?? "")"
        }
    }

    public var handle: String
    public var name: String
    @Nullable public var email: String?
    @Nullable public var phone: String?
    public var languages: [String]
    @Nullable public var secureMessaging: String?
    @Nullable public var notes: String?
    public var sensitive: Bool
    public var titles: [Title]
    public var sources: [String]

    public init(
        handle: String = "", name: String, email: String? = nil, phone: String? = nil, languages: [String] = [],
        secureMessaging: String? = nil, notes: String? = nil, sensitive: Bool = false, titles: [Title] = [],
        sources: [String] = []
    ) {
        self.handle = handle
        self.name = name
        self.email = email
        self.phone = phone
        self.languages = languages
        self.secureMessaging = secureMessaging
        self.notes = notes
        self.sensitive = sensitive
        self.titles = titles
        self.sources = sources
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case handle, name, email, phone, languages, notes, sensitive, titles, sources
        case secureMessaging = "secure_messaging"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            handle: try c.decodeIfPresent(String.self, forKey: .handle) ?? "",
            name: try c.decode(String.self, forKey: .name),
            email: try c.decodeIfPresent(String.self, forKey: .email),
            phone: try c.decodeIfPresent(String.self, forKey: .phone),
            languages: try c.decodeIfPresent([String].self, forKey: .languages) ?? [],
            secureMessaging: try c.decodeIfPresent(String.self, forKey: .secureMessaging),
            notes: try c.decodeIfPresent(String.self, forKey: .notes),
            sensitive: try c.decodeIfPresent(Bool.self, forKey: .sensitive) ?? false,
            titles: try c.decodeIfPresent([Title].self, forKey: .titles) ?? [],
            sources: try c.decodeIfPresent([String].self, forKey: .sources) ?? [])
    }

    /// Checks every field that can be wrong on its face.
    public mutating func validate() throws {
        name = name.trimmingWhitespace()
        guard !name.isEmpty else { throw SolidarityError.invalid("A person needs a name.") }
        try TextRules.checkLine(name, "A person's name")
        try checkNamesVisible()
        for (text, what) in [(email, "An email address"), (phone, "A phone number")] {
            if let text { try TextRules.checkLine(text, what) }
        }
        if !handle.isEmpty { try Naming.checkHandle(handle) }
        email = email?.trimmingWhitespace(newlines: false).nilIfEmpty
        if let email {
            let parts = email.split(separator: "@", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !email.contains(" ") else {
                throw SolidarityError.invalid("\"\(TextRules.printable(email))\" is not an email address: write it as name@example.org.")
            }
        }
        phone = phone?.trimmingWhitespace(newlines: false).nilIfEmpty
        for lang in languages { try Naming.checkLanguage(lang) }
        if Set(languages).count != languages.count {
            throw SolidarityError.invalid("A language is listed twice for \(name).", remedy: .giveEachOnce(.lang))
        }
        for (index, title) in titles.enumerated() {
            let trimmed = title.title.trimmingWhitespace(newlines: false)
            guard !trimmed.isEmpty else { throw SolidarityError.invalid("A title cannot be empty.", remedy: .giveWith(.title, "the title held")) }
            try TextRules.checkLine(trimmed, "A title")
            titles[index].title = trimmed
            try title.period.check("the title \(trimmed)")
        }
    }

    /// The handle DESIGN.md's rule gives: from the name.
    public var proposedHandle: String { Naming.slug(name) }
}
