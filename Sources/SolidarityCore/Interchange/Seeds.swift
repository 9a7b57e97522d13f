import Foundation
import GRDB

/// The shipped data set built from the seed texts, compiled into the binary.
public enum Seeds {
    /// The embedded Seeds document.
    public static func document() throws -> InterchangeDocument {
        try InterchangeDocument.decode(Data(PackageResources.seeds_json), name: "the embedded Seeds")
    }
}
