import Foundation
import Testing

/// The README and docs/ as a reader finds them: real output, links that lead somewhere, a short front door.
@Suite("Documentation")
struct DocsTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static func text(_ path: String) throws -> String {
        try String(contentsOf: repository.appendingPathComponent(path), encoding: .utf8)
    }

    /// Runs `script/docs-check` with the given arguments; returns its exit status and what it printed.
    static func docsCheck(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", repository.appendingPathComponent("script/docs-check").path] + arguments
        process.currentDirectoryURL = repository
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        do {
            try process.run()
        } catch {
            Issue.record("script/docs-check needs python3, which did not start (\(error)): install Debian's python3 package (script/bootstrap does).")
            throw error
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test("Every example in README.md and docs/ prints what the built binary prints")
    func examplesAreRealOutput() throws {
        let result = try Self.docsCheck(["--binary", CommandLine.binary.path])
        #expect(result.status == 0, "These blocks differ from the real output (run script/docs-check --update and read the diff):\n\(result.output)")
    }

    @Test("Every relative link in README.md and docs/ leads to a file and heading that exist")
    func linksLeadSomewhere() throws {
        let result = try Self.docsCheck(["--links"])
        #expect(result.status == 0, "Broken links:\n\(result.output)")
    }

    @Test("The README is a front door: at most 600 lines, opening with the three jobs and pointing into docs/")
    func readmeIsAFrontDoor() throws {
        let lines = try Self.text("README.md").components(separatedBy: "\n")
        #expect(lines.count <= 600, "README.md has \(lines.count) lines; move detail into docs/.")
        let jobs = lines.firstIndex(of: "## The three jobs in five minutes")
        #expect(jobs != nil && jobs! < 120, "The section \"The three jobs in five minutes\" must start within the README's first 120 lines.")
        for page in ["commands", "spreadsheets", "notifications", "backups-and-migrations", "development", "performance"] {
            #expect(lines.contains { $0.contains("(docs/\(page).md)") }, "The README's table of contents does not point to docs/\(page).md.")
        }
    }

    @Test("Each page of docs/ opens by saying who it is for")
    func pagesSayWhoTheyAreFor() throws {
        let folder = Self.repository.appendingPathComponent("docs")
        let pages = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".md") }
        #expect(!pages.isEmpty)
        for page in pages {
            let lines = try Self.text("docs/\(page)").components(separatedBy: "\n").filter { !$0.isEmpty }
            #expect(lines.count > 1 && lines[0].hasPrefix("# ") && lines[1].hasPrefix("For "),
                    "docs/\(page) should open with its title, then one sentence beginning \"For …\" saying who it is for.")
        }
    }

    @Test("The demo prints the same build path as the README gives")
    func demoAndReadmeAgreeOnTheBuildPath() throws {
        let demo = try Self.text("script/demo")
        let line = try #require(demo.components(separatedBy: "\n").first { $0.hasPrefix("bin=") }, "script/demo sets no bin=")
        let path = String(line.dropFirst("bin=".count))
        #expect(!path.contains("$("), "script/demo computes its build path (\(path)) instead of printing the one the README gives.")
        #expect(try Self.text("README.md").contains("`\(path)`"), "The README does not give the demo's build path \(path).")
        #expect(FileManager.default.isExecutableFile(atPath: Self.repository.appendingPathComponent(path).path),
                "\(path) is not the built binary after `swift build`.")
    }

    @Test("The follow-up warning is documented as it works: it comes back on a new start or a new follow-up, not after every change")
    func followUpWarningRuleIsStatedExactly() throws {
        let page = try Self.text("docs/delegations.md")
        #expect(!page.contains("after\n  every change") && !page.contains("after every change"))
        #expect(page.contains("comes back when you change the trip's start"))
    }

    @Test("The migration example names the next free number, not one that exists under another name")
    func migrationExampleUsesTheNextNumber() throws {
        let page = try Self.text("docs/development.md")
        let existing = try FileManager.default.contentsOfDirectory(atPath: Self.repository.appendingPathComponent("Migrations").path)
        let named = page.matches(of: /Migrations\/((\d{4})_[a-z_]+\.sql)/).map { (file: String($0.1), number: String($0.2)) }
        #expect(!named.isEmpty)
        for (file, number) in named where !existing.contains(file) {
            let taken = existing.filter { $0.hasPrefix(number + "_") }
            #expect(taken.isEmpty, "docs/development.md names Migrations/\(file), but \(taken.joined(separator: ", ")) already has that number.")
        }
    }

    @Test("The README says what each of the four seed texts gives the Seeds, and that the USW page gives nothing")
    func readmeSaysWhatEachSeedTextGives() throws {
        let readme = try Self.text("README.md")
        for text in ["79th UE Convention's resolution", "North American Solidarity Project", "AFL-CIO news page", "USW \"Solidarity Works\" podcast page"] {
            #expect(readme.contains(text), "The README's Seeds section does not name \(text).")
        }
        #expect(readme.contains("Plattsburgh") && readme.contains("IAM"))
        #expect(readme.contains("podcast page** gives nothing"), "The README must say that the USW podcast page gives the Seeds nothing.")
    }
}
