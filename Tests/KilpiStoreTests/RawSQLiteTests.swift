import Foundation
import KilpiTestSupport
import SQLKit
import Testing

@testable import KilpiStore

/// Large scans read SQLiteNIO's connection handle through SQLite's C API. The handle is internal to SQLiteNIO:
/// this fails first if an upgrade moves it.
@Suite struct RawSQLiteTests {
    @Test func scansSeeTheTransactionsOwnWritesAndStopWhenAsked() async throws {
        try await TestDatabases.with(.sqlite) { database in
            try await database.bulkTransaction { connection in
                let raw = try #require(connection.sqlite)
                #expect(RawSQLite.handle(of: raw) != nil)
                try await connection.sql.raw("CREATE TABLE scanned (n BIGINT NOT NULL, label TEXT)").run()
                try await connection.sql.raw(
                    "INSERT INTO scanned VALUES (1, 'ä'), (2, NULL), (3, 'three'), (4, 'four')"
                ).run()
                // Uncommitted rows are visible: the scan runs on the transaction's own connection.
                let all = try await RawSQLite.scan(
                    "SELECT n, label FROM scanned WHERE n >= ? ORDER BY n",
                    binds: [1],
                    on: raw,
                    into: [String]()
                ) { seen, row in
                    seen.append("\(row.int64(0)):\(row.text(1))")
                    return true
                }
                #expect(all == ["1:ä", "2:", "3:three", "4:four"])
                let firstTwo = try await RawSQLite.scan(
                    "SELECT n FROM scanned ORDER BY n",
                    binds: [],
                    on: raw,
                    into: [Int64]()
                ) { seen, row in
                    seen.append(row.int64(0))
                    return seen.count < 2
                }
                #expect(firstTwo == [1, 2])
                // A bad statement is an error, not a crash.
                await #expect(throws: RawSQLiteError.self) {
                    _ = try await RawSQLite.scan("SELECT nonsense FROM nowhere", binds: [], on: raw, into: 0) { _, _ in
                        true
                    }
                }
                try await connection.sql.raw("DROP TABLE scanned").run()
            }
        }
    }
}
