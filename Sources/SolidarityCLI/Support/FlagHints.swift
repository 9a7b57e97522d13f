import Foundation
import SolidarityCore

/// The command line's wording of Core's remedies: Core names the field that is missing or wrong,
/// the command line names its flag. The one place that maps fields to flags.
extension SolidarityError {
    /// The message as the command line prints it: Core's sentence, then the remedy in flags
    /// ("A convention needs a name: give --name, for example --name \"79th UE Convention\".").
    var commandLineMessage: String {
        let message = problemList?.text(\.commandLineDescription) ?? message
        guard let remedy else { return message }
        // A message that lists things on lines of its own is followed by the advice on a line of its own.
        if let advice = remedy.commandLineSentence { return message + (message.contains("\n") ? "\n" : " ") + advice }
        let sentence = message.hasSuffix(".") ? String(message.dropLast()) : message
        return "\(sentence): \(remedy.commandLineWords)."
    }
}

extension SolidarityError.Remedy {
    /// The remedies the command line words as a sentence of their own, after Core's.
    var commandLineSentence: String? {
        switch self {
        case .writableDatabaseLocation: "Choose a writable location with --db PATH or SOLIDARITY_DB."
        case .checkDatabaseLocation: "Check the --db path (or SOLIDARITY_DB)."
        case .listCampaigns: "`solidarity org list --format json` shows the campaigns organizations carry."
        case let .changeOrEndRelationship(from, to, kind):
            "Change it with `solidarity relationship edit \(from) \(to) --kind \(kind.rawValue)` or end it with `solidarity relationship end`."
        case let .listRelationships(handle): "`solidarity relationship list --org \(handle)` shows theirs."
        case let .createDatabase(path):
            "Create it with `solidarity init --db \(path)` (add --seed --home REF to start from the shipped Seeds), or point --db or SOLIDARITY_DB at the existing file."
        case let .setUpDatabase(path): "Run `solidarity init --db \(path)` to set it up there, or check the --db path (or SOLIDARITY_DB)."
        case .nameDatabaseFile: "Point --db (or SOLIDARITY_DB) at the database file itself, or at a path where no file exists yet for `solidarity init`."
        case .checkDatabaseOrCreateElsewhere: "Check the --db path (or SOLIDARITY_DB), or run `solidarity init --db NEWPATH` at a path where no file exists yet."
        case .checkDatabaseNewOnesWhereNoFile: "Check the --db path (or SOLIDARITY_DB); a new database is made at a path where no file exists yet."
        case .migrationStatus: "See `solidarity migrate --status`."
        case let .periodStartOrEarlierConvention(organization):
            "Give --since with the first month of the period (for example --since YYYY-MM), or record the earlier convention (solidarity convention add --org \(organization) --name NAME --start YYYY)."
        case let .removeAnywayOrReplaceSite(site):
            "Give --force to remove the site with these links (the unions and activities stay), or move them to another site with `solidarity site replace \(site) --by SITE`."
        case let .update(what): "Run again with --update to \(what)."
        case .readAsSpreadsheet: "For a spreadsheet use --csv FILE --as KIND."
        case let .addHome(home): home.commandLineAdvice
        case let .undoLaterChangesToo(change): "Give --cascade to undo them too, newest first, then change \(change) (`solidarity undo \(change) --cascade`)."
        case .importWithoutHistory:
            "Import it into a new database made with `solidarity init --db NEWPATH` (without --seed), or give --without-history to import the records alone."
        case .appendixAsMarkdownOrHTML: "Or use --format md or html."
        case let .search(ref): "`solidarity search \(ref)` searches names and notes."
        case let .listOrSearch(noun, ref):
            "`solidarity \(["organization": "org"][noun] ?? noun) list` lists them all; `solidarity search \(ref)` searches names and notes."
        case .listAccounts: "`solidarity account list` lists them."
        case .listTokens: "`solidarity account token list` lists them with their numbers."
        default: nil
        }
    }

