import Foundation

/// A named line of work, tagged onto records: "Climate Change and Just Transition", with the
/// sources that say it exists.
public struct Campaign: Codable, Equatable, Sendable {
    public var handle: String
    public var name: String
    @Nullable public var notes: String?
    public var sources: [String]

    public init(handle: String = "", name: String, notes: String? = nil, sources: [String] = []) {
        self.handle = handle
        self.name = name
        self.notes = notes
        self.sources = sources
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case handle, name, notes, sources }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        handle = try c.decodeIfPresent(String.self, forKey: .handle) ?? Naming.slug(name)
        notes = try c.decodeIfPresent(String.self, forKey: .notes)
        sources = try c.decodeIfPresent([String].self, forKey: .sources) ?? []
    }
}
