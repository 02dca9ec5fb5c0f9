import Foundation
import KilpiCore
import SQLiteNIO
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
        // SQLite keeps its default page cache here: with a larger one its sorter sorts in one big run, and the
        // snapshot's INSERT … SELECT took half as long again.
        return try await database.bulkTransaction { [customers] connection in
            // Hashing a million rows in memory beats spilling sorts and hashes to disk (PostgreSQL's default is 4 MB).
            if connection.sqlite == nil { try await connection.sql.raw("SET LOCAL work_mem = '256MB'").run() }
            return try await Self.save(connection, customers: customers, incidentID: incidentID, draft, systemIDs: systemIDs, categoryIDs: categoryIDs, actor: actor, now: now)
        }
    }

    private static func save(_ connection: BulkConnection, customers: CustomerRepository, incidentID: Int64, _ draft: ScopeDraft, systemIDs: [Int64], categoryIDs: [String],
                             actor: String, now: Date) async throws -> ScopeVersion {
        let sql = connection.sql
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
        // PostgreSQL guesses 200 rows for each CTE of the snapshot statements (they are built as they run) and would
        // join half a million customers by nested loop, one index probe each; hash joins take a fraction of that.
        if connection.sqlite == nil { try await sql.raw("SET LOCAL enable_nestloop = off").run() }
        let summary = try await computeExposure(connection, scopeID: scopeID, systemList: systemList, draft: draft, categoryIDs: categoryIDs,
                                                restrictToList: !listed.isEmpty, sensitivities: categories)
        let diff = try await previousID.asyncMap { try await Self.diff(connection, from: $0, to: scopeID) }
        if connection.sqlite == nil { try await sql.raw("SET LOCAL enable_nestloop = on").run() }
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

    // MARK: Computing

    /// Every customer with a holding in an affected system that overlaps the window (see `ExposureRule`), with
    /// exactly the categories held there, narrowed to the known-exposed categories and listed customers if given;
    /// written as the snapshot of `scopeID` and counted.
    static func computeExposure(_ connection: BulkConnection, scopeID: Int64, systemList: String, draft: ScopeDraft, categoryIDs: [String],
                                restrictToList: Bool, sensitivities: [(String, Sensitivity)]) async throws -> ExposureSummary {
        let sqlite = connection.sqlite != nil
        // SQLite: inserting in key order and letting the primary key drop duplicates beats a DISTINCT's temporary
        // b-tree. PostgreSQL hashes the DISTINCT cheaply, then sorts so the primary key is appended to in order
        // (its "C" collation keeps that sort and the index free of locale-aware comparisons).
        var select: SQLQueryString = """
            SELECT \(unsafeRaw: sqlite ? "" : "DISTINCT ")\(unsafeRaw: String(scopeID)), h.customer_id, h.category_id\(unsafeRaw: sqlite ? "" : " COLLATE \"C\"") FROM holdings h
            WHERE h.system_id IN (\(unsafeRaw: systemList))
              AND h.held_from <= \(bind: draft.windowEnd.epochMilliseconds)
              AND (h.held_until IS NULL OR h.held_until > \(bind: draft.windowStart.epochMilliseconds - ExposureRule.day))
            """
        if !categoryIDs.isEmpty { select = select + " AND h.category_id IN (\(binds: categoryIDs))" }
        if restrictToList { select = select + " AND h.customer_id IN (SELECT customer_id FROM scope_customers WHERE scope_id = \(unsafeRaw: String(scopeID)))" }
        select = select + " ORDER BY 2, 3"
        if let raw = connection.sqlite {
            try await connection.sql.raw("INSERT OR IGNORE INTO exposures (scope_id, customer_id, category_id) " + select).run()
            return try await tally(raw, scopeID: scopeID, sensitivities: sensitivities)
        }
        return try await insertAndCount(connection.sql, insert: "INSERT INTO exposures (scope_id, customer_id, category_id) " + select, sensitivities: sensitivities)
    }

    /// SQLite: one pass over the new snapshot in key order (so the ORDER BY costs no sort), with where each
    /// customer lives (from the narrow `customers_place` index, not the wide sealed rows), counted in Swift.
    static func tally(_ raw: SQLiteConnection, scopeID: Int64, sensitivities: [(String, Sensitivity)]) async throws -> ExposureSummary {
        let empty = ExposureTally(sensitivity: Dictionary(sensitivities, uniquingKeysWith: { a, _ in a }))
        return try await RawSQLite.scan("""
            SELECT e.customer_id, e.category_id, c.country, c.region
            FROM exposures e JOIN customers c INDEXED BY customers_place ON c.id = e.customer_id WHERE e.scope_id = ?
            ORDER BY e.customer_id
            """, binds: [scopeID], on: raw, into: empty) { tally, row in
            tally.add(customer: row.int64(0), category: row.text(1), country: row.text(2), region: row.text(3))
            return true
        }.summary()
    }

    /// PostgreSQL: the insert and its counts in one statement, counting the inserted rows as they are returned
    /// instead of reading the fresh snapshot back (whose index entries would each need a visibility check).
    static func insertAndCount(_ sql: any SQLDatabase, insert: SQLQueryString, sensitivities: [(String, Sensitivity)]) async throws -> ExposureSummary {
        let ranks = Sensitivity.allCases
        let cases = sensitivities.map { "WHEN '\($0.0.replacingOccurrences(of: "'", with: "''"))' THEN \(ranks.firstIndex(of: $0.1)!)" }.joined(separator: " ")
        let query: SQLQueryString = "WITH ins AS (" + insert + """
             RETURNING customer_id, category_id),
            per AS (SELECT customer_id, MAX(CASE category_id \(unsafeRaw: cases) ELSE \(unsafeRaw: String(ranks.count - 1)) END) AS r FROM ins GROUP BY customer_id)
            SELECT 'category' AS kind, category_id AS a, '' AS b, COUNT(*) AS n FROM ins GROUP BY category_id
            UNION ALL SELECT 'rank', CAST(r AS TEXT), '', COUNT(*) FROM per GROUP BY r
            UNION ALL SELECT 'place', c.country, c.region, COUNT(*) FROM per JOIN customers c ON c.id = per.customer_id GROUP BY c.country, c.region
            """
        var summary = ExposureSummary()
        for row in try await sql.raw(query).all() {
            let a = try row.decode(column: "a", as: String.self), n = try row.decode(column: "n", as: Int.self)
            switch try row.decode(column: "kind", as: String.self) {
            case "category":
                summary.byCategory[a] = n
                summary.pairs += n
            case "rank":
                summary.bySensitivity[ranks[min(max(Int(a) ?? ranks.count - 1, 0), ranks.count - 1)].rawValue, default: 0] += n
                summary.customers += n
            default:
                summary.byPlace[ExposureSummary.placeCode(country: a, region: try row.decode(column: "b", as: String.self)), default: 0] += n
            }
        }
        return summary
    }

    static func diff(_ connection: BulkConnection, from old: Int64, to new: Int64) async throws -> ExposureDiff {
        if let raw = connection.sqlite { return try await mergedDiff(raw, from: old, to: new) }
        return try await diffInDatabase(connection.sql, from: old, to: new)
    }

    /// SQLite: both snapshots merged in key order (no sort: each is read along its primary key) in one pass.
    static func mergedDiff(_ raw: SQLiteConnection, from old: Int64, to new: Int64) async throws -> ExposureDiff {
        let merged = """
            SELECT customer_id, category_id, 0 AS side FROM exposures WHERE scope_id = ?
            UNION ALL SELECT customer_id, category_id, 1 FROM exposures WHERE scope_id = ?
            ORDER BY 1, 2
            """
        let differ = try await RawSQLite.scan(merged, binds: [old, new], on: raw, into: ExposureDiffer()) { differ, row in
            differ.add(customer: row.int64(0), category: row.text(1), inNew: row.int64(2) == 1)
            return true
        }
        var (diff, added) = differ.result()
        diff.addedSample = try await addedSample(raw, added: added)
        return diff
    }

    /// The first external ids (in their own order) of the added customers: walks the external-id index until
    /// enough are found, which takes about `sampleSize × customers / added` index entries.
    static func addedSample(_ raw: SQLiteConnection, added: [Int64], sampleSize: Int = 50) async throws -> [String] {
        guard !added.isEmpty else { return [] }
        let wanted = Set(added)
        return try await RawSQLite.scan("SELECT id, external_id FROM customers ORDER BY external_id", binds: [], on: raw, into: [String]()) { sample, row in
            if wanted.contains(row.int64(0)) { sample.append(row.text(1)) }
            return sample.count < min(sampleSize, wanted.count)
        }
    }

    /// PostgreSQL: one statement that hashes both snapshots by (customer, category), then by customer, so its
    /// cost does not hang on statistics the fresh snapshot does not have yet (a nested-loop anti-join over a
    /// million rows it underestimates ran for minutes).
    static func diffInDatabase(_ sql: any SQLDatabase, from old: Int64, to new: Int64) async throws -> ExposureDiff {
        let o = String(old), n = String(new)
        // Per pair: 1 = only before, 2 = only now, 3 = both.
        let rows = try await sql.raw("""
            WITH pairs AS (
                SELECT customer_id, category_id, BIT_OR(CASE WHEN scope_id = \(unsafeRaw: n) THEN 2 ELSE 1 END) AS f
                FROM exposures WHERE scope_id IN (\(unsafeRaw: o), \(unsafeRaw: n)) GROUP BY customer_id, category_id),
            per AS (
                SELECT customer_id, BOOL_OR(f & 1 = 1) AS before, BOOL_OR(f & 2 = 2) AS now, BOOL_OR(f = 1) AS lost, BOOL_OR(f = 2) AS gained
                FROM pairs GROUP BY customer_id)
            SELECT 'counts' AS kind, '' AS value,
                COUNT(*) FILTER (WHERE NOT before) AS added, COUNT(*) FILTER (WHERE NOT now) AS removed,
                COUNT(*) FILTER (WHERE before AND now AND gained) AS widened,
                COUNT(*) FILTER (WHERE before AND now AND lost AND NOT gained) AS narrowed
            FROM per
            UNION ALL
            SELECT 'category', category_id, 0, 0, 0, 0 FROM pairs GROUP BY category_id HAVING BIT_OR(f) = 2
            UNION ALL
            (SELECT 'sample', c.external_id, 0, 0, 0, 0 FROM customers c
             WHERE c.id IN (SELECT customer_id FROM per WHERE NOT before) ORDER BY c.external_id COLLATE "C" LIMIT 50)
            """).all()
        var diff = ExposureDiff()
        for row in rows {
            let value = try row.decode(column: "value", as: String.self)
            switch try row.decode(column: "kind", as: String.self) {
            case "counts":
                diff.added = try row.decode(column: "added", as: Int.self)
                diff.removed = try row.decode(column: "removed", as: Int.self)
                diff.widened = try row.decode(column: "widened", as: Int.self)
                diff.narrowed = try row.decode(column: "narrowed", as: Int.self)
            case "category": diff.newCategories.append(value)
            default: diff.addedSample.append(value)
            }
        }
        diff.newCategories.sort()
        // Byte order, as on SQLite.
        diff.addedSample.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }
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