    /// The remedy in the command line's words, after a colon.
    var commandLineWords: String {
        func example(_ field: SolidarityError.Field, _ value: String?) -> String {
            value.map { ", for example \(field.flag) \($0)" } ?? ""
        }
        switch self {
        case let .give(field, value): return "give \(field.flag)\(example(field, value))"
        case let .giveWith(field, what): return "give \(field.flag) with \(what)"
        case let .giveToo(field): return "give \(field.flag) too"
        case let .giveEachOnce(field): return "give each \(field.flag) once"
        case let .giveOne(field, value): return "give one with \(field.flag)\(example(field, value))"
        case let .add(field, value): return "add \(field.flag)\(example(field, value))"
        case let .chooseAnother(field): return "choose another \(field.flag)"
        case let .chooseAnotherOrChange(field, .organization(handle)):
            return "choose another \(field.flag), or change it with `solidarity org edit \(handle)`"
        case let .chooseAnotherOrChange(field, .person(handle)):
            return "choose another \(field.flag), or change that person with `solidarity person edit \(handle)`"
        case .asActivity: return "use `solidarity activity` with it"
        case .countryOfCity: return "add --to CC, or write the city as \"City@CC\""
        case .otherSite: return "name the other site with --by"
        case let .addResolution(convention): return "add one with `solidarity resolution add --convention \(convention)`"
        case .writableDatabaseLocation, .checkDatabaseLocation, .listCampaigns, .changeOrEndRelationship, .listRelationships,
             .createDatabase, .setUpDatabase, .nameDatabaseFile, .checkDatabaseOrCreateElsewhere, .checkDatabaseNewOnesWhereNoFile,
             .migrationStatus, .periodStartOrEarlierConvention, .removeAnywayOrReplaceSite, .update, .readAsSpreadsheet, .addHome,
             .undoLaterChangesToo, .importWithoutHistory, .listAccounts, .listTokens, .appendixAsMarkdownOrHTML, .listOrSearch, .search:
            return commandLineSentence ?? ""
        case .earlierStartOrLaterEnd: return "give an earlier --since or a later --until"
        case .includeSensitive: return "give --include-sensitive to draw it for people who may see it"
        case let .correctSiteCountry(site, country):
            return "if it was recorded wrongly, change its country first with `solidarity site edit \(site) --country \(country)`"
        case let .ignoreColumn(column): return "to import the file without it, add --ignore-column \(Self.shellWord(column))"
        case let .keepColumn(column): return "leave out --ignore-column \(column)"
        case .removeOrMoveParts: return "remove them or give them another --parent with `solidarity org edit` first"
        case .anotherParentOrNone(.employer): return "name another employer, or give --no-parent"
        case .anotherParentOrNone(.organization): return "name another organization as its parent, or clear it with --clear parent"
        }
    }
}

extension SolidarityError.Remedy {
    /// A spreadsheet's column name as a shell argument: as it is when it is a plain word, else in single quotes.
    static func shellWord(_ column: String) -> String {
        let shown = TextRules.printable(column)
        let plain = !shown.isEmpty && shown.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
        }
        return plain ? shown : "'" + shown.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

extension ImportProblem {
    /// The problem as the command line prints it: its remedy in flags after the problem.
    var commandLineDescription: String {
        switch remedy {
        case let .ignoreColumn(column)?:
            "\(description). To import the file without it, add --ignore-column \(SolidarityError.Remedy.shellWord(column))"
        case let remedy? where remedy.commandLineSentence != nil: "\(description) \(remedy.commandLineSentence!)"
        case let remedy?: "\(description): \(remedy.commandLineWords)"
        case nil: description
        }
    }
}

extension SolidarityError.HomeAdvice {
    /// Where to find or how to add the organization to make home, then the nearest names.
    var commandLineAdvice: String {
        let add = databaseExists
            ? "add it with `solidarity org add NAME`, then `solidarity home REF`"
            : "create the database and add it: `solidarity init`, `solidarity org add NAME`, then `solidarity home REF`"
        let advice = if !seeding, inSeeds {
            "It is in the Seeds: add --seed (`solidarity init --seed --home \(name)`); otherwise \(add)."
        } else if seeding || databaseExists {
            "Check the spelling (`solidarity org list` lists the organizations\(seeding ? " once the Seeds are loaded" : "")), or \(add)."
        } else {
            "To start with the Seeds' organizations, add --seed (`solidarity init --seed`); otherwise \(add)."
        }
        let heading = suggestionsFromSeeds ? "Did you mean one of the Seeds' (with --seed):" : "Did you mean:"
        return advice + (suggestions.map { "\n\(heading)\n\($0)" } ?? "")
    }
}

extension SolidarityError.Field {
    /// The flag that gives this field.
    var flag: String { "--" + rawValue }
}
