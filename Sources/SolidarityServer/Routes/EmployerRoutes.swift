import Foundation
import Hummingbird
import SolidarityCore

/// Employers, their sites, the allies report and shared employers: `employer`, `site`, `allies`
/// and `shared-employers` of the command line.
enum EmployerRoutes {
    static func add(to api: RouterGroup<APIContext>) {
        // MARK: Employers (never sensitive; what they show of unions goes through the rule)
        api.get("employers") { _, context in
            JSONAnswer(try await context.core { store, _ in try store.employers() })
        }
        api.get("employers/{ref}") { _, context in
            let ref = try context.parameters.ref()
            return JSONAnswer(try await context.core { store, _ in try store.profile(ofEmployer: ref) })
        }
        api.post("employers") { request, context in
            let employer = try await request.decoded(Employer.self)
            return JSONAnswer(try await context.core { store, _ in try store.addEmployer(employer) }, status: .created)
        }
        api.patch("employers/{ref}") { request, context in
            let ref = try context.parameters.ref(), patch = try await request.patch()
            return JSONAnswer(try await context.core { store, _ in try store.editEmployer(ref) { try patch.apply(to: &$0) } })
        }

        // MARK: Sites
        api.get("sites") { request, context in
            let filter = SiteFilter(employer: request.query("employer"), country: try request.query("country") { try Country($0).code },
                                    union: request.query("union"))
            return JSONAnswer(try await context.core { store, audience in
                let rule = try audience.rule(store)
                if let union = filter.union { try audience.maySee(union, kind: .organization, in: store) }
                var shown: [Site] = []
                try store.sites(filter) { shown.append(rule.shown($0)) }
                return shown
            })
        }
        api.get("sites/{ref}") { _, context in
            let ref = try context.parameters.ref()
            return JSONAnswer(try await context.core { store, audience in try audience.rule(store).shown(store.site(ref)) })
        }
        api.post("sites") { request, context in
            let site = try await request.decoded(Site.self)
            return JSONAnswer(try await context.core { store, audience in
                for union in site.unions { try audience.maySee(union.organization, kind: .organization, in: store) }
                return try store.addSite(site)
            }, status: .created)
        }
        api.patch("sites/{ref}") { request, context in
            let ref = try context.parameters.ref(), patch = try await request.patch()
            return JSONAnswer(try await context.core { store, audience in
                let rule = try audience.rule(store)
                guard rule.shown(try store.site(ref)) == (try store.site(ref)) else {
                    throw APIError.notFound("No site matches \"\(TextRules.printable(ref))\".")
                }
                return try store.editSite(ref) { try patch.apply(to: &$0) }
            })
        }
        api.delete("sites/{ref}") { request, context in
            let ref = try context.parameters.ref(), force = try request.flag("force")
            return JSONAnswer(try await context.core { store, audience in
                let rule = try audience.rule(store)
                guard rule.shown(try store.site(ref)) == (try store.site(ref)) else {
                    throw APIError.notFound("No site matches \"\(TextRules.printable(ref))\".")
                }
                let removal = try store.removeSite(ref, force: force)
                return Removed(removed: removal.site, withIt: ["links": removal.links.count])
            })
        }

        // MARK: Reports
        api.get("allies") { request, context in
            let employer = try request.requiredQuery("employer", "the employer (handle, name or alias)")
            let country = try request.query("country") { try Country($0).code }, asOf = try request.query("as_of") { try PartialDate($0) }
            return JSONAnswer(try await context.core { store, audience in
                try audience.rule(store).shown(store.allies(employer: employer, country: country, asOf: asOf))
            })
        }
        api.get("shared-employers") { request, context in
            let first = try request.requiredQuery("first", "the first organization"), second = try request.requiredQuery("second", "the second organization")
            return JSONAnswer(try await context.core { store, audience in
                try audience.maySee(first, kind: .organization, in: store)
                try audience.maySee(second, kind: .organization, in: store)
                return try store.sharedEmployers(first, second).employers
            })
        }
    }
}
