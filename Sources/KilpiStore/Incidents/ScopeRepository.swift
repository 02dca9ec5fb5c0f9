import Foundation
import KilpiCore
import Logging
import PostgresNIO
import SQLKit
import SQLiteNIO

/// One affected customer of a scope version: who, and which categories.
public struct ExposedCustomer: Sendable, Equatable {
    public let customerID: Int64
    public let externalID: String
    public let categories: [String]
}

/// Scope versions and their exposure snapshots (see `ExposureSnapshot` for how a snapshot is stored).
public struct ScopeRepository: Sendable {
    let database: Database
    let customers: CustomerRepository

    let tuning: Tuning

    /// How snapshots are stored and counted. Tests shrink the numbers to cross each boundary with little data.
    struct Tuning: Sendable {
        /// Customers per stored chunk.
        var chunkSize = ExposureSnapshot.chunkSize
        /// Up to this many exposed customers PostgreSQL looks up where each lives; for more it reads everyone's.
        var placeLookupLimit = 50_000
    }

    public init(database: Database, customers: CustomerRepository) {
        self.init(database: database, customers: customers, tuning: Tuning())
    }

    init(database: Database, customers: CustomerRepository, tuning: Tuning) {
        self.database = database
        self.customers = customers
        self.tuning = tuning
    }

    /// The most customer ids a scope's uploaded list may hold.
    public static let maximumCustomerList = 1_000_000

    /// Saves a new scope version and its exposure, with counts and the change from the previous version, and
    /// notes it on the timeline, all in one transaction: a bad system, category or customer id saves nothing.
    public func create(
        incidentID: Int64,
        _ draft: ScopeDraft,
        actor: String,
        now: Date,
        audit: Audited<ScopeVersion>? = nil
    ) async throws -> ScopeVersion {
        var problems = draft.problems()
        if draft.customerExternalIDs.count > Self.maximumCustomerList {
            let maximum = Self.maximumCustomerList
            problems.append(FieldProblem("customer_ids", .l("at most \(maximum) ids", "enintään \(maximum) tunnusta")))
        }
        guard problems.isEmpty else { throw IncidentError.invalid(problems) }
        let systemIDs = Array(Set(draft.systemIDs)).sorted()
        let categoryIDs = Array(Set(draft.categoryIDs)).sorted()
        // SQLite keeps its default page cache here: with a larger one its sorter sorts in one big run, and the
        // snapshot's INSERT … SELECT took half as long again.
        return try await database.bulkTransaction { [customers, tuning] connection in
            // Hashing a million rows in memory beats spilling sorts and hashes to disk (PostgreSQL's default is 4 MB).
            if connection.sqlite == nil { try await connection.sql.raw("SET LOCAL work_mem = '256MB'").run() }
            let version = try await Self.save(
                connection,
                customers: customers,
                tuning: tuning,
                incidentID: incidentID,
                draft,
                systemIDs: systemIDs,
                categoryIDs: categoryIDs,
                actor: actor,
                now: now
            )
            try await audit.write(version, in: connection.sql)
            return version
        }
    }

