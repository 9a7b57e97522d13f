import Foundation
import Testing

// `org|person|employer duplicates`, `not-duplicates` and `merge`, as a staffer types them.

@Suite("Duplicates and merge commands")
struct DuplicatesCommandTests {
    @discardableResult
    static func run(_ cli: CommandLine, _ arguments: String...) throws -> CommandLine.Result {
        let result = try cli.run(arguments)
        try #require(result.status == 0, "\(arguments.joined(separator: " ")): \(result.stderr)")
        return result
    }

    @Test("duplicates lists the pair with its score and reasons in every format, and says how to merge it")
    func listing() throws {
        let cli = try CommandLine.inProcess()
        defer { cli.cleanUp() }
        try Self.run(cli, "init", "--seed", "--home", "ue")
        #expect(try Self.run(cli, "org", "duplicates").stdout == "No organizations look like duplicates.\n")
        try Self.run(cli, "org", "add", "CONFEDERATION DES SYNDICATS NATIONAUX", "--handle", "csn-2", "--kind", "confederation", "--country", "CA")
        let table = try Self.run(cli, "org", "duplicates")
        #expect(table.stdout.contains("80     csn-2   CONFEDERATION DES SYNDICATS NATIONAUX  csn"))
        #expect(table.stderr.contains("solidarity org merge csn-2 --into csn"))
        let csv = try Self.run(cli, "org", "duplicates", "--format", "csv")
        #expect(csv.stdout.hasPrefix("score,first,first_name,second,second_name,reasons,marked_not_duplicates,sensitive\r\n"))
        #expect(csv.stdout.contains("80,csn-2,CONFEDERATION DES SYNDICATS NATIONAUX,csn,Confédération des syndicats nationaux,same name; same country,false,false"))
        let json = try Self.run(cli, "org", "duplicates", "--format", "json")
        let decoded = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]]
        #expect(decoded?.first?["score"] as? Int == 80)
        #expect(decoded?.first?["reasons"] as? [String] == ["same name", "same country"])

        try Self.run(cli, "org", "not-duplicates", "csn-2", "csn")
        #expect(try Self.run(cli, "org", "duplicates").stdout == "No organizations look like duplicates.\n")
        #expect(try Self.run(cli, "org", "duplicates", "--all").stdout.contains("marked not duplicates"))
    }

    @Test("merge is a dry run until --yes; then the old handle finds the record kept and says so once on stderr")
    func merge() throws {
        let cli = try CommandLine.inProcess()
        defer { cli.cleanUp() }
        try Self.run(cli, "init", "--seed", "--home", "ue")
        try Self.run(cli, "org", "add", "Confederation des Syndicats Nationaux", "--handle", "csn-2", "--kind", "confederation",
                     "--country", "CA", "--website", "https://csn.qc.ca")
        try Self.run(cli, "relate", "csn-2", "fat", "--kind", "partner")
        try Self.run(cli, "relate", "csn-2", "csn", "--kind", "ally")
        let before = try cli.dump()

        let dry = try Self.run(cli, "org", "merge", "csn-2", "--into", "csn")
        #expect(dry.stdout.contains("Merging csn-2 into csn would:"))
        #expect(dry.stdout.contains("relationships: 1 to move, 1 to fold"))
        #expect(dry.stdout.contains("name: keep csn's \"Confédération des syndicats nationaux\", not csn-2's \"Confederation des Syndicats Nationaux\" (--keep name=a for that one)"))
        #expect(dry.stdout.contains("website: keep csn-2's \"https://csn.qc.ca\""))
        #expect(dry.stdout.contains("Nothing was changed (a dry run). To merge: solidarity org merge csn-2 --into csn --yes"))
        #expect(try cli.dump() == before)

        let bad = try cli.run("org", "merge", "csn-2", "--into", "csn", "--keep", "colour=a")
        #expect(bad.status == 64 && bad.stderr.contains("colour is not a field"))
        let usage = try cli.run("org", "merge", "csn-2", "--into", "csn", "--keep", "website")
        #expect(usage.status == 64)
        #expect(try cli.dump() == before)

        let done = try Self.run(cli, "org", "merge", "csn-2", "--into", "csn", "--yes")
        #expect(done.stdout.contains("Merged csn-2 into csn:"))
        let shown = try Self.run(cli, "org", "show", "csn-2")
        #expect(shown.stdout.contains("handle         csn"))
        #expect(shown.stderr == "csn-2 was merged into csn (Confédération des syndicats nationaux); using csn.\n")
        let related = try Self.run(cli, "relationship", "list", "--org", "csn-2")
        #expect(related.stdout.contains("csn   partner  fat"))
        #expect(related.stderr.components(separatedBy: "was merged into").count == 2, "said once")
    }

    @Test("people and employers have the same three commands")
    func otherKinds() throws {
        let cli = try CommandLine.inProcess()
        defer { cli.cleanUp() }
        try Self.run(cli, "init", "--seed", "--home", "ue")
        try Self.run(cli, "person", "add", "lana payne", "--email", "lana@unifor.org")
        #expect(try Self.run(cli, "person", "duplicates", "--format", "md").stdout.contains("| 60 | lana-payne-2 | lana payne | lana-payne | Lana Payne | same name |"))
        try Self.run(cli, "person", "merge", "lana-payne-2", "--into", "lana-payne", "--yes")
        #expect(try Self.run(cli, "person", "show", "lana-payne-2").stdout.contains("lana@unifor.org"))
        try Self.run(cli, "employer", "add", "WABTEC", "--handle", "wabtec-us", "--country", "US", "--alias", "Wabtec Corporation")
        #expect(try Self.run(cli, "employer", "duplicates").stdout.contains("80     wabtec-us  WABTEC  wabtec"))
        try Self.run(cli, "employer", "merge", "wabtec-us", "--into", "wabtec", "--yes")
        let shown = try Self.run(cli, "employer", "show", "Wabtec Corporation")
        #expect(shown.stdout.contains("wabtec") && shown.stderr.isEmpty, "found by the alias that moved")
        #expect(try Self.run(cli, "employer", "show", "wabtec-us").stderr.contains("wabtec-us was merged into wabtec"))
    }

    @Test("import warns about rows that look like records already there, with the merge command; --no-duplicate-check does not look")
    func importWarns() throws {
        let cli = try CommandLine.inProcess()
        defer { cli.cleanUp() }
        try Self.run(cli, "init", "--seed", "--home", "ue")
        let csv = cli.folder.appendingPathComponent("orgs.csv")
        try Data("name,kind,country\nAuthentic Labor Front,confederation,MX\n".utf8).write(to: csv)
        let imported = try Self.run(cli, "import", "--csv", csv.path, "--as", "organizations")
        #expect(imported.stderr == "Warning: organization authentic-labor-front looks like fat (an alias is the other's name, same country): solidarity org merge authentic-labor-front --into fat\n")
        let more = cli.folder.appendingPathComponent("more.csv")
        try Data("name,acronym,kind,country\nFrente Autentico,FAT,confederation,MX\n".utf8).write(to: more)
        let bulk = try Self.run(cli, "import", "--csv", more.path, "--as", "organizations", "--no-duplicate-check")
        #expect(bulk.stderr.isEmpty)
        #expect(try Self.run(cli, "org", "duplicates").stdout.contains("fat-mx"))
    }
}
