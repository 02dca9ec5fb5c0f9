import Foundation
import KilpiCore
import SQLKit

/// One affected customer of a scope version: who, and which categories.
public struct ExposedCustomer: Sendable, Equatable {
    public let customerID: Int64
    public let externalID: String
    public let categories: [String]
}

/// Scope versions and their exposure snapshots. The exposure is computed inside the database with one
/// INSERT … SELECT over the holdings, so a million customers never pass through Kilpi's memory.
public struct ScopeRepository: Sendable {
    let database: Database
    let customers: CustomerRepository

    public init(database: Database, customers: CustomerRepository) {
        self.database = database
        self.customers = customers
    }

    /// The most customer ids a scope's uploaded list may hold.
    public static let maximumCustomerList = 1_000_000

    /// Saves a new scope version and its exposure, with counts and the change from the previous version, and
    /// notes it on the timeline, all in one transaction: a bad system, category or customer id saves nothing.
    public func create(incidentID: Int64, _ draft: ScopeDraft, actor: String, now: Date) async throws -> ScopeVersion {
        var problems = draft.problems()
        if draft.customerExternalIDs.count > Self.maximumCustomerList { problems.append(FieldProblem("customer_ids", "at most \(Self.maximumCustomerList) ids")) }
        guard problems.isEmpty else { throw IncidentError.invalid(problems) }
        let systemIDs = Array(Set(draft.systemIDs)).sorted()
        let categoryIDs = Array(Set(draft.categoryIDs)).sorted()
        return try await database.transaction { [customers] sql in
            guard try await IncidentRepository.load(sql, id: incidentID, forUpdate: true) != nil else { throw IncidentError.notFound(incidentID) }
            let systemList = systemIDs.map(String.init).joined(separator: ",")
            let knownSystems = Set(try await sql.raw("SELECT id FROM systems WHERE id IN (\(unsafeRaw: systemList))").all().map { try $0.decode(column: "id", as: Int64.self) })
            var problems: [FieldProblem] = systemIDs.filter { !knownSystems.contains($0) }.map { FieldProblem("systems", "unknown system id \($0)") }
            let categories = try await sql.raw("SELECT id, sensitivity FROM data_categories").all().map {
                (try $0.decode(column: "id", as: String.self), Sensitivity(rawValue: try $0.decode(column: "sensitivity", as: String.self)) ?? .high)
            }
            let knownCategories = Set(categories.map(\.0))
            problems += categoryIDs.filter { !knownCategories.contains($0) }.map { FieldProblem("categories", "unknown category \"\($0)\"") }
            var listed: [Int64] = []
            if !draft.customerExternalIDs.isEmpty {
                let resolved = try await customers.resolve(externalIDs: draft.customerExternalIDs, in: sql)
                listed = resolved.ids
                problems += resolved.unknown.prefix(20).map { FieldProblem("customer_ids", "unknown customer id \"\($0)\"") }
                if resolved.unknown.count > 20 { problems.append(FieldProblem("customer_ids", "… and \(resolved.unknown.count - 20) more unknown ids")) }
            }
            guard problems.isEmpty else { throw IncidentError.invalid(problems) }

            let previous = try await sql.raw("SELECT id, version FROM scope_versions WHERE incident_id = \(bind: incidentID) ORDER BY version DESC LIMIT 1").first()
            let previousID = try previous?.decode(column: "id", as: Int64.self)
            let version = (try previous?.decode(column: "version", as: Int.self) ?? 0) + 1
            let scopeID = try await sql.raw("""
                INSERT INTO scope_versions (incident_id, version, systems, window_start, window_end, categories, listed_customers, note, summary, diff, created_at, created_by)
                VALUES (\(bind: incidentID), \(bind: version), \(bind: systemList), \(bind: draft.windowStart.epochMilliseconds), \(bind: draft.windowEnd.epochMilliseconds),
                        \(bind: categoryIDs.joined(separator: ",")), \(bind: listed.count), \(bind: draft.note), '{}', NULL,
                        \(bind: now.epochMilliseconds), \(bind: actor))
                RETURNING id
                """).first().map { try $0.decode(column: "id", as: Int64.self) }!
            for start in stride(from: 0, to: listed.count, by: 1000) {
                let values = listed[start..<min(start + 1000, listed.count)].map { "(\(scopeID),\($0))" }.joined(separator: ",")
                try await sql.raw("INSERT INTO scope_customers (scope_id, customer_id) VALUES \(unsafeRaw: values)").run()
            }
            try await Self.computeExposure(sql, scopeID: scopeID, systemList: systemList, draft: draft, categoryIDs: categoryIDs, restrictToList: !listed.isEmpty)
            let summary = try await Self.summarise(sql, scopeID: scopeID, sensitivities: categories)
            let diff = try await previousID.asyncMap { try await Self.diff(sql, from: $0, to: scopeID) }
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            try await sql.raw("""
                UPDATE scope_versions SET summary = \(bind: String(decoding: try encoder.encode(summary), as: UTF8.self)),
                    diff = \(bind: try diff.map { String(decoding: try encoder.encode($0), as: UTF8.self) })
                WHERE id = \(bind: scopeID)
                """).run()
            var text = "Scope v\(version): \(systemIDs.count) system(s), \(ISO8601DateFormatter().string(from: draft.windowStart)) – \(ISO8601DateFormatter().string(from: draft.windowEnd)); \(summary.customers) customers exposed"
            if let diff { text += " (+\(diff.added) / −\(diff.removed), \(diff.widened) widened, \(diff.narrowed) narrowed)" }
            if !draft.note.isEmpty { text += ". \(draft.note)" }
            try await IncidentRepository.append(sql, incidentID: incidentID, at: now, author: actor, kind: .scope, visibility: .internal, text: text)
            return ScopeVersion(id: scopeID, incidentID: incidentID, version: version,
                                draft: ScopeDraft(systemIDs: systemIDs, windowStart: draft.windowStart, windowEnd: draft.windowEnd, categoryIDs: categoryIDs,
                                                  customerExternalIDs: draft.customerExternalIDs, note: draft.note),
                                createdAt: now, createdBy: actor, listedCustomers: listed.count, summary: summary, diff: diff)
        }
    }