    private static func save(
        _ connection: BulkConnection,
        customers: CustomerRepository,
        tuning: Tuning,
        incidentID: Int64,
        _ draft: ScopeDraft,
        systemIDs: [Int64],
        categoryIDs: [String],
        actor: String,
        now: Date
    ) async throws -> ScopeVersion {
        let sql = connection.sql
        guard try await IncidentRepository.load(sql, id: incidentID, forUpdate: true) != nil else {
            throw IncidentError.notFound(incidentID)
        }
        let systemList = systemIDs.map(String.init).joined(separator: ",")
        let knownSystems = Set(
            try await sql.raw("SELECT id FROM systems WHERE id IN (\(unsafeRaw: systemList))").all().map {
                try $0.decode(column: "id", as: Int64.self)
            }
        )
        var problems: [FieldProblem] = systemIDs.filter { !knownSystems.contains($0) }.map { id in
            FieldProblem("systems", .l("unknown system id \(id)", "tuntematon järjestelmätunnus \(id)"))
        }
        let categories = try await sql.raw("SELECT id, sensitivity FROM data_categories").all().map {
            (
                try $0.decode(column: "id", as: String.self),
                Sensitivity(rawValue: try $0.decode(column: "sensitivity", as: String.self)) ?? .high
            )
        }
        let knownCategories = Set(categories.map(\.0))
        problems += categoryIDs.filter { !knownCategories.contains($0) }.map { id in
            FieldProblem("categories", .l("unknown category \"\(id)\"", "tuntematon tietoluokka \"\(id)\""))
        }
        var listed: [Int64] = []
        if !draft.customerExternalIDs.isEmpty {
            let resolved = try await customers.resolve(externalIDs: draft.customerExternalIDs, in: sql)
            listed = resolved.ids
            problems += resolved.unknown.prefix(20).map { id in
                FieldProblem("customer_ids", .l("unknown customer id \"\(id)\"", "tuntematon asiakastunnus \"\(id)\""))
            }
            if resolved.unknown.count > 20 {
                let more = resolved.unknown.count - 20
                problems.append(
                    FieldProblem(
                        "customer_ids",
                        .l("… and \(more) more unknown ids", "… ja \(more) muuta tuntematonta tunnusta")
                    )
                )
            }
        }
        guard problems.isEmpty else { throw IncidentError.invalid(problems) }

        let previous = try await sql.raw(
            "SELECT id, version FROM scope_versions WHERE incident_id = \(bind: incidentID) ORDER BY version DESC LIMIT 1"
        ).first()
        let previousID = try previous?.decode(column: "id", as: Int64.self)
        let version = (try previous?.decode(column: "version", as: Int.self) ?? 0) + 1
        let scopeID = try await sql.raw(
            """
            INSERT INTO scope_versions (incident_id, version, systems, window_start, window_end, categories, listed_customers, note, summary, diff, created_at, created_by)
            VALUES (\(bind: incidentID), \(bind: version), \(bind: systemList), \(bind: draft.windowStart.epochMilliseconds), \(bind: draft.windowEnd.epochMilliseconds),
                    \(bind: categoryIDs.joined(separator: ",")), \(bind: listed.count), \(bind: draft.note), '{}', NULL,
                    \(bind: now.epochMilliseconds), \(bind: actor))
            RETURNING id
            """
        ).first().map { try $0.decode(column: "id", as: Int64.self) }!
        for start in stride(from: 0, to: listed.count, by: 1000) {
            let values = listed[start..<min(start + 1000, listed.count)].map { "(\(scopeID),\($0))" }.joined(
                separator: ","
            )
            try await sql.raw("INSERT INTO scope_customers (scope_id, customer_id) VALUES \(unsafeRaw: values)").run()
        }
        let (snapshot, summary) = try await computeExposure(
            connection,
            scopeID: scopeID,
            systemList: systemList,
            draft: draft,
            categoryIDs: categoryIDs,
            restrictToList: !listed.isEmpty,
            sensitivities: categories,
            tuning: tuning
        )
        try await writeSnapshot(sql, scopeID: scopeID, snapshot, chunkSize: tuning.chunkSize)
        let diff = try await previousID.asyncMap { previousID in
            var (diff, added) = ExposureDiffer.diff(
                from: try await loadSnapshot(sql, scopeID: previousID),
                to: snapshot
            )
            diff.addedSample = try await addedSample(connection, added: added)
            return diff
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        try await sql.raw(
            """
            UPDATE scope_versions SET summary = \(bind: String(decoding: try encoder.encode(summary), as: UTF8.self)),
                diff = \(bind: try diff.map { String(decoding: try encoder.encode($0), as: UTF8.self) })
            WHERE id = \(bind: scopeID)
            """
        ).run()
        let event = TimelineEvent.scopeVersion(
            scope: .init(
                version: version,
                systems: systemIDs.count,
                windowStart: draft.windowStart,
                windowEnd: draft.windowEnd,
                customers: summary.customers,
                change: diff.map {
                    .init(added: $0.added, removed: $0.removed, widened: $0.widened, narrowed: $0.narrowed)
                }
            )
        )
        try await IncidentRepository.append(
            sql,
            incidentID: incidentID,
            at: now,
            author: actor,
            kind: .scope,
            visibility: .internal,
            text: draft.note,
            event: event
        )
        return ScopeVersion(
            id: scopeID,
            incidentID: incidentID,
            version: version,
            draft: ScopeDraft(
                systemIDs: systemIDs,
                windowStart: draft.windowStart,
                windowEnd: draft.windowEnd,
                categoryIDs: categoryIDs,
                customerExternalIDs: draft.customerExternalIDs,
                note: draft.note
            ),
            createdAt: now,
            createdBy: actor,
            listedCustomers: listed.count,
            summary: summary,
            diff: diff
        )
    }

    // MARK: Computing

    /// Every customer with a holding in an affected system that overlaps the window (see `ExposureRule`), with
    /// exactly the categories held there, narrowed to the known-exposed categories and listed customers if given;
    /// and its counts.
    ///
    /// The database filters the holdings; Kilpi sorts and groups them, counts, and stores the result as compact
    /// chunks (`ExposureSnapshot`). Writing a row per (customer, category) instead cost PostgreSQL 2–4 s for a
    /// million customers before anything was counted.
    static func computeExposure(
        _ connection: BulkConnection,
        scopeID: Int64,
        systemList: String,
        draft: ScopeDraft,
        categoryIDs: [String],
        restrictToList: Bool,
        sensitivities: [(String, Sensitivity)],
        tuning: Tuning
    ) async throws -> (ExposureSnapshot, ExposureSummary) {
        let tally = ExposureTally(sensitivity: Dictionary(sensitivities, uniquingKeysWith: { a, _ in a }))
        let filter = HoldingFilter(
            scopeID: scopeID,
            systemList: systemList,
            draft: draft,
            restrictToList: restrictToList
        )
        if let raw = connection.sqlite {
            let snapshot = try await sqliteSnapshot(raw, filter, categoryIDs: categoryIDs)
            let placed = try await sqlitePlaces(raw, of: snapshot, into: tally)
            return (snapshot, placed.summary(of: snapshot))
        }
        guard let postgres = connection.postgres else {
            preconditionFailure("a PostgreSQL transaction carries its connection")
        }
        return try await postgresExposure(
            postgres,
            filter,
            categoryIDs: categoryIDs,
            placeLookupLimit: tuning.placeLookupLimit,
            tally: tally
        )
    }

    /// Which holdings count: `WHERE` conditions on `holdings h`, with the window's two times as parameters 1 and 2
    /// (`$1`, `$2` on PostgreSQL; `?1`, `?2` on SQLite).
    struct HoldingFilter: Sendable {
        let conditions: String
        let sqliteConditions: String
        let windowEnd: Int64
        let heldUntilAfter: Int64

        init(scopeID: Int64, systemList: String, draft: ScopeDraft, restrictToList: Bool) {
            func conditions(_ end: String, _ until: String) -> String {
                var conditions =
                    "h.system_id IN (\(systemList)) AND h.held_from <= \(end) AND (h.held_until IS NULL OR h.held_until > \(until))"
                if restrictToList {
                    conditions +=
                        " AND h.customer_id IN (SELECT customer_id FROM scope_customers WHERE scope_id = \(scopeID))"
                }
                return conditions
            }
            self.conditions = conditions("$1", "$2")
            sqliteConditions = conditions("?1", "?2")
            windowEnd = draft.windowEnd.epochMilliseconds
            heldUntilAfter = draft.windowStart.epochMilliseconds - ExposureRule.day
        }
    }

    // MARK: Snapshots

    /// Writes `snapshot` as the exposure of `scopeID`.
    static func writeSnapshot(
        _ sql: any SQLDatabase,
        scopeID: Int64,
        _ snapshot: ExposureSnapshot,
        chunkSize: Int = ExposureSnapshot.chunkSize
    ) async throws {
        for chunk in snapshot.chunks(size: chunkSize) {
            try await sql.raw(
                """
                INSERT INTO exposure_chunks (scope_id, first_customer, last_customer, customers, data)
                VALUES (\(bind: scopeID), \(bind: chunk.firstCustomer), \(bind: chunk.lastCustomer), \(bind: chunk.customers), \(bind: Data(chunk.data)))
                """
            ).run()
        }
    }

    /// The whole exposure of `scopeID`.
    static func loadSnapshot(_ sql: any SQLDatabase, scopeID: Int64) async throws -> ExposureSnapshot {
        try await loadChunks(sql, scopeID: scopeID, after: -1, limit: nil)
    }

    /// The chunks holding customers after `after`, at most `limit` of them, as one snapshot.
    static func loadChunks(
        _ sql: any SQLDatabase,
        scopeID: Int64,
        after: Int64,
        limit: Int?
    ) async throws -> ExposureSnapshot {
        let rows = try await sql.raw(
            """
            SELECT first_customer, last_customer, customers, data FROM exposure_chunks WHERE scope_id = \(bind: scopeID) AND last_customer > \(bind: after)
            ORDER BY first_customer\(unsafeRaw: limit.map { " LIMIT \($0)" } ?? "")
            """
        ).all()
        // A damaged chunk throws `CorruptChunk`: a server fault (500), never a shorter or different list.
        return try ExposureSnapshot.decode(
            rows.map { row in
                ExposureSnapshot.Chunk(
                    firstCustomer: try row.decode(column: "first_customer", as: Int64.self),
                    lastCustomer: try row.decode(column: "last_customer", as: Int64.self),
                    customers: try row.decode(column: "customers", as: Int.self),
                    data: [UInt8](try row.decode(column: "data", as: Data.self))
                )
            }
        )
    }

    /// The first external ids (in byte order) of the added customers.
    static func addedSample(_ connection: BulkConnection, added: [Int64], sampleSize: Int = 50) async throws -> [String]
    {
        guard !added.isEmpty else { return [] }
        guard let raw = connection.sqlite else {
            return try await connection.sql.raw(
                """
                SELECT external_id FROM customers WHERE id = ANY(\(bind: added)) ORDER BY external_id COLLATE "C" LIMIT \(unsafeRaw: String(sampleSize))
                """
            ).all().map { try $0.decode(column: "external_id", as: String.self) }
        }
        // SQLite walks the external-id index until enough are found: about `sampleSize × customers / added` entries.
        let wanted = Set(added)
        return try await RawSQLite.scan(
            "SELECT id, external_id FROM customers ORDER BY external_id",
            binds: [],
            on: raw,
            into: [String]()
        ) { sample, row in
            if wanted.contains(row.int64(0)) { sample.append(row.text(1)) }
            return sample.count < min(sampleSize, wanted.count)
        }
    }

    // MARK: Reading

    /// Every version of an incident's scope, newest first.
    public func versions(incidentID: Int64) async throws -> [ScopeVersion] {
        try await database.withConnection { sql in
            try await sql.raw(
                "SELECT * FROM scope_versions WHERE incident_id = \(bind: incidentID) ORDER BY version DESC"
            ).all().map(Self.decode)
        }
    }

    public func latest(incidentID: Int64) async throws -> ScopeVersion? {
        try await database.withConnection { sql in
            try await sql.raw(
                "SELECT * FROM scope_versions WHERE incident_id = \(bind: incidentID) ORDER BY version DESC LIMIT 1"
            ).first().map(Self.decode)
        }
    }

    /// A page of affected customers (by internal id, after `afterCustomerID`), with their exposed categories.
    /// Customers erased since the scope was saved are listed under their anonymous id; rows deleted outside Kilpi
    /// are left out, and the page is still filled from the customers after them.
    public func exposedCustomers(
        scopeID: Int64,
        after afterCustomerID: Int64 = 0,
        limit: Int = 100
    ) async throws -> [ExposedCustomer] {
        try await database.withConnection { [tuning] sql in
            var page: [ExposedCustomer] = []
            var cursor = afterCustomerID
            while page.count < limit {
                let wanted = limit - page.count
                let chunks = try await Self.loadChunks(
                    sql,
                    scopeID: scopeID,
                    after: cursor,
                    limit: wanted / tuning.chunkSize + 2
                )
                let next = chunks.slice(from: chunks.index(after: cursor), limit: wanted)
                guard let last = next.customers.last else { break }
                let ids = next.customers.map(String.init).joined(separator: ",")
                let external = try await sql.raw(
                    "SELECT id, external_id FROM customers WHERE id IN (\(unsafeRaw: ids))"
                ).all()
                    .reduce(into: [Int64: String]()) {
                        $0[try $1.decode(column: "id", as: Int64.self)] = try $1.decode(
                            column: "external_id",
                            as: String.self
                        )
                    }
                for (index, customer) in next.customers.enumerated() {
                    if let externalID = external[customer] {
                        page.append(
                            ExposedCustomer(
                                customerID: customer,
                                externalID: externalID,
                                categories: next.categories(at: index)
                            )
                        )
                    }
                }
                cursor = last
            }
            return page
        }
    }

    static func decode(_ row: any SQLRow) throws -> ScopeVersion {
        let decoder = JSONDecoder()
        func list(_ column: String) throws -> [String] {
            try row.decode(column: column, as: String.self).split(separator: ",").map(String.init)
        }
        let summary =
            (try? decoder.decode(
                ExposureSummary.self,
                from: Data(try row.decode(column: "summary", as: String.self).utf8)
            )) ?? ExposureSummary()
        let diff = try row.decode(column: "diff", as: String?.self).flatMap {
            try? decoder.decode(ExposureDiff.self, from: Data($0.utf8))
        }
        let draft = ScopeDraft(
            systemIDs: try list("systems").compactMap { Int64($0) },
            windowStart: Date(epochMilliseconds: try row.decode(column: "window_start", as: Int64.self)),
            windowEnd: Date(epochMilliseconds: try row.decode(column: "window_end", as: Int64.self)),
            categoryIDs: try list("categories"),
            customerExternalIDs: [],
            note: try row.decode(column: "note", as: String.self)
        )
        return ScopeVersion(
            id: try row.decode(column: "id", as: Int64.self),
            incidentID: try row.decode(column: "incident_id", as: Int64.self),
            version: try row.decode(column: "version", as: Int.self),
            draft: draft,
            createdAt: Date(epochMilliseconds: try row.decode(column: "created_at", as: Int64.self)),
            createdBy: try row.decode(column: "created_by", as: String.self),
            listedCustomers: try row.decode(column: "listed_customers", as: Int.self),
            summary: summary,
            diff: diff
        )
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async throws -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
