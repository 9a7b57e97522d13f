import Foundation
import Testing
import SolidarityCore
@testable import SolidarityCLI

@Suite("The command line words Core's remedies with its flags")
struct FlagHintsTests {
    @Test("a remedy is added to Core's sentence in flags, giving the messages the command line always printed")
    func wording() {
        let cases: [(SolidarityError, String)] = [
            (.invalid("A convention needs a name.", remedy: .give(.name, example: "\"79th UE Convention\"")),
             "A convention needs a name: give --name, for example --name \"79th UE Convention\"."),
            (.invalid("An end date needs a start date.", remedy: .giveToo(.start)), "An end date needs a start date: give --start too."),
            (.invalid("A language is listed twice for Ana.", remedy: .giveEachOnce(.lang)), "A language is listed twice for Ana: give each --lang once."),
            (.invalid("A title cannot be empty.", remedy: .giveWith(.title, "the title held")), "A title cannot be empty: give --title with the title held."),
            (.init(.duplicate, "Every handle like \"x\" is taken.", remedy: .giveOne(.handle)), "Every handle like \"x\" is taken: give one with --handle."),
            (.invalid("A members-as-of date needs a member count.", remedy: .add(.members)), "A members-as-of date needs a member count: add --members."),
            (.init(.duplicate, "An employer with handle \"ge\" already exists.", remedy: .chooseAnother(.handle)),
             "An employer with handle \"ge\" already exists: choose another --handle."),
            (.init(.notFound, "abc is a meeting, not a delegation.", remedy: .asActivity), "abc is a meeting, not a delegation: use `solidarity activity` with it."),
            (.init(.conflict, "GE cannot be its own parent company.", remedy: .anotherParentOrNone(.employer)),
             "GE cannot be its own parent company: name another employer, or give --no-parent."),
            (.init(.conflict, "UE cannot be part of itself.", remedy: .anotherParentOrNone(.organization)),
             "UE cannot be part of itself: name another organization as its parent, or clear it with --clear parent."),
            (.init(.duplicate, "A person with handle \"ana\" already exists.", remedy: .chooseAnotherOrChange(.handle, .person("ana"))),
             "A person with handle \"ana\" already exists: choose another --handle, or change that person with `solidarity person edit ana`."),
            (.init(.duplicate, "An organization with handle \"ue\" already exists.", remedy: .chooseAnotherOrChange(.handle, .organization("ue"))),
             "An organization with handle \"ue\" already exists: choose another --handle, or change it with `solidarity org edit ue`."),
            (.init(.conflict, "UE has parts (ue-local-506).", remedy: .removeOrMoveParts),
             "UE has parts (ue-local-506): remove them or give them another --parent with `solidarity org edit` first."),
            (.invalid("Say which country Hiroshima is in.", remedy: .countryOfCity),
             "Say which country Hiroshima is in: add --to CC, or write the city as \"City@CC\"."),
            (.init(.conflict, "Plant (abc) cannot replace itself.", remedy: .otherSite), "Plant (abc) cannot replace itself: name the other site with --by."),
            (.init(.database, "Cannot create the database file /x.sqlite: permission denied.", remedy: .writableDatabaseLocation),
             "Cannot create the database file /x.sqlite: permission denied. Choose a writable location with --db PATH or SOLIDARITY_DB."),
            (.init(.database, "Cannot use /x: not a directory.", remedy: .checkDatabaseLocation), "Cannot use /x: not a directory. Check the --db path (or SOLIDARITY_DB)."),
            (.init(.notFound, "The 79th convention has no resolution recorded.", remedy: .addResolution(convention: "ue-79")),
             "The 79th convention has no resolution recorded: add one with `solidarity resolution add --convention ue-79`."),
            (.init(.notFound, "No campaign matches \"x\".", remedy: .listCampaigns),
             "No campaign matches \"x\". `solidarity org list --format json` shows the campaigns organizations carry."),
            (.init(.duplicate, "UE is already recorded as ally of FAT.", remedy: .changeOrEndRelationship(from: "ue", to: "fat", kind: .ally)),
             "UE is already recorded as ally of FAT. Change it with `solidarity relationship edit ue fat --kind ally` or end it with `solidarity relationship end`."),
            (.init(.notFound, "No ally relationship from UE to FAT is recorded.", remedy: .listRelationships(of: "ue")),
             "No ally relationship from UE to FAT is recorded. `solidarity relationship list --org ue` shows theirs."),
            (.invalid("No remedy here."), "No remedy here."),
        ]
        for (error, printed) in cases { #expect(error.commandLineMessage == printed) }
    }

    @Test("end to end: a convention without a name and a meeting edited as a delegation print the same messages as before")
    func endToEnd() throws {
        let cli = try CommandLine()
        defer { cli.cleanUp() }
        #expect(try cli.run("init", "--seed", "--home", "ue").status == 0)
        let unnamed = try cli.run("convention", "add", "--org", "ue", "--name", " ")
        #expect(unnamed.status == 64)
        #expect(unnamed.stderr.contains("A convention needs a name: give --name, for example --name \"79th UE Convention\"."))
        let logged = try cli.run("activity", "log", "--kind", "meeting", "--title", "A meeting", "--start", "2024-05")
        let id = try #require(logged.stdout.split(separator: " ").dropFirst(2).first.map { String($0.dropLast()) })
        for command in [["delegation", "edit", id, "--notes", "x"], ["delegation", "remove", id, "--yes"]] {
            let refused = try cli.run(command)
            #expect(refused.status == 1)
            #expect(refused.stderr.contains("\(id) is a meeting, not a delegation: use `solidarity activity` with it."), "\(refused.stderr)")
        }
    }
}
