import Foundation
@testable import SolidarityCore

/// A fresh temporary folder per test, removed by the caller's `defer`.
struct TemporaryFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("solidarity-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    func remove() { try? FileManager.default.removeItem(at: url) }
}

/// A new database in a temporary folder, with the Seeds loaded when asked.
func makeStore(seeded: Bool = false, home: String? = nil) throws -> (Store, TemporaryFolder) {
    let folder = try TemporaryFolder()
    let store = try Store(path: folder.path("test.sqlite"), access: .create)
    if seeded { _ = try store.seed(home: home) }
    return (store, folder)
}

/// The SQLite file's bytes, to check that a refused command wrote nothing.
func contents(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }
