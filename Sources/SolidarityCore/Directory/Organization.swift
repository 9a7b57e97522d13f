import Foundation

/// A union, local, council, confederation, global union federation, network or allied group.
///
/// This is the record as users and the interchange format see it: references to other records
/// are handles. `parent` is structure (a local of its union); everything between independent
/// organizations is a `Relationship`.
public struct Organization: Codable, Equatable, Sendable {
    /// What sort of body an organization is.
    public enum Kind: String, Codable, CaseIterable, Sendable {
        case union, local, council, division, confederation
        case globalUnionFederation = "global_union_federation"
        case network
        case alliedGroup = "allied_group"
    }

    /// Another name an organization is known by, in a language.
    public struct Alias: Codable, Equatable, Sendable {
        public var name: String
        @Nullable public var lang: String?
        public init(name: String, lang: String? = nil) {
            self.name = name
            self.lang = lang
        }
    }

    public var handle: String
    public var name: String
    @Nullable public var acronym: String?
    @Nullable public var nativeName: String?
    @Nullable public var nativeNameLang: String?
    public var kind: Kind
    @Nullable public var country: String?
    @Nullable public var region: String?
    @Nullable public var city: String?
    @Nullable public var parent: String?
    @Nullable public var members: Int?
    @Nullable public var membersAsOf: PartialDate?
    @Nullable public var website: String?
    @Nullable public var notes: String?
    public var sensitive: Bool
    public var aliases: [Alias]
    public var campaigns: [String]
    public var sources: [String]

    public init(
        handle: String = "", name: String, acronym: String? = nil, nativeName: String? = nil,
        nativeNameLang: String? = nil, kind: Kind = .union, country: String? = nil, region: String? = nil,
        city: String? = nil, parent: String? = nil, members: Int? = nil, membersAsOf: PartialDate? = nil,
        website: String? = nil, notes: String? = nil, sensitive: Bool = false, aliases: [Alias] = [],
        campaigns: [String] = [], sources: [String] = []
    ) {
        self.handle = handle
        self.name = name
        self.acronym = acronym
        self.nativeName = nativeName
        self.nativeNameLang = nativeNameLang
        self.kind = kind
        self.country = country
        self.region = region
        self.city = city
        self.parent = parent
        self.members = members
        self.membersAsOf = membersAsOf
        self.website = website
        self.notes = notes
        self.sensitive = sensitive
        self.aliases = aliases
        self.campaigns = campaigns
        self.sources = sources
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case handle, name, acronym, kind, country, region, city, parent, members, website, notes, sensitive
        case aliases, campaigns, sources
        case nativeName = "native_name"
        case nativeNameLang = "native_name_lang"
        case membersAsOf = "members_as_of"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            handle: try c.decodeIfPresent(String.self, forKey: .handle) ?? "",
            name: try c.decode(String.self, forKey: .name),
            acronym: try c.decodeIfPresent(String.self, forKey: .acronym),
            nativeName: try c.decodeIfPresent(String.self, forKey: .nativeName),
            nativeNameLang: try c.decodeIfPresent(String.self, forKey: .nativeNameLang),
            kind: try c.decodeIfPresent(Kind.self, forKey: .kind) ?? .union,
            country: try c.decodeIfPresent(String.self, forKey: .country),
            region: try c.decodeIfPresent(String.self, forKey: .region),
            city: try c.decodeIfPresent(String.self, forKey: .city),
            parent: try c.decodeIfPresent(String.self, forKey: .parent),
            members: try c.decodeIfPresent(Int.self, forKey: .members),
            membersAsOf: try c.decodeIfPresent(PartialDate.self, forKey: .membersAsOf),
            website: try c.decodeIfPresent(String.self, forKey: .website),
            notes: try c.decodeIfPresent(String.self, forKey: .notes),
            sensitive: try c.decodeIfPresent(Bool.self, forKey: .sensitive) ?? false,
            aliases: try c.decodeIfPresent([Alias].self, forKey: .aliases) ?? [],
            campaigns: try c.decodeIfPresent([String].self, forKey: .campaigns) ?? [],
            sources: try c.decodeIfPresent([String].self, forKey: .sources) ?? [])
    }

    /// The short name used in listings and sentences: the acronym when there is one.
    public var shortName: String { acronym ?? name }

    /// Checks every field that can be wrong on its face, normalizing codes ("mx" → "MX").
    public mutating func validate() throws {
        name = name.trimmingWhitespace()
        guard !name.isEmpty else { throw SolidarityError.invalid("An organization needs a name.") }
        try TextRules.checkLine(name, "An organization's name")
        try checkNamesVisible()
        for (text, what) in [(acronym, "An acronym"), (nativeName, "A native-language name"), (city, "A city")] {
            if let text { try TextRules.checkLine(text, what) }
        }
        if !handle.isEmpty { try Naming.checkHandle(handle) }
        acronym = acronym?.trimmingWhitespace(newlines: false).nilIfEmpty
        if let acronym, Naming.key(acronym).isEmpty {
            throw SolidarityError.invalid("\"\(TextRules.printable(acronym))\" is not an acronym: it needs at least one letter or digit.")
        }
        nativeName = nativeName?.trimmingWhitespace(newlines: false).nilIfEmpty
        if let lang = nativeNameLang { try Naming.checkLanguage(lang) }
        if nativeName != nil, nativeNameLang == nil {
            throw SolidarityError.invalid("The native-language name \"\(TextRules.printable(nativeName!))\" needs its language.", remedy: .add(.lang, example: "es"))
        }
        if nativeName == nil, nativeNameLang != nil {
            throw SolidarityError.invalid("\(nativeNameLang!) is given as the language of the native-language name, but the name itself is not.", remedy: .giveToo(.nativeName))
        }
        if let code = country { country = try Country(code).code }
        if let code = region {
            region = try Region.check(code, country: country)
            country = String(region!.prefix(2))
        }
        if let members, members < 0 { throw SolidarityError.invalid("Members cannot be negative (\(members)).") }
        if membersAsOf != nil, members == nil {
            throw SolidarityError.invalid("A members-as-of date needs a member count.", remedy: .add(.members))
        }
        for (index, alias) in aliases.enumerated() {
            let trimmed = alias.name.trimmingWhitespace(newlines: false)
            guard !trimmed.isEmpty else { throw SolidarityError.invalid("An alias cannot be empty.") }
            try TextRules.checkLine(trimmed, "An alias")
            aliases[index].name = trimmed
            if let lang = alias.lang { try Naming.checkLanguage(lang) }
        }
    }

    /// The handle DESIGN.md's rule gives: from the acronym, else the name.
    public var proposedHandle: String { Naming.slug(acronym ?? name) }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
