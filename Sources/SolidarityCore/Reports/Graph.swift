import Foundation
import GRDB

/// Organizations, employers and sites as nodes; relationships, structure, ownership and
/// representation as labelled edges; clustered by country. Rendered as Graphviz DOT or a Mermaid flowchart.
public struct NetworkGraph: Sendable {
    /// What a node stands for.
    public enum NodeKind: String, Sendable { case organization, employer, site }

    public struct Node: Sendable, Hashable {
        public let id: String
        public let kind: NodeKind
        public let label: String
        public let country: String?
    }

    public struct Edge: Sendable, Hashable {
        public let from: String
        public let to: String
        public let label: String
        /// Drawn without an arrow head (ally, partner).
        public let undirected: Bool
    }

    /// What the graph shows.
    public enum Scope: Sendable {
        case everything
        case employer(String)
        case organization(String)
    }

    public let nodes: [Node]
    public let edges: [Edge]
    /// Withheld organizations left out (with their edges): sensitive ones and their parts.
    public let leftOut: Int
    /// Drawn with `--include-sensitive`: the file says so in a comment at its top.
    public let includesSensitive: Bool

    /// The comment at the top of a drawing made with `--include-sensitive`.
    static let sensitiveWarning = "This drawing includes records marked sensitive: share it only with people who may see them."

