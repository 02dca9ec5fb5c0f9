import Foundation
import SQLiteNIO

/// Statements sent to SQLite without SQLKit, for bulk writers (see `BulkConnection`).
enum RawSQLite {
    /// `(?, ?, …), (?, ?, …)…` for a multi-row VALUES list.
    static func placeholders(rows: Int, columns: Int) -> String {
        let row = "(" + Array(repeating: "?", count: columns).joined(separator: ",") + ")"
        return Array(repeating: row, count: rows).joined(separator: ",")
    }

    /// `INSERT OR FAIL`: a failing row stops the statement but keeps its earlier rows, which spares SQLite a
    /// statement journal, a copy of every page a multi-row INSERT first touches (a tenth of an import's database
    /// time). Only for statements inside a transaction that is rolled back as a whole on any error.
    static func orFail(_ insert: String) -> String {
        precondition(insert.hasPrefix("INSERT INTO "))
        return "INSERT OR FAIL INTO " + insert.dropFirst("INSERT INTO ".count)
    }

    /// Runs `query` and maps each row it returns (none for a plain INSERT).
    static func query<T: Sendable>(
        _ query: String, _ binds: [SQLiteData], on connection: SQLiteConnection, _ map: @escaping @Sendable (SQLiteRow) -> T
    ) async throws -> [T] {
        let collected = Collected<T>()
        try await connection.query(query, binds) { collected.append(map($0)) }
        return collected.values
    }

    /// SQLiteNIO hands rows over on its own thread.
    private final class Collected<T: Sendable>: @unchecked Sendable {
        private let lock = NSLock()
        private var items: [T] = []

        func append(_ item: T) { lock.withLock { items.append(item) } }
        var values: [T] { lock.withLock { items } }
    }
}
