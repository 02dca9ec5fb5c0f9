import Foundation
import KilpiCore
import KilpiTestSupport
import SQLKit
import Testing

@testable import KilpiStore

@Suite("Migrations")
struct MigrationTests {
    @Test("an empty database gets every migration, once", arguments: TestDatabases.engines)
    func appliesAllOnce(engine: SQLEngine) async throws {
        try await TestDatabases.with(engine, migrate: false) { database in
            let migrator = Migrator(database: database)
            let expected = Migrations.all.map(\.version)
            #expect(!expected.isEmpty)
            #expect(
                expected == expected.sorted() && Set(expected).count == expected.count,
                "versions ascend without repeats"
            )

            let first = try await migrator.migrate()
            #expect(first == expected)
            #expect(try await migrator.appliedVersions() == expected)

            let second = try await migrator.migrate()
            #expect(second.isEmpty)
            #expect(try await migrator.appliedVersions() == expected)
            #expect(try await database.rowCount("schema_migrations") == expected.count)
        }
    }

    @Test("every table of the schema accepts rows and gives them back", arguments: TestDatabases.engines)
    func tablesExist(engine: SQLEngine) async throws {
        try await TestDatabases.with(engine) { database in
            try await database.execute(
                """
                INSERT INTO staff_users (email, display_name, role, status, created_at, updated_at)
                VALUES ('a@example.fi', 'A', 'admin', 'active', 1, 1)
                """
            )
            let userID = try await database.withConnection { sql in
                try await sql.raw("SELECT id FROM staff_users WHERE email = 'a@example.fi'").first()
                    .map { try $0.decode(column: "id", as: Int64.self) }
            }
            let id = try #require(userID)
            try await database.execute(
                """
                INSERT INTO one_time_links (token_hash, purpose, user_id, created_at, expires_at)
                VALUES ('h1', 'enrol', \(bind: id), 1, 2)
                """
            )
            try await database.execute("INSERT INTO recovery_codes (user_id, code_hash) VALUES (\(bind: id), 'c1')")
            try await database.execute(
                """
                INSERT INTO staff_sessions (id_hash, user_id, csrf_token, stage, created_at, last_seen_at, expires_at, ip)
                VALUES ('s1', \(bind: id), 'csrf', 'complete', 1, 1, 2, '127.0.0.1')
                """
            )
            try await database.execute(
                """
                INSERT INTO api_tokens (name, role, token_hash, prefix, created_by, created_at)
                VALUES ('ci', 'viewer', 't1', 'kilpi_abc', 'user:1', 1)
                """
            )
            try await database.execute(
                """
                INSERT INTO audit_log (id, at, actor, action, target, ip, detail, prev_hash, hash)
                VALUES (1, 1, 'system', 'test', '', '', '', 'p', 'h')
                """
            )
            for table in [
                "staff_users", "one_time_links", "recovery_codes", "staff_sessions", "api_tokens", "audit_log",
            ] {
                #expect(try await database.rowCount(table) == 1, "\(table)")
            }
            // Foreign keys hold on both engines: deleting the user takes its dependent rows along.
            try await database.execute("DELETE FROM staff_users WHERE id = \(bind: id)")
            for table in ["one_time_links", "recovery_codes", "staff_sessions"] {
                #expect(try await database.rowCount(table) == 0, "\(table) rows cascade with their user")
            }
        }
    }

    @Test("migration 5 clusters existing holdings on their key and keeps them, their index and their foreign keys")
    func holdingsBecomeClustered() async throws {
        try await TestDatabases.with(.sqlite, migrate: false) { database in
            try await Migrator(database: database, migrations: Migrations.all.filter { $0.version < 5 }).migrate()
            try await database.execute(
                "INSERT INTO data_categories (id, name_en, name_fi, sensitivity, advice_en, advice_fi, updated_at) VALUES ('email', 'E', 'S', 'low', '', '', 1)"
            )
            try await database.execute(
                "INSERT INTO systems (id, name, name_key, kind, owner, location, encrypted_at_rest, key_location, created_at, updated_at) VALUES (7, 'CRM', 'crm', 'crm', '', '', FALSE, '', 1, 1)"
            )
            for id in 1...3 {
                try await database.execute(
                    "INSERT INTO customers (id, external_id, language, country, region, content_mac, key_id, created_at, updated_at) VALUES (\(bind: id), \(bind: "C-\(id)"), 'fi', 'FI', '', 'm', 'k1', 1, 1)"
                )
            }
            try await database.execute(
                "INSERT INTO holdings (customer_id, system_id, category_id, held_from, held_until) VALUES (3, 7, 'email', 10, NULL), (1, 7, 'email', 20, 30), (2, 7, 'email', 10, NULL)"
            )

            #expect(try await Migrator(database: database).migrate().contains(5))
            #expect(
                try await database.dump("holdings").split(separator: "\n").sorted() == [
                    "category_id=email | customer_id=1 | held_from=20 | held_until=30 | system_id=7",
                    "category_id=email | customer_id=2 | held_from=10 | held_until=NULL | system_id=7",
                    "category_id=email | customer_id=3 | held_from=10 | held_until=NULL | system_id=7",
                ]
            )
            let (ddl, indexes) = try await database.withConnection { sql in
                (
                    try await sql.raw("SELECT sql FROM sqlite_master WHERE name = 'holdings'").first()?.decode(
                        column: "sql",
                        as: String.self
                    ) ?? "",
                    try await sql.raw(
                        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'holdings' ORDER BY name"
                    ).all().map { try $0.decode(column: "name", as: String.self) }
                )
            }
            #expect(ddl.hasSuffix("WITHOUT ROWID"), "\(ddl)")
            #expect(indexes.contains("holdings_exposure"), "\(indexes)")
            // The key still refuses a duplicate, and the foreign keys still check and cascade.
            await #expect(throws: (any Error).self) {
                try await database.execute(
                    "INSERT INTO holdings (customer_id, system_id, category_id, held_from) VALUES (1, 7, 'email', 20)"
                )
            }
            await #expect(throws: (any Error).self) {
                try await database.execute(
                    "INSERT INTO holdings (customer_id, system_id, category_id, held_from) VALUES (4, 7, 'email', 20)"
                )
            }
            try await database.execute("DELETE FROM customers WHERE id = 1")
            #expect(try await database.rowCount("holdings") == 2)
        }
    }

    @Test(
        "migration 7 re-encodes saved exposure snapshots as chunks and drops the old table",
        arguments: TestDatabases.engines
    )
    func exposuresBecomeChunks(engine: SQLEngine) async throws {
        try await TestDatabases.with(engine, migrate: false) { database in
            try await Migrator(database: database, migrations: Migrations.all.filter { $0.version < 7 }).migrate()
            let f = Fixture(
                database: database,
                store: Store(database: database, vault: try Vault.ephemeral()),
                clock: TestClock()
            )
            // The incident as rows of that schema (today's repository writes columns later migrations add).
            _ = try await f.user()
            try await database.execute(
                """
                INSERT INTO incidents (id, title, summary, kinds, severity, status, declared_at, declared_by, lessons, updated_at)
                VALUES (1, 'Shop database copied', '', 'data_breach', 'SEV2', 'detected', 1, 'user:1', '', 1)
                """
            )
            let incidentID: Int64 = 1
            for id in 1...4 {
                try await database.execute(
                    "INSERT INTO customers (id, external_id, language, country, region, content_mac, key_id, created_at, updated_at) VALUES (\(bind: id), \(bind: "C-\(id)"), 'fi', 'FI', '', 'm', 'k1', 1, 1)"
                )
            }
            for version in 1...2 {
                try await database.execute(
                    """
                    INSERT INTO scope_versions (incident_id, version, systems, window_start, window_end, categories, listed_customers, note, summary, diff, created_at, created_by)
                    VALUES (\(bind: incidentID), \(bind: version), '1', 0, 1, '', 0, '', '{}', NULL, 1, 'a')
                    """
                )
            }
            let scopes = try await database.withConnection { sql in
                try await sql.raw("SELECT id FROM scope_versions ORDER BY version").all().map {
                    try $0.decode(column: "id", as: Int64.self)
                }
            }
            // Version 1: customers 1, 3 and 4; version 2: customer 2 only. Scope 999999 was deleted by hand (the old
            // table had no foreign key): its rows are left behind rather than failing the migration.
            try await database.execute(
                """
                INSERT INTO exposures (scope_id, customer_id, category_id) VALUES
                (\(bind: scopes[0]), 3, 'email'), (\(bind: scopes[0]), 1, 'name'), (\(bind: scopes[0]), 1, 'email'), (\(bind: scopes[0]), 4, 'payment_card'),
                (\(bind: scopes[1]), 2, 'phone'), (999999, 1, 'email')
                """
            )

            #expect(try await Migrator(database: database).migrate().contains(7))
            let v1 = try await f.store.scopes.exposedCustomers(scopeID: scopes[0])
            #expect(
                v1 == [
                    ExposedCustomer(customerID: 1, externalID: "C-1", categories: ["email", "name"]),
                    ExposedCustomer(customerID: 3, externalID: "C-3", categories: ["email"]),
                    ExposedCustomer(customerID: 4, externalID: "C-4", categories: ["payment_card"]),
                ]
            )
            #expect(
                try await f.store.scopes.exposedCustomers(scopeID: scopes[1]) == [
                    ExposedCustomer(customerID: 2, externalID: "C-2", categories: ["phone"])
                ]
            )
            #expect(try await database.rowCount("exposure_chunks") == 2)
            await #expect(throws: (any Error).self) { try await database.rowCount("exposures") }
        }
    }

    @Test("a migration whose SQL fails leaves nothing behind", arguments: TestDatabases.engines)
    func failedMigrationRollsBack(engine: SQLEngine) async throws {
        try await TestDatabases.with(engine, migrate: false) { (database: Database) async throws in
            let good = Migration(1, "good") { _ in ["CREATE TABLE first_table (a INTEGER NOT NULL)"] }
            let broken = Migration(2, "broken") { _ in
                [
                    "CREATE TABLE half_table (a INTEGER NOT NULL)",
                    "INSERT INTO first_table (a) VALUES (42)",
                    "CREATE TABLE oops (this is not sql",
                ]
            }
            let migrator = Migrator(database: database, migrations: [good, broken])
            let error = await #expect(throws: DatabaseError.self) { try await migrator.migrate() }
            #expect(error?.message.contains("migration 2 (broken) failed") == true, "\(String(describing: error))")

            #expect(try await migrator.appliedVersions() == [1])
            // The good migration stays; nothing of the broken one survives, neither DDL nor data.
            #expect(try await database.rowCount("first_table") == 0)
            await #expect(throws: (any Error).self) { try await database.rowCount("half_table") }

            // Fixing the migration and running again applies just it.
            let fixed = Migration(2, "fixed") { _ in ["CREATE TABLE half_table (a INTEGER NOT NULL)"] }
            #expect(try await Migrator(database: database, migrations: [good, fixed]).migrate() == [2])
            #expect(try await database.rowCount("half_table") == 0)
        }
    }

    /// PostgreSQL only: several `kilpi serve` processes on one database is its scale-out design. On SQLite,
    /// handles inside one process would share SQLiteNIO's small thread pool, where one handle waiting for the
    /// write lock blocks the thread the lock holder needs: a deadlock of the test, not of separate processes.
    @Test(
        "several processes migrating one database at once apply each migration exactly once",
        .enabled(if: TestDatabases.engines.contains(.postgres))
    )
    func concurrentMigrators() async throws {
        let url = try await TestDatabases.makeURL(.postgres)
        // Each "process" reports its own outcome, so one failure does not cancel the others mid-way.
        let outcomes = await withTaskGroup(of: Result<[Int], any Error>.self) { group in
            for _ in 0..<6 {
                group.addTask {
                    do {
                        return .success(
                            try await Database.withOpened(url, logger: TestDatabases.quietLogger) { database in
                                try await Migrator(database: database).migrate()
                            }
                        )
                    } catch {
                        return .failure(error)
                    }
                }
            }
            var all: [Result<[Int], any Error>] = []
            for await outcome in group { all.append(outcome) }
            return all
        }
        for case .failure(let error) in outcomes { Issue.record(error, "a concurrent migrator failed") }
        let applied = outcomes.compactMap { try? $0.get() }
        #expect(applied.flatMap { $0 }.sorted() == Migrations.all.map(\.version))
        let recorded = try? await Database.withOpened(url, logger: TestDatabases.quietLogger) { database in
            try await Migrator(database: database).appliedVersions()
        }
        #expect(recorded == Migrations.all.map(\.version))
        await TestDatabases.dispose(url)
    }

    @Test("a task cancelled while it holds a SQLite database still closes it")
    func cancelledSQLiteCloses() async throws {
        let url = try await TestDatabases.makeURL(.sqlite)
        guard case .sqlite(let path) = url else { return }
        let (started, signal) = AsyncStream.makeStream(of: Void.self)
        let task = Task {
            try await Database.withOpened(url, logger: TestDatabases.quietLogger) { database in
                try await Migrator(database: database).migrate()
                signal.yield()
                try await Task.sleep(for: .seconds(600))
            }
        }
        for await _ in started { break }
        #expect(FileManager.default.fileExists(atPath: path + "-wal"), "open in WAL mode")
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        // Closing the last connection checkpoints the WAL into the main file and removes it.
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"), "the connection was closed")
        let versions = try await Database.withOpened(url, logger: TestDatabases.quietLogger) { database in
            try await Migrator(database: database).appliedVersions()
        }
        #expect(versions == Migrations.all.map(\.version))
        await TestDatabases.dispose(url)
    }
}
