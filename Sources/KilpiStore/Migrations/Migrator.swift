import Foundation
import SQLKit

/// Applies pending migrations, each in its own transaction together with its `schema_migrations` row, so a
/// failed migration leaves the schema at the previous version.
public struct Migrator: Sendable {
    let database: Database
    let migrations: [Migration]

    public init(database: Database, migrations: [Migration] = Migrations.all) {
        self.database = database
        self.migrations = migrations
    }

    /// Applies what is missing and returns the versions applied now.
    @discardableResult
    public func migrate() async throws -> [Int] {
        // Under the same lock as the migrations: PostgreSQL's IF NOT EXISTS is not safe against a concurrent
        // CREATE, so processes starting together on a new database failed with a duplicate key (pg_type).
        try await database.transaction { sql in
            if database.engine == .postgres {
                try await sql.raw("SELECT pg_advisory_xact_lock(7423001)").run()
            }
            try await sql.raw(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)
                """
            ).run()
        }
        var applied: [Int] = []
        for migration in migrations {
            let didApply = try await database.transaction { sql in
                if database.engine == .postgres {
                    // Two `serve` processes starting together must not both run the same migration.
                    try await sql.raw("SELECT pg_advisory_xact_lock(7423001)").run()
                }
                let existing = try await sql.raw(
                    "SELECT version FROM schema_migrations WHERE version = \(bind: migration.version)"
                ).first()
                if existing != nil { return false }
                for statement in migration.statements(database.engine) {
                    do {
                        try await sql.raw(SQLQueryString(statement)).run()
                    } catch {
                        throw DatabaseError.migrationFailed(
                            "migration \(migration.version) (\(migration.name)) failed: \(String(reflecting: error).prefix(300))"
                        )
                    }
                }
                do {
                    try await migration.step?(sql, database.engine)
                } catch {
                    throw DatabaseError.migrationFailed(
                        "migration \(migration.version) (\(migration.name)) failed: \(String(reflecting: error).prefix(300))"
                    )
                }
                let now = Int64(Date().timeIntervalSince1970 * 1000)
                try await sql.raw(
                    """
                    INSERT INTO schema_migrations (version, name, applied_at)
                    VALUES (\(bind: migration.version), \(bind: migration.name), \(bind: now))
                    """
                ).run()
                return true
            }
            if didApply { applied.append(migration.version) }
        }
        return applied
    }

    /// Versions recorded as applied, ascending.
    public func appliedVersions() async throws -> [Int] {
        try await database.withConnection { sql in
            try await sql.raw("SELECT version FROM schema_migrations ORDER BY version")
                .all().map { try $0.decode(column: "version", as: Int.self) }
        }
    }
}
