import Foundation

/// Word and OpenDocument files through pandoc, from the Markdown appendix.
public enum Pandoc {
    /// The pandoc program in the folders of `searchPath` (a `PATH` value; nil: the usual folders).
    public static func locate(searchPath: String?) throws -> String {
        let path = searchPath ?? "/usr/local/bin:/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            let candidate = "\(folder)/pandoc"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw SolidarityError(.database, "docx and odt are made with pandoc, which is not installed: install Debian's pandoc package (sudo apt-get install pandoc).", remedy: .appendixAsMarkdownOrHTML)
    }

    /// Converts the Markdown `markdown` to `format` and hands the result to `write`, chunk by
    /// chunk. pandoc writes to a pipe, never to a file of its own, so that the output file is the
    /// caller's: owner-only from its first byte and in place only once complete.
    public static func convert(_ markdown: Data, to format: String, pandoc: String, into write: (Data) throws -> Void) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: pandoc)
        process.arguments = ["--from", "commonmark_x", "--to", format, "--output", "-"]
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // The Markdown goes in and pandoc's complaints come out on their own threads, so that no
        // full pipe blocks pandoc while its document is read here.
        let fed = DispatchGroup(), message = Drain(errors.fileHandleForReading)
        DispatchQueue.global().async(group: fed) {
            try? input.fileHandleForWriting.write(contentsOf: markdown)
            try? input.fileHandleForWriting.close()
        }
        var failure: (any Error)?
        while true {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            // After a failed write pandoc's output is still read to its end, so that it can finish.
            if failure == nil { do { try write(chunk) } catch { failure = error } }
        }
        fed.wait()
        process.waitUntilExit()
        if let failure { throw failure }
        guard process.terminationStatus == 0 else {
            throw SolidarityError(.database, "pandoc could not make the \(format) file: \(message.text.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
    }

    /// What a pipe gives until its end, read on a thread of its own.
    private final class Drain: @unchecked Sendable {
        // `bytes` is written by the reading thread before `done` is signalled, and read only after.
        private var bytes = Data()
        private let done = DispatchSemaphore(value: 0)

        init(_ handle: FileHandle) {
            DispatchQueue.global().async { [self] in
                bytes = handle.readDataToEndOfFile()
                done.signal()
            }
        }

        /// The whole text, once the pipe has closed.
        var text: String {
            done.wait()
            done.signal()
            return String(decoding: bytes, as: UTF8.self)
        }
    }
}
