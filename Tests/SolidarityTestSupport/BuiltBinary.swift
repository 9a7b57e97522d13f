import Foundation

/// The `solidarity` binary the tests run, as a user or a script would: `$SOLIDARITY_BIN` when set,
/// else the one SwiftPM built next to the test bundle.
public enum BuiltBinary {
    public static let solidarity: URL = {
        if let path = ProcessInfo.processInfo.environment["SOLIDARITY_BIN"] { return URL(fileURLWithPath: path) }
        var folder = Bundle.main.bundleURL
        while folder.path != "/" {
            let candidate = folder.appendingPathComponent("solidarity")
            if FileManager.default.isExecutableFile(atPath: candidate.path), !candidate.hasDirectoryPath { return candidate }
            folder.deleteLastPathComponent()
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug/solidarity")
    }()
}
