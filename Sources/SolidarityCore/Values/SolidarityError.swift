/// An error a union staffer can act on: what was wrong and what to do.
///
/// `reason` lets callers match; `description` is the sentence printed on stderr. Usage errors
/// (a value invalid on its face) exit 64, the others 1.
public struct SolidarityError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What kind of failure this is.
    public enum Reason: Equatable, Sendable {
        /// A value invalid on its face: a malformed date, an unknown country code, a bad flag value.
        case invalidInput
        /// A reference that matches nothing.
        case notFound
        /// A reference that matches more than one record.
        case ambiguous
        /// A record that already exists (a duplicate handle, a relationship recorded twice).
        case duplicate
        /// A request that contradicts the data: a cycle, an organization related to itself.
        case conflict
        /// The database file cannot be used: not a database, unwritable, made by a newer version.
        case database
    }

    public var reason: Reason
    /// What is wrong, in the domain's words ("A convention needs a name.").
    public var message: String
    /// What would put it right, named by the record's field rather than by a front end's input:
    /// the command line words it with its flag ("give --name"), an import names the file's field.
    public var remedy: Remedy?
    /// The problems of a file refused whole, when the error lists them (each may carry its remedy).
    public var problemList: ProblemList?

    public init(_ reason: Reason, _ message: String, remedy: Remedy? = nil) {
        self.reason = reason
        self.message = message
        self.remedy = remedy
    }

    public var description: String { message }

    /// Whether this is a usage error (exit 64) rather than a failure against the data (exit 1).
    public var isUsageError: Bool { reason == .invalidInput }

    public static func invalid(_ message: String, remedy: Remedy? = nil) -> SolidarityError { .init(.invalidInput, message, remedy: remedy) }

    /// What would put a refused request right, in terms of a record's fields; each front end words
    /// it for its own input (`Field` names the field, not a flag).
    public enum Remedy: Equatable, Sendable {
        /// Give a value for the field ("give --title"), with an example value when there is one.
        case give(Field, example: String? = nil)
        /// Give the field with the value described ("give --title with the title held").
        case giveWith(Field, String)
        /// Give the field as well ("give --start too").
        case giveToo(Field)
        /// Give each value of a repeatable field once ("give each --lang once").
        case giveEachOnce(Field)
        /// Give a value of one's own choosing ("give one with --handle, for example --handle sindicato-1").
        case giveOne(Field, example: String? = nil)
        /// Add the field, which the value given needs ("add --members", "add --lang, for example --lang es").
        case add(Field, example: String? = nil)
        /// Choose another value for the field ("choose another --handle").
        case chooseAnother(Field)
        /// Choose another value for the field, or change the record that already has it.
        case chooseAnotherOrChange(Field, Existing)
        /// Handle the record as an activity of any kind, not only as a delegation.
        case asActivity
        /// Name another record of the kind as the parent, or leave the record without one (a front
        /// end words how: the command line's employers say --no-parent, its organizations --clear parent).
        case anotherParentOrNone(ParentKind)
        /// Remove an organization's parts, or make them part of another organization, first.
        case removeOrMoveParts
        /// Say which country a city of an itinerary is in.
        case countryOfCity
        /// Name another site to replace the site with.
        case otherSite
        /// Add a resolution to the convention with this handle.
        case addResolution(convention: String)
        /// Look at the campaigns organizations carry.
        case listCampaigns
        /// Change or end the relationship already recorded between these organizations (handles).
        case changeOrEndRelationship(from: String, to: String, kind: Relationship.Kind)
        /// Look at the relationships recorded for the organization with this handle.
        case listRelationships(of: String)
        /// Keep the database where it can be written (the front end says how it is chosen).
        case writableDatabaseLocation
        /// Check which database file was meant (the front end says how it was chosen).
        case checkDatabaseLocation
        /// Create the database at this path (from the Seeds, or empty), or name the existing one.
        case createDatabase(at: String)
        /// Set up the empty database at this path, or check which file was meant.
        case setUpDatabase(at: String)
        /// Name the database file itself, or a path where none exists yet so that one is created.
        case nameDatabaseFile
        /// Check which file was meant, or create a database at a path where no file exists yet.
        case checkDatabaseOrCreateElsewhere
        /// Check which file was meant; a new database is made where no file exists yet.
        case checkDatabaseNewOnesWhereNoFile
        /// Look at the state of the database's migrations.
        case migrationStatus
        /// The period's start: give it, or record the organization's (handle) earlier convention.
        case periodStartOrEarlierConvention(organization: String)
        /// A period that ends before it starts: start it earlier or end it later.
        case earlierStartOrLaterEnd
        /// Ask for sensitive records to be included, for readers who may see them.
        case includeSensitive
        /// Remove the site (id) with what refers to it, or move those to another site first.
        case removeAnywayOrReplaceSite(String)
        /// A site recorded in the wrong country (id, the country it should have) can be corrected first.
        case correctSiteCountry(site: String, country: String)
        /// Write the file's values over the records already recorded: what they are ("the spreadsheet's values").
        case update(String)
        /// A file that is not interchange JSON may be a spreadsheet, read another way.
        case readAsSpreadsheet
        /// Leave this column of a spreadsheet out of the import.
        case ignoreColumn(String)
        /// Stop leaving out this column of a spreadsheet: every row needs it.
        case keepColumn(String)
        /// Undo the later changes that build on this change (its number) too, newest first.
        case undoLaterChangesToo(Int64)
        /// A file's history of changes can only be kept by a new database: import into one, or
        /// import the records alone.
        case importWithoutHistory
        /// The organization (as given) to make home is not where it was looked for.
        case addHome(HomeAdvice)
        /// Search names and notes for the reference as given.
        case search(ref: String)
        /// List the records of this kind ("organization"), or search names and notes for the reference as given.
        case listOrSearch(noun: String, ref: String)
        /// Ask for the appendix as Markdown or HTML, which need no other program.
        case appendixAsMarkdownOrHTML
        /// Look at the accounts recorded.
        case listAccounts
        /// Look at the API tokens recorded.
        case listTokens
    }

    /// What the places looked in said of an organization to make home, for the front end to word.
    public struct HomeAdvice: Equatable, Sendable {
        /// The reference as given, printable.
        public var name: String
        /// Whether the database file already exists.
        public var databaseExists: Bool
        /// Whether the Seeds are being loaded with it.
        public var seeding: Bool
        /// Whether the Seeds have it (so loading them would make it available).
        public var inSeeds: Bool
        /// The nearest names, one per line, and whether they are the Seeds' (not the database's).
        public var suggestions: String?
        public var suggestionsFromSeeds: Bool

        public init(name: String, databaseExists: Bool, seeding: Bool, inSeeds: Bool, suggestions: String?, suggestionsFromSeeds: Bool) {
            self.name = name
            self.databaseExists = databaseExists
            self.seeding = seeding
            self.inSeeds = inSeeds
            self.suggestions = suggestions
            self.suggestionsFromSeeds = suggestionsFromSeeds
        }
    }

    /// A record already recorded, by its handle, that a remedy proposes to change.
    public enum Existing: Equatable, Sendable {
        case organization(String)
        case person(String)
    }

    /// The records that have a parent of their own kind.
    public enum ParentKind: Equatable, Sendable {
        /// An employer's parent company.
        case employer
        /// The organization an organization is part of.
        case organization
    }

    /// A field of a record (or option of a request, such as the period's `since`) that a remedy names, by its name in
    /// the domain, which the command line's flags also use.
    public enum Field: String, Equatable, Sendable {
        case name, title, start, handle, lang, members, since, until
        case nativeName = "native-name"
    }
}
