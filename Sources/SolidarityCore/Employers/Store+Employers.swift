import Foundation
import GRDB

extension Store {
    /// Records an employer, under its parent company when given.
    public func addEmployer(_ employer: Employer) throws -> Employer {
        try write { try Employers(db: $0).insert(employer) }
    }

    /// Changes an employer; a parent company that would make a cycle is refused.
    public func editEmployer(_ ref: String, _ change: (inout Employer) throws -> Void) throws -> Employer {
        try write { try Employers(db: $0).update(ref, change).after }
    }

    /// Every employer, by handle.
    public func employers() throws -> [Employer] {
        try read { try Employers(db: $0).list() }
    }

    /// The employer a reference names.
    public func employer(_ ref: String) throws -> Employer {
        try read { try Employers(db: $0).find(ref) }
    }

    /// The employer with its corporate tree and its sites per country.
    public func profile(ofEmployer ref: String) throws -> EmployerProfile {
        try read { try Employers(db: $0).profile(ref) }
    }

    /// Records a site with the unions that represent it.
    public func addSite(_ site: Site) throws -> Site {
        try write(recording: .siteCreated) { try Sites(db: $0).insert(site) }
    }

    /// Changes a site (its name, employer, place, sector, notes); `change` edits a copy of the
    /// current record. A gap recorded as a country ("Wabtec workers in Brazil") becomes a real
    /// site this way, keeping its id and whatever names it.
    public func editSite(_ ref: String, _ change: (inout Site) throws -> Void) throws -> Site {
        try write(recording: .siteUpdated) { try Sites(db: $0).update(ref, change).after }
    }

    /// What `removeSite` would remove, checked without changing anything (refused as it would be),
    /// so that a front end can ask before removing.
    public func siteRemoval(_ ref: String, force: Bool = false) throws -> (site: Site, links: [String]) {
        try read { db in
            let (removal, _) = try Sites(db: db).check(removing: ref, force: force)
            return (removal.site, removal.links)
        }
    }

    /// Removes a site; refused with the list of the unions and activities that name it unless
    /// `force`, which removes those links with it. Returns the site and the links removed.
    public func removeSite(_ ref: String, force: Bool = false) throws -> (site: Site, links: [String]) {
        try write { db in
            let removal = try Sites(db: db).remove(ref, force: force)
            try Outbox(db: db).record(.siteRemoved, about: removal.site)
            return (removal.site, removal.links)
        }
    }

    /// Replaces a site (a gap such as "Wabtec workers in Brazil") by another of the same employer
    /// in the same country: its unions, the activities that name it and its sources move to `by`,
    /// and it is removed. Returns both sites and the links moved.
    public func replaceSite(_ ref: String, by: String) throws -> (replaced: Site, by: Site, moved: [String]) {
        try write { db in
            let replacement = try Sites(db: db).replace(ref, by: by)
            try Outbox(db: db).record(.siteRemoved, about: replacement.replaced)
            try Outbox(db: db).record(.siteUpdated, about: replacement.by)
            return (replacement.replaced, replacement.by, replacement.moved)
        }
    }

    /// Records that a union represents a site's workers (or, with the same --since, when it stopped).
    public func represent(site: String, _ representation: Site.Representation) throws -> Site {
        try write { db in
            let (site, union) = try Sites(db: db).represent(site: site, representation)
            try Outbox(db: db).record(.representationChanged, about: RepresentationChange(site: site, union: union))
            return site
        }
    }

    /// Sites matching a filter, by employer, country and name.
    public func sites(_ filter: SiteFilter = .init()) throws -> [Site] {
        try read { try Sites(db: $0).list(filter) }
    }

    /// Hands `body` the sites matching a filter one at a time, by employer, country and name.
    public func sites(_ filter: SiteFilter = .init(), each body: (Site) throws -> Void) throws {
        try read { try Sites(db: $0).list(filter, each: body) }
    }

    /// The sites with these ids (those an activity names), by id.
    public func sites(named ids: [String]) throws -> [String: Site] {
        try read { try Sites(db: $0).named(ids) }
    }

    /// The site a reference names.
    public func site(_ ref: String) throws -> Site {
        try read { try Sites(db: $0).find(ref) }
    }
}
