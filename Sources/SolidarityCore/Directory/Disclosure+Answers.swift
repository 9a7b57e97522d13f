import Foundation

// The rule of `Disclosure` applied to single records, for a front end that answers someone who may
// not see sensitive records (the coalition server, for an account without the permission): a
// withheld record is absent (nil, answered as a record that does not exist), and a record that
// refers to a withheld one is shown without that reference, as an export shows it.

extension Disclosure {
    /// Set by a front end answering someone who may not see sensitive records (the coalition
    /// server, for an account without the permission), around the work of the answer: references
    /// then resolve only among the records an answer may show. A withheld record is not found by its
    /// handle or any name, nor listed among an ambiguous reference's candidates or a mistyped one's
    /// suggestions; an alias it shares with a public record names that record alone.
    @TaskLocal public static var withheldFromReferences = false

    /// The organization with what refers to it as an answer may show it; nil when it is withheld.
    public func shown(_ profile: OrganizationProfile) -> OrganizationProfile? {
        guard shows(profile.organization) else { return nil }
        return OrganizationProfile(
            organization: profile.organization, parts: profile.parts.filter(shows(organization:)),
            relationships: profile.relationships.filter(shows), people: profile.people.filter { shows(person: $0.person) },
            isHome: profile.isHome)
    }

    /// The person without titles at withheld organizations; nil when the person is withheld.
    public func shown(_ person: Person) -> Person? {
        guard includesSensitive || (!person.sensitive && shows(person: person.handle)) else { return nil }
        var shown = person
        shown.titles.removeAll { !shows(organization: $0.organization) }
        return shown
    }

    /// The activity without the roles of withheld organizations and people; nil when it is withheld.
    public func shown(_ activity: Activity) -> Activity? {
        guard shows(activity) else { return nil }
        var shown = activity
        shown.organizations.removeAll { !shows(organization: $0.organization) }
        shown.people.removeAll { !shows(person: $0.person) }
        return shown
    }

    /// The site without the representation of withheld unions.
    public func shown(_ site: Site) -> Site {
        var shown = site
        shown.unions.removeAll { !shows(organization: $0.organization) }
        return shown
    }

    /// The convention; nil when it is a withheld organization's.
    public func shown(_ convention: Convention) -> Convention? {
        shows(organization: convention.organization) ? convention : nil
    }

    /// The resolution without mentions of withheld organizations; nil when its convention is withheld.
    public func shown(_ resolution: Resolution, conventionOf organization: String) -> Resolution? {
        guard shows(organization: organization) else { return nil }
        var shown = resolution
        for clause in shown.clauses.indices { shown.clauses[clause].organizations.removeAll { !shows(organization: $0) } }
        return shown
    }
}

extension SolidarityError {
    /// The error for someone who may not see sensitive records: without the lines that name a
    /// withheld record (the candidates of an ambiguous reference, the "did you mean" of an unknown
    /// one, which every view marks with `Disclosure.mark`).
    public var withoutWithheldNames: SolidarityError {
        let marker = Disclosure.mark("", true)
        guard message.contains(marker) else { return self }
        var lines = message.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasSuffix(marker) }
        // A heading left with no candidate under it ("Did you mean:") goes too: it would say that
        // something withheld is near.
        if let last = lines.last, last.hasSuffix(":") {
            lines.removeLast()
            if let sentence = last.range(of: " Did you mean:") { lines.append(last[..<sentence.lowerBound]) }
        }
        var shown = self
        shown.message = lines.joined(separator: "\n")
        if lines.isEmpty {
            // Every candidate of an ambiguous reference was withheld: to this reader it names nothing.
            shown.reason = .notFound
            shown.message = "Nothing matches that reference."
        }
        return shown
    }
}
