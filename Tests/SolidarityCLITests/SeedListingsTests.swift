import Foundation
import Testing

/// What a union staffer sees of the Seeds' new facts: titles with their basis in every listing
/// that shows a title, the funds a clause names, and campaigns in `search`.
@Suite("Seed listings")
struct SeedListingsTests {
    static let basis = "Secretary-Treasurer, ue (as of 2020, ue-nasp-resolution)"

    @Test("person show, person list, person list --format csv and org show give an undated title's basis")
    func titleBasis() throws {
        let cli = try CommandLine.inProcess()
        defer { cli.cleanUp() }
        #expect(try cli.run("init", "--seed", "--home", "ue").status == 0)
        let show = try cli.run("person", "show", "andrew-dinkelaker")
        #expect(show.status == 0 && show.stdout.contains(Self.basis), "\(show.stdout)")
        let list = try cli.run("person", "list", "--org", "ue", "--format", "csv")
        #expect(list.stdout.contains(Self.basis), "\(list.stdout)")
        let table = try cli.run("person", "list", "--format", "md")
        #expect(table.stdout.contains(Self.basis), "\(table.stdout)")
        let org = try cli.run("org", "show", "ue")
        #expect(org.stdout.contains("Andrew Dinkelaker (andrew-dinkelaker): Secretary-Treasurer (as of 2020, ue-nasp-resolution)"), "\(org.stdout)")
    }

    @Test("person add --as-of --title-source records where a title comes from, and person show says it")
    func addWithBasis() throws {
        let cli = try CommandLine.inProcess()
        defer { cli.cleanUp() }
        #expect(try cli.run("init", "--seed").status == 0)
        let added = try cli.run("person", "add", "Lucía Pérez", "--org", "fat", "--title", "International Secretary",
                                "--as-of", "2024-05", "--title-source", "ue-79-international-solidarity")
        #expect(added.status == 0, "\(added.stderr)")
        let show = try cli.run("person", "show", "lucia-perez", "--format", "json")
        #expect(show.stdout.contains("\"as_of\" : \"2024-05\"") || show.stdout.contains("\"as_of\":\"2024-05\""), "\(show.stdout)")
        #expect(try cli.run("person", "show", "lucia-perez").stdout
            .contains("International Secretary, fat (as of 2024-05, ue-79-international-solidarity)"))
    }

    @Test("--as-of without a title is a usage error that writes nothing; an unknown --title-source is refused")
    func badBasis() throws {
        let cli = try CommandLine.inProcess()
        defer { cli.cleanUp() }
        #expect(try cli.run("init", "--seed").status == 0)
        let alone = try cli.run("person", "add", "Lucía Pérez", "--as-of", "2024")
        #expect(alone.status == 64 && alone.stderr.contains("--as-of and --title-source"), "\(alone.stderr)")
        let unknown = try cli.run("person", "add", "Lucía Pérez", "--org", "fat", "--title", "Organizer", "--title-source", "nowhere")
        #expect(unknown.status == 1 && unknown.stderr.contains("No source"), "\(unknown.stderr)")
        #expect(try cli.run("person", "show", "lucia-perez").status == 1)
    }

    @Test("search finds the funds as campaigns, and resolution show links clause 5 to them")
    func fundsInSearchAndResolution() throws {
        let cli = try CommandLine.inProcess()
        defer { cli.cleanUp() }
        #expect(try cli.run("init", "--seed", "--home", "ue").status == 0)
        let search = try cli.run("search", "solidarity fund", "--format", "csv")
        #expect(search.stdout.contains("campaign,ue-fat-solidarity-fund,UE-FAT Solidarity Fund"), "\(search.stdout)")
        let research = try cli.run("search", "research", "--format", "csv")
        #expect(research.stdout.contains("campaign,ue-research-and-education-fund,"), "\(research.stdout)")
        let resolution = try cli.run("resolution", "show", "ue-79-international-solidarity")
        #expect(resolution.stdout.contains("campaigns: ue-fat-solidarity-fund, ue-research-and-education-fund"), "\(resolution.stdout)")
    }
}
