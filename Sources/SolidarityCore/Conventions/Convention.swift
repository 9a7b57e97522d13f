import Foundation

/// A convention of an organization: its number, dates and place, each of which may be unknown.
public struct Convention: Codable, Equatable, Sendable {
    public var handle: String
    public var organization: String
    public var name: String
    @Nullable public var number: Int?
    @Nullable public var start: PartialDate?
    @Nullable public var end: PartialDate?
    @Nullable public var city: String?
    @Nullable public var country: String?
    @Nullable public var notes: String?

    public init(handle: String = "", organization: String, name: String, number: Int? = nil, start: PartialDate? = nil,
                end: PartialDate? = nil, city: String? = nil, country: String? = nil, notes: String? = nil) {
        self.handle = handle
        self.organization = organization
        self.name = name
        self.number = number
        self.start = start
        self.end = end
        self.city = city
        self.country = country
        self.notes = notes
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case handle, organization, name, number, start, end, city, country, notes }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(handle: try c.decodeIfPresent(String.self, forKey: .handle) ?? "", organization: try c.decode(String.self, forKey: .organization),
                  name: try c.decode(String.self, forKey: .name), number: try c.decodeIfPresent(Int.self, forKey: .number),
                  start: try c.decodeIfPresent(PartialDate.self, forKey: .start), end: try c.decodeIfPresent(PartialDate.self, forKey: .end),
                  city: try c.decodeIfPresent(String.self, forKey: .city), country: try c.decodeIfPresent(String.self, forKey: .country),
                  notes: try c.decodeIfPresent(String.self, forKey: .notes))
    }

    /// Checks every field that can be wrong on its face.
    public mutating func validate() throws {
        name = name.trimmingWhitespace()
        guard !name.isEmpty else { throw SolidarityError.invalid("A convention needs a name.", remedy: .give(.name, example: "\"79th UE Convention\"")) }
        try TextRules.checkLine(name, "A convention's name")
        try checkNamesVisible()
        if let city { try TextRules.checkLine(city, "A city") }
        if !handle.isEmpty { try Naming.checkHandle(handle) }
        if let number, number < 1 { throw SolidarityError.invalid("A convention's number is 1 or more (got \(number)).") }
        if Period(since: start, until: end).endsBeforeStart, let start, let end {
            throw SolidarityError.invalid("The convention's end (\(end)) is before its start (\(start)): swap them or correct one.")
        }
        if end != nil, start == nil { throw SolidarityError.invalid("An end date needs a start date.", remedy: .giveToo(.start)) }
        if let code = country { country = try Country(code).code }
    }
}