    /// Graphviz DOT: one cluster per country.
    public var dot: String {
        func quote(_ text: String) -> String { "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
        func shape(_ kind: NodeKind) -> String {
            switch kind {
            case .organization: "box, style=rounded"
            case .employer: "component"
            case .site: "ellipse"
            }
        }
        var lines = includesSensitive ? ["// " + Self.sensitiveWarning] : []
        lines += ["digraph solidarity {", "  graph [rankdir=LR, fontname=\"Helvetica\", compound=true];",
                     "  node [fontname=\"Helvetica\"];", "  edge [fontname=\"Helvetica\", fontsize=10];"]
        func nodeLine(_ node: Node, indent: String) -> String {
            "\(indent)\(quote(node.id)) [label=\(quote(node.label)), shape=\(shape(node.kind))];"
        }
        for (country, members) in clusters {
            if let country {
                lines.append("  subgraph \(quote("cluster_\(country)")) {")
                lines.append("    label=\(quote(Country.name(country)));")
                lines += members.map { nodeLine($0, indent: "    ") }
                lines.append("  }")
            } else {
                lines += members.map { nodeLine($0, indent: "  ") }
            }
        }
        lines += edges.map { "  \(quote($0.from)) -> \(quote($0.to)) [label=\(quote($0.label))\($0.undirected ? ", dir=none" : "")];" }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    /// A Mermaid flowchart: one subgraph per country.
    public var mermaid: String {
        func id(_ raw: String) -> String { String(raw.map { $0.isLetter || $0.isNumber ? $0 : "_" }) }
        func text(_ raw: String) -> String { "\"" + Self.mermaidText(raw) + "\"" }
        func shape(_ node: Node) -> String {
            switch node.kind {
            case .organization: "\(id(node.id))(\(text(node.label)))"
            case .employer: "\(id(node.id))[[\(text(node.label))]]"
            case .site: "\(id(node.id))([\(text(node.label))])"
            }
        }
        // Mermaid reads a diagram's type first; its comments come after that line.
        var lines = ["flowchart LR"] + (includesSensitive ? ["%% " + Self.sensitiveWarning] : [])
        for (country, members) in clusters {
            if let country {
                lines.append("  subgraph country_\(country)[\(text(Country.name(country)))]")
                lines += members.map { "    " + shape($0) }
                lines.append("  end")
            } else {
                lines += members.map { "  " + shape($0) }
            }
        }
        lines += edges.map { "  \(id($0.from)) \($0.undirected ? "---" : "-->")|\(text($0.label))| \(id($0.to))" }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A label's text as Mermaid shows it literally: every character Mermaid or the HTML of its
    /// labels interprets written as a Mermaid entity code (`#lt;`, `#35;`; Mermaid decodes
    /// `#name;` and `#number;`), so that `<east>` is not taken for a tag, `#2;` for a code, nor a
    /// quote, pipe or semicolon for the end of the label, nor `$$` for mathematics; line breaks as
    /// spaces.
    static func mermaidText(_ raw: String) -> String {
        var written = ""
        for scalar in raw.unicodeScalars {
            switch scalar {
            case "\"": written += "#quot;"
            case "<": written += "#lt;"
            case ">": written += "#gt;"
            case "&": written += "#amp;"
            case "#", ";", "|", "`", "%", "\\", "$":
                written += "#\(scalar.value);"
            case "\n", "\r": written += " "
            default: written.unicodeScalars.append(scalar)
            }
        }
        return written
    }

    /// Nodes grouped by country in code order; nodes without a country last, outside any cluster.
    private var clusters: [(String?, [Node])] {
        let grouped = Dictionary(grouping: nodes, by: \.country)
        let countries = grouped.keys.compactMap { $0 }.sorted()
        return countries.map { ($0, grouped[$0]!) } + (grouped[nil].map { [(nil, $0)] } ?? [])
    }
}

extension Store {
    /// The network around an employer's chain, an organization, or everything, without the
    /// organizations the rule of `Disclosure` withholds unless `includeSensitive`. An organization
    /// withheld by the rule cannot be the centre: drawing around it would still show its network.
    public func graph(_ scope: NetworkGraph.Scope = .everything, includeSensitive: Bool = false) throws -> NetworkGraph {
        try read { db in
            let references = References(db: db)
            let rule = try Disclosure(db: db, includeSensitive: includeSensitive)
            var organizations = Set<Int64>(), employers = Set<Int64>(), sites = Set<Int64>()
            let allRepresentation: SQL = "SELECT site_id, organization_id FROM representations WHERE until IS NULL"
            switch scope {
            case .everything:
                organizations = Set(try Int64.fetchAll(db, sql: "SELECT id FROM organizations"))
                employers = Set(try Int64.fetchAll(db, sql: "SELECT id FROM employers"))
                sites = Set(try Int64.fetchAll(db, sql: "SELECT id FROM sites"))
            case .employer(let ref):
                let employer = try references.employer(ref)
                employers = Set(try Int64.fetchAll(db, sql: """
                    WITH RECURSIVE chain(id) AS (SELECT ? UNION SELECT e.id FROM employers e JOIN chain ON e.parent_id = chain.id) SELECT id FROM chain
                    """, arguments: [employer.id]))
                sites = Set(try Int64.fetchAll(db, sql: "SELECT id FROM sites WHERE employer_id IN (SELECT value FROM json_each(?))",
                                               arguments: [JSONList.of(employers)]))
                organizations = Set(try Int64.fetchAll(db, SQLRequest(literal: """
                    SELECT organization_id FROM (\(allRepresentation)) WHERE site_id IN (SELECT value FROM json_each(\(JSONList.of(sites))))
                    """)))
                // The unions' parents (a local's union) and the home organization, to show how close we are.
                organizations.formUnion(try Int64.fetchAll(db, sql: "SELECT parent_id FROM organizations WHERE id IN (SELECT value FROM json_each(?)) AND parent_id IS NOT NULL",
                                                           arguments: [JSONList.of(organizations)]))
                if let home = try Int64.fetchOne(db, sql: "SELECT organization_id FROM home") { organizations.insert(home) }
            case .organization(let ref):
                let organization = try references.organization(ref)
                guard rule.shows(organizationID: organization.id) else {
                    throw SolidarityError(.conflict, try Self.withheldCentre(organization, db: db), remedy: .includeSensitive)
                }
                // Its parts the rule withholds (a sensitive local) stay out, with the sites only they represent.
                let parts = try Int64.fetchAll(db, sql: """
                    WITH RECURSIVE parts(id) AS (SELECT ? UNION SELECT o.id FROM organizations o JOIN parts ON o.parent_id = parts.id) SELECT id FROM parts
                    """, arguments: [organization.id]).filter(rule.shows(organizationID:))
                organizations = Set(parts)
                organizations.formUnion(try Int64.fetchAll(db, sql: "SELECT parent_id FROM organizations WHERE id = ? AND parent_id IS NOT NULL", arguments: [organization.id]))
                organizations.formUnion(try Int64.fetchAll(db, sql: """
                    SELECT to_id FROM relationships WHERE from_id = ?1 UNION SELECT from_id FROM relationships WHERE to_id = ?1
                    """, arguments: [organization.id]))
                sites = Set(try Int64.fetchAll(db, SQLRequest(literal: """
                    SELECT site_id FROM (\(allRepresentation)) WHERE organization_id IN (SELECT value FROM json_each(\(JSONList.of(parts))))
                    """)))
                employers = Set(try Int64.fetchAll(db, sql: "SELECT employer_id FROM sites WHERE id IN (SELECT value FROM json_each(?))",
                                                   arguments: [JSONList.of(sites)]))
            }
            let leftOut = organizations.intersection(rule.withheldOrganizationIDs).count
            organizations.subtract(rule.withheldOrganizationIDs)
            var nodes: [NetworkGraph.Node] = []
            var handles: [Int64: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, handle, coalesce(acronym, name) AS label, country FROM organizations WHERE id IN (SELECT value FROM json_each(?)) ORDER BY handle",
                                        arguments: [JSONList.of(organizations)]) {
                handles[row["id"]] = "org:\(row["handle"] as String)"
                nodes.append(.init(id: "org:\(row["handle"] as String)", kind: .organization, label: row["label"], country: row["country"]))
            }
            var employerIDs: [Int64: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, handle, name, country FROM employers WHERE id IN (SELECT value FROM json_each(?)) ORDER BY handle",
                                        arguments: [JSONList.of(employers)]) {
                employerIDs[row["id"]] = "employer:\(row["handle"] as String)"
                nodes.append(.init(id: "employer:\(row["handle"] as String)", kind: .employer, label: row["name"], country: row["country"]))
            }
            var edges: [NetworkGraph.Edge] = []
            var siteIDs: [Int64: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, uid, name, country, employer_id FROM sites WHERE id IN (SELECT value FROM json_each(?)) ORDER BY uid",
                                        arguments: [JSONList.of(sites)]) {
                let id = "site:\(row["uid"] as String)"
                siteIDs[row["id"]] = id
                nodes.append(.init(id: id, kind: .site, label: row["name"], country: row["country"]))
                if let employer = employerIDs[row["employer_id"]] { edges.append(.init(from: id, to: employer, label: "site of", undirected: false)) }
            }
            for row in try Row.fetchAll(db, sql: "SELECT id, parent_id FROM employers WHERE parent_id IS NOT NULL") {
                if let child = employerIDs[row["id"]], let parent = employerIDs[row["parent_id"]] {
                    edges.append(.init(from: parent, to: child, label: "owns", undirected: false))
                }
            }
            for row in try Row.fetchAll(db, sql: "SELECT id, parent_id FROM organizations WHERE parent_id IS NOT NULL") {
                if let child = handles[row["id"]], let parent = handles[row["parent_id"]] {
                    edges.append(.init(from: child, to: parent, label: "part of", undirected: false))
                }
            }
            for row in try Row.fetchAll(db, sql: "SELECT id, from_id, to_id, kind, status FROM relationships WHERE status <> 'ended'") {
                guard let from = handles[row["from_id"]], let to = handles[row["to_id"]] else { continue }
                let kind: Relationship.Kind = try .stored(row["kind"], column: "kind", table: "relationships", row: row["id"] as Int64)
                edges.append(.init(from: from, to: to, label: "\(kind.phrase.replacingOccurrences(of: " of", with: "")) (\(row["status"] as String))",
                                   undirected: kind.isSymmetric))
            }
            for row in try Row.fetchAll(db, SQLRequest(literal: allRepresentation)) {
                if let union = handles[row["organization_id"]], let site = siteIDs[row["site_id"]] {
                    edges.append(.init(from: union, to: site, label: "represents", undirected: false))
                }
            }
            edges.sort { ($0.from, $0.to, $0.label) < ($1.from, $1.to, $1.label) }
            return NetworkGraph(nodes: nodes, edges: edges, leftOut: leftOut, includesSensitive: includeSensitive)
        }
    }

    /// Why a graph cannot centre on a withheld organization: it is sensitive, or part of one (named).
    private static func withheldCentre(_ organization: References.Match, db: Database) throws -> String {
        // The organization and the bodies it is part of, nearest first: the first one marked sensitive.
        let sensitive = try String.fetchOne(db, sql: """
            WITH RECURSIVE up(id, depth) AS (SELECT ?, 0
                UNION SELECT o.parent_id, up.depth + 1 FROM organizations o JOIN up ON o.id = up.id WHERE o.parent_id IS NOT NULL)
            SELECT o.handle FROM up JOIN organizations o ON o.id = up.id WHERE o.sensitive = 1 ORDER BY up.depth LIMIT 1
            """, arguments: [organization.id])
        let reason = sensitive == organization.handle ? "is marked sensitive"
            : "is part of \(sensitive ?? "an organization"), which is marked sensitive"
        return "\(organization.name) \(reason), so a graph around it would show its network."
    }
}
