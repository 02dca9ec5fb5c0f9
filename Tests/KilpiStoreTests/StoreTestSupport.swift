import Foundation
import KilpiCore
import KilpiStore
import KilpiTestSupport
import SQLKit
import Testing

/// A fresh migrated database of one engine, its repositories, and a clock the test moves by hand.
struct Fixture: Sendable {
    let database: Database
    let store: Store
    let clock: TestClock

    var now: Date { clock.now }
}

/// Runs `body` against a fresh migrated database of `engine`, deleted afterwards.
func withFixture<T: Sendable>(_ engine: SQLEngine, _ body: @Sendable (Fixture) async throws -> T) async throws -> T {
    try await TestDatabases.with(engine) { database in
        try await body(
            Fixture(
                database: database,
                store: Store(database: database, vault: try Vault.ephemeral()),
                clock: TestClock()
            )
        )
    }
}

extension Fixture {
    /// Creates an active user (no password).
    func user(
        _ email: String = "anna@example.fi",
        role: Role = .responder,
        status: StaffUser.Status = .active
    ) async throws -> StaffUser {
        try await store.users.create(email: email, displayName: "Test Person", role: role, status: status, now: now)
    }
}

extension Database {
    /// Runs one statement outside the repositories, as an attacker with database access would.
    func execute(_ query: SQLQueryString) async throws {
        try await withConnection { sql in try await sql.raw(query).run() }
    }

    func rowCount(_ table: String) async throws -> Int {
        try await withConnection { sql in
            try await sql.raw("SELECT count(*) AS n FROM \(unsafeRaw: table)").first()
                .map { try $0.decode(column: "n", as: Int.self) } ?? -1
        }
    }

    /// Every value of every row of `table` as text, one row a line: what someone holding a copy of the
    /// database file (or a dump) would see.
    func dump(_ table: String) async throws -> String {
        try await withConnection { sql in
            let rows = try await sql.raw("SELECT * FROM \(unsafeRaw: table)").all()
            return rows.map { row in
                row.allColumns.sorted().map { column in "\(column)=\(Self.text(row, column))" }.joined(separator: " | ")
            }.joined(separator: "\n")
        }
    }

    private static func text(_ row: any SQLRow, _ column: String) -> String {
        do { return try row.decode(column: column, as: String?.self) ?? "NULL" } catch {}
        do { return try row.decode(column: column, as: Int64?.self).map { String($0) } ?? "NULL" } catch {}
        do { return try row.decode(column: column, as: Bool?.self).map { String($0) } ?? "NULL" } catch {}
        return "<undecodable>"
    }
}

/// A cheap scrypt cost, so account tests stay fast; the stored format is the same as in production.
let fastHasher = PasswordHasher(logN: 10, r: 8, p: 1)
