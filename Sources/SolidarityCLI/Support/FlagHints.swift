import SolidarityCore

/// The command line's wording of Core's remedies: Core names the field that is missing or wrong,
/// the command line names its flag. The one place that maps fields to flags.
extension SolidarityError {
    /// The message as the command line prints it: Core's sentence, then the remedy in flags
    /// ("A convention needs a name: give --name, for example --name \"79th UE Convention\".").
    var commandLineMessage: String {
        guard let remedy else { return message }
        if let advice = remedy.commandLineSentence { return "\(message) \(advice)" }
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
        case .writableDatabaseLocation, .checkDatabaseLocation, .listCampaigns, .changeOrEndRelationship, .listRelationships:
            return commandLineSentence ?? ""
        case .removeOrMoveParts: return "remove them or give them another --parent with `solidarity org edit` first"
        case .anotherParentOrNone(.employer): return "name another employer, or give --no-parent"
        case .anotherParentOrNone(.organization): return "name another organization as its parent, or clear it with --clear parent"
        }
    }
}

extension SolidarityError.Field {
    /// The flag that gives this field.
    var flag: String { "--" + rawValue }
}
