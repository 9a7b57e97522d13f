import Foundation
import GRDB

/// A citation a record can carry: a URL or a document's title, its publisher, date and an excerpt.
public struct Source: Codable, Equatable, Sendable {
    public var id: String
    @Nullable public var url: String?
    @Nullable public var title: String?
    @Nullable public var publisher: String?
    @Nullable public var published: PartialDate?
    @Nullable public var excerpt: String?

    public init(id: String = "", url: String? = nil, title: String? = nil, publisher: String? = nil,
                published: PartialDate? = nil, excerpt: String? = nil) {
        self.id = id
        self.url = url
        self.title = title
        self.publisher = publisher
        self.published = published
        self.excerpt = excerpt
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case id, url, title, publisher, published, excerpt }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try c.decode(String.self, forKey: .id),
            url: try c.decodeIfPresent(String.self, forKey: .url),
            title: try c.decodeIfPresent(String.self, forKey: .title),
            publisher: try c.decodeIfPresent(String.self, forKey: .publisher),
            published: try c.decodeIfPresent(PartialDate.self, forKey: .published),
            excerpt: try c.decodeIfPresent(String.self, forKey: .excerpt))
    }

    /// A new short random identifier: 10 characters of lowercase base32.
    public static func newID() -> String { RandomID.make() }
}

extension Source {
    /// A source from a row of `sources`.
    init(row: Row) throws {
        try self.init(record: SourceRecord(row: row))
    }
}
