import Foundation
import Testing
@testable import SolidarityCore

@Suite("The rule of what may leave the machine")
struct DisclosureTests {
    @Test("a sensitive union's parts are withheld at any depth, also once moved under it; --include-sensitive withholds nothing")
    func partsAtAnyDepth() throws {
        let (store, folder) = try makeStore(seeded: true, home: "ue")
        defer { folder.remove() }
        _ = try store.addOrganization(Organization(name: "Secret Union", acronym: "SECU", country: "CO", sensitive: true))
        _ = try store.addOrganization(Organization(name: "Secret Local", kind: .local, parent: "secu"))
        _ = try store.addOrganization(Organization(name: "Deeper Local", kind: .local, parent: "secret-local"))
        _ = try store.addOrganization(Organization(name: "Open Local", kind: .local, parent: "ue"))
        var rule = try store.disclosure()
        #expect(rule.withheldOrganizations == ["secu", "secret-local", "deeper-local"])
        #expect(rule.shows(organization: "open-local") && rule.shows(organization: "ue"))

        _ = try store.editOrganization("open-local") { $0.parent = "deeper-local" }
        rule = try store.disclosure()
        #expect(!rule.shows(organization: "open-local"), "an organization moved under a withheld one is withheld with it")
        #expect(Disclosure.everything.shows(organization: "secu") && Disclosure.everything.withheldOrganizations.isEmpty)
    }

    @Test("a row about an activity is sensitive when the activity is, or when it names a withheld organization or person")
    func activityRows() throws {
        let (store, folder) = try makeStore(seeded: true, home: "ue")
        defer { folder.remove() }
        _ = try store.addOrganization(Organization(name: "Secret Union", acronym: "SECU", country: "CO", sensitive: true))
        _ = try store.addOrganization(Organization(name: "Secret Local", kind: .local, parent: "secu"))
        let rule = try store.disclosure()
        let hosted = Activity(kind: .delegation, title: "Hosted by a local", organizations: [.init(organization: "secret-local", role: .host)])
        let open = Activity(kind: .delegation, title: "Open", organizations: [.init(organization: "fat", role: .host)])
        #expect(rule.isSensitive(hosted) && rule.shows(hosted), "shown, without the local, but its row names it")
        #expect(!rule.isSensitive(open))
        #expect(Disclosure.mark("Open", false) == "Open" && Disclosure.mark("Secret Local", true) == "Secret Local [sensitive]")
    }
}