    // MARK: Computing

    /// Every customer with a holding in an affected system that overlaps the window (see `ExposureRule`), with
    /// exactly the categories held there, narrowed to the known-exposed categories and listed customers if given.
    static func computeExposure(_ sql: any SQLDatabase, scopeID: Int64, systemList: String, draft: ScopeDraft, categoryIDs: [String], restrictToList: Bool) async throws {
        // SQLite: inserting in key order and letting the primary key drop duplicates beats a DISTINCT's temporary
        // b-tree; PostgreSQL hashes the DISTINCT cheaply and would pay per row for ON CONFLICT.
        let sqlite = sql.dialect.name == "sqlite"
        var query: SQLQueryString = """
            INSERT \(unsafeRaw: sqlite ? "OR IGNORE " : "")INTO exposures (scope_id, customer_id, category_id)
            SELECT \(unsafeRaw: sqlite ? "" : "DISTINCT ")\(unsafeRaw: String(scopeID)), h.customer_id, h.category_id FROM holdings h
            WHERE h.system_id IN (\(unsafeRaw: systemList))
              AND h.held_from <= \(bind: draft.windowEnd.epochMilliseconds)
              AND (h.held_until IS NULL OR h.held_until > \(bind: draft.windowStart.epochMilliseconds - ExposureRule.day))
            """
        if !categoryIDs.isEmpty { query = query + " AND h.category_id IN (\(binds: categoryIDs))" }
        if restrictToList { query = query + " AND h.customer_id IN (SELECT customer_id FROM scope_customers WHERE scope_id = \(unsafeRaw: String(scopeID)))" }
        if sqlite { query = query + " ORDER BY 2, 3" }
        try await sql.raw(query).run()
    }

    static func summarise(_ sql: any SQLDatabase, scopeID: Int64, sensitivities: [(String, Sensitivity)]) async throws -> ExposureSummary {
        var summary = ExposureSummary()
        for row in try await sql.raw("SELECT category_id, COUNT(*) AS n FROM exposures WHERE scope_id = \(bind: scopeID) GROUP BY category_id").all() {
            summary.byCategory[try row.decode(column: "category_id", as: String.self)] = try row.decode(column: "n", as: Int.self)
        }
        summary.pairs = summary.byCategory.values.reduce(0, +)
        // Each customer counts once, under the most sensitive category exposed for them.
        let ranks = Sensitivity.allCases
        let cases = sensitivities.map { "WHEN '\($0.0.replacingOccurrences(of: "'", with: "''"))' THEN \(ranks.firstIndex(of: $0.1)!)" }.joined(separator: " ")
        for row in try await sql.raw("""
            SELECT r, COUNT(*) AS n FROM (
                SELECT MAX(CASE category_id \(unsafeRaw: cases) ELSE \(unsafeRaw: String(ranks.count - 1)) END) AS r
                FROM exposures WHERE scope_id = \(bind: scopeID) GROUP BY customer_id) t
            GROUP BY r
            """).all() {
            let rank = try row.decode(column: "r", as: Int.self), n = try row.decode(column: "n", as: Int.self)
            summary.bySensitivity[ranks[min(max(rank, 0), ranks.count - 1)].rawValue] = n
            summary.customers += n
        }
        for row in try await sql.raw("""
            SELECT country, region, COUNT(*) AS n FROM customers
            WHERE id IN (SELECT customer_id FROM exposures WHERE scope_id = \(bind: scopeID))
            GROUP BY country, region
            """).all() {
            let country = try row.decode(column: "country", as: String.self), region = try row.decode(column: "region", as: String.self)
            summary.byPlace[region.isEmpty ? country : "\(country)-\(region)", default: 0] += try row.decode(column: "n", as: Int.self)
        }
        return summary
    }

    static func diff(_ sql: any SQLDatabase, from old: Int64, to new: Int64) async throws -> ExposureDiff {
        func count(_ query: SQLQueryString) async throws -> Int {
            try await sql.raw(query).first().map { try $0.decode(column: "n", as: Int.self) } ?? 0
        }
        let o = String(old), n = String(new)
        func customersOnlyIn(_ a: String, notIn b: String) -> SQLQueryString {
            """
            SELECT DISTINCT e.customer_id FROM exposures e WHERE e.scope_id = \(unsafeRaw: a)
              AND NOT EXISTS (SELECT 1 FROM exposures x WHERE x.scope_id = \(unsafeRaw: b) AND x.customer_id = e.customer_id)
            """
        }
        // Customers in both versions with a category in `a` that `b` lacks for them.
        func grewFrom(_ b: String, to a: String) -> SQLQueryString {
            """
            SELECT DISTINCT e.customer_id FROM exposures e WHERE e.scope_id = \(unsafeRaw: a)
              AND EXISTS (SELECT 1 FROM exposures y WHERE y.scope_id = \(unsafeRaw: b) AND y.customer_id = e.customer_id)
              AND NOT EXISTS (SELECT 1 FROM exposures x WHERE x.scope_id = \(unsafeRaw: b) AND x.customer_id = e.customer_id AND x.category_id = e.category_id)
            """
        }
        var diff = ExposureDiff()
        diff.added = try await count("SELECT COUNT(*) AS n FROM (" + customersOnlyIn(n, notIn: o) + ") t")
        diff.removed = try await count("SELECT COUNT(*) AS n FROM (" + customersOnlyIn(o, notIn: n) + ") t")
        diff.widened = try await count("SELECT COUNT(*) AS n FROM (" + grewFrom(o, to: n) + ") t")
        diff.narrowed = try await count("SELECT COUNT(*) AS n FROM (" + grewFrom(n, to: o) + ") t WHERE t.customer_id NOT IN (" + grewFrom(o, to: n) + ")")
        let before = Set(try await sql.raw("SELECT DISTINCT category_id FROM exposures WHERE scope_id = \(unsafeRaw: o)").all().map { try $0.decode(column: "category_id", as: String.self) })
        let after = Set(try await sql.raw("SELECT DISTINCT category_id FROM exposures WHERE scope_id = \(unsafeRaw: n)").all().map { try $0.decode(column: "category_id", as: String.self) })
        diff.newCategories = after.subtracting(before).sorted()
        diff.addedSample = try await sql.raw("SELECT external_id FROM customers WHERE id IN (" + customersOnlyIn(n, notIn: o) + ") ORDER BY external_id LIMIT 50")
            .all().map { try $0.decode(column: "external_id", as: String.self) }
        return diff
    }

    // MARK: Reading

    /// Every version of an incident's scope, newest first.
    public func versions(incidentID: Int64) async throws -> [ScopeVersion] {
        try await database.withConnection { sql in
            try await sql.raw("SELECT * FROM scope_versions WHERE incident_id = \(bind: incidentID) ORDER BY version DESC").all().map(Self.decode)
        }
    }

    public func latest(incidentID: Int64) async throws -> ScopeVersion? {
        try await database.withConnection { sql in
            try await sql.raw("SELECT * FROM scope_versions WHERE incident_id = \(bind: incidentID) ORDER BY version DESC LIMIT 1").first().map(Self.decode)
        }
    }

    /// A page of affected customers (by internal id, after `afterCustomerID`), with their exposed categories.
    public func exposedCustomers(scopeID: Int64, after afterCustomerID: Int64 = 0, limit: Int = 100) async throws -> [ExposedCustomer] {
        try await database.withConnection { sql in
            let aggregate = sql.dialect.name == "postgresql" ? "string_agg(e.category_id, ',' ORDER BY e.category_id)" : "group_concat(e.category_id, ',')"
            return try await sql.raw("""
                SELECT e.customer_id, c.external_id, \(unsafeRaw: aggregate) AS categories
                FROM exposures e JOIN customers c ON c.id = e.customer_id
                WHERE e.scope_id = \(bind: scopeID) AND e.customer_id > \(bind: afterCustomerID)
                GROUP BY e.customer_id, c.external_id ORDER BY e.customer_id LIMIT \(unsafeRaw: String(limit))
                """).all().map { row in
                ExposedCustomer(
                    customerID: try row.decode(column: "customer_id", as: Int64.self),
                    externalID: try row.decode(column: "external_id", as: String.self),
                    categories: try row.decode(column: "categories", as: String.self).split(separator: ",").map(String.init).sorted())
            }
        }
    }

    static func decode(_ row: any SQLRow) throws -> ScopeVersion {
        let decoder = JSONDecoder()
        func list(_ column: String) throws -> [String] { try row.decode(column: column, as: String.self).split(separator: ",").map(String.init) }
        let summary = (try? decoder.decode(ExposureSummary.self, from: Data(try row.decode(column: "summary", as: String.self).utf8))) ?? ExposureSummary()
        let diff = try row.decode(column: "diff", as: String?.self).flatMap { try? decoder.decode(ExposureDiff.self, from: Data($0.utf8)) }
        let draft = ScopeDraft(
            systemIDs: try list("systems").compactMap { Int64($0) },
            windowStart: Date(epochMilliseconds: try row.decode(column: "window_start", as: Int64.self)),
            windowEnd: Date(epochMilliseconds: try row.decode(column: "window_end", as: Int64.self)),
            categoryIDs: try list("categories"), customerExternalIDs: [],
            note: try row.decode(column: "note", as: String.self))
        return ScopeVersion(
            id: try row.decode(column: "id", as: Int64.self), incidentID: try row.decode(column: "incident_id", as: Int64.self),
            version: try row.decode(column: "version", as: Int.self), draft: draft,
            createdAt: Date(epochMilliseconds: try row.decode(column: "created_at", as: Int64.self)),
            createdBy: try row.decode(column: "created_by", as: String.self),
            listedCustomers: try row.decode(column: "listed_customers", as: Int.self), summary: summary, diff: diff)
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async throws -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
