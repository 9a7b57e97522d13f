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
            (.invalid("es is given as the language of the native-language name, but the name itself is not.", remedy: .giveToo(.nativeName)),
             "es is given as the language of the native-language name, but the name itself is not: give --native-name too."),
            (.init(.notFound, "The period's start is unknown: no convention of hu with a date is recorded before 79th.",
                   remedy: .periodStartOrEarlierConvention(organization: "hu")),
             "The period's start is unknown: no convention of hu with a date is recorded before 79th. Give --since with the first month of the period "
             + "(for example --since YYYY-MM), or record the earlier convention (solidarity convention add --org hu --name NAME --start YYYY)."),
            (.init(.notFound, "79th has no date, so the period's end is unknown.", remedy: .giveWith(.until, "the last month of the period")),
             "79th has no date, so the period's end is unknown: give --until with the last month of the period."),
            (.invalid("The period would end (2024) before it starts (2025).", remedy: .earlierStartOrLaterEnd),
             "The period would end (2024) before it starts (2025): give an earlier --since or a later --until."),
            (.init(.conflict, "KCTU is marked sensitive, so a graph around it would show its network.", remedy: .includeSensitive),
             "KCTU is marked sensitive, so a graph around it would show its network: give --include-sensitive to draw it for people who may see it."),
            (.init(.conflict, "Plant (abc) is named by 1 record:\n  representation: UE", remedy: .removeAnywayOrReplaceSite("abc")),
             "Plant (abc) is named by 1 record:\n  representation: UE\nGive --force to remove the site with these links (the unions and activities stay), "
             + "or move them to another site with `solidarity site replace abc --by SITE`."),
            (.init(.conflict, "Gap is in BR but Plant is in MX: a site can only be replaced by one in the same country.",
                   remedy: .correctSiteCountry(site: "abc", country: "BR")),
             "Gap is in BR but Plant is in MX: a site can only be replaced by one in the same country: "
             + "if it was recorded wrongly, change its country first with `solidarity site edit abc --country BR`."),
            (.init(.conflict, "1 record already exists with other content; nothing was imported:\n  organization ue", remedy: .update("replace them with the file's version")),
             "1 record already exists with other content; nothing was imported:\n  organization ue\nRun again with --update to replace them with the file's version."),
            (.invalid("x.json is not JSON (bad). `solidarity import` reads files written by `solidarity export`.", remedy: .readAsSpreadsheet),
             "x.json is not JSON (bad). `solidarity import` reads files written by `solidarity export`. For a spreadsheet use --csv FILE --as KIND."),
            (.init(.database, "There is no database at /x.sqlite.", remedy: .createDatabase(at: "/x.sqlite")),
             "There is no database at /x.sqlite. Create it with `solidarity init --db /x.sqlite` (add --seed --home REF to start from the shipped Seeds), "
             + "or point --db or SOLIDARITY_DB at the existing file."),
            (.init(.database, "/x is an empty database: solidarity has not set it up.", remedy: .setUpDatabase(at: "/x")),
             "/x is an empty database: solidarity has not set it up. Run `solidarity init --db /x` to set it up there, or check the --db path (or SOLIDARITY_DB)."),
            (.init(.database, "/x is a folder, not a database file; nothing was changed.", remedy: .nameDatabaseFile),
             "/x is a folder, not a database file; nothing was changed. Point --db (or SOLIDARITY_DB) at the database file itself, "
             + "or at a path where no file exists yet for `solidarity init`."),
            (.init(.database, "/x is not a solidarity database. Nothing was changed.", remedy: .checkDatabaseOrCreateElsewhere),
             "/x is not a solidarity database. Nothing was changed. Check the --db path (or SOLIDARITY_DB), or run `solidarity init --db NEWPATH` at a path where no file exists yet."),
            (.init(.database, "/x is not a SQLite database, so solidarity cannot use it.", remedy: .checkDatabaseNewOnesWhereNoFile),
             "/x is not a SQLite database, so solidarity cannot use it. Check the --db path (or SOLIDARITY_DB); a new database is made at a path where no file exists yet."),
            (.init(.database, "An applied migration of /x differs from this binary's.", remedy: .migrationStatus),
             "An applied migration of /x differs from this binary's. See `solidarity migrate --status`."),
        ]
        for (error, printed) in cases { #expect(error.commandLineMessage == printed) }
    }

    @Test("a home that is not there is answered with where it is and the nearest names, --seed advised only when the Seeds have it")
    func homeAdvice() {
        func printed(_ advice: SolidarityError.HomeAdvice) -> String {
            SolidarityError(.notFound, "No organization.", remedy: .addHome(advice)).commandLineMessage
        }
        #expect(printed(.init(name: "fta", databaseExists: false, seeding: true, inSeeds: false, suggestions: "  fat  FAT", suggestionsFromSeeds: false))
                .hasSuffix("\nDid you mean:\n  fat  FAT"))
        let unifr = printed(.init(name: "unifr", databaseExists: true, seeding: false, inSeeds: false, suggestions: "  unifor  Unifor", suggestionsFromSeeds: false))
        #expect(unifr.contains("Did you mean:\n  unifor ") && !unifr.contains("init --seed --home unifr"))
        #expect(printed(.init(name: "fta", databaseExists: false, seeding: false, inSeeds: false, suggestions: "  fat  FAT", suggestionsFromSeeds: true))
                .contains("Did you mean one of the Seeds' (with --seed):\n  fat "))
        #expect(printed(.init(name: "kctu", databaseExists: true, seeding: false, inSeeds: true, suggestions: nil, suggestionsFromSeeds: false))
                == "No organization. It is in the Seeds: add --seed (`solidarity init --seed --home kctu`); otherwise add it with `solidarity org add NAME`, then `solidarity home REF`.")
        #expect(printed(.init(name: "x", databaseExists: false, seeding: false, inSeeds: false, suggestions: nil, suggestionsFromSeeds: false))
                == "No organization. To start with the Seeds' organizations, add --seed (`solidarity init --seed`); otherwise create the database and add it: "
                + "`solidarity init`, `solidarity org add NAME`, then `solidarity home REF`.")
    }

    @Test("a spreadsheet's problems are listed with the flag that leaves a column out, or keeps it")
    func spreadsheetProblems() {
        let problems = [
            ImportProblem(location: "line 1, column 2", message: "\"colour\" is not a column of organizations; the columns are: name, country", isReference: false,
                          remedy: .ignoreColumn("colour")),
            ImportProblem(location: "line 1, column 3", message: "\"my col\" is not a column of organizations; the columns are: name, country", isReference: false,
                          remedy: .ignoreColumn("my col")),
            ImportProblem(location: "line 1", message: "the required column \"name\" is to be ignored, but every row needs it", isReference: false,
                          remedy: .keepColumn("name")),
        ]
        var error = SolidarityError.invalid("x.csv has 3 problems; nothing was imported:")
        error.problemList = .init(heading: "x.csv has 3 problems; nothing was imported:", problems: problems)
        #expect(error.commandLineMessage == """
            x.csv has 3 problems; nothing was imported:
              line 1, column 2: "colour" is not a column of organizations; the columns are: name, country. To import the file without it, add --ignore-column colour
              line 1, column 3: "my col" is not a column of organizations; the columns are: name, country. To import the file without it, add --ignore-column 'my col'
              line 1: the required column "name" is to be ignored, but every row needs it: leave out --ignore-column name
            """)
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
