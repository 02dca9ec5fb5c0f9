import Foundation
import NIOPosix
import SQLiteNIO
// SQLiteNIO's vendored SQLite (not a product of its package, but built with it): its C API, for `scan`.
import VaporCSQLite

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
        _ query: String,
        _ binds: [SQLiteData],
        on connection: SQLiteConnection,
        _ map: @escaping @Sendable (SQLiteRow) -> T
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

// MARK: - Scans through SQLite's C API

/// One row of a ``RawSQLite/scan(_:binds:on:into:_:)``, valid only inside the row callback.
struct RawSQLiteRow {
    fileprivate let statement: OpaquePointer

    func int64(_ column: Int32) -> Int64 { sqlite_nio_sqlite3_column_int64(statement, column) }

    /// The column's text ("" for NULL).
    func text(_ column: Int32) -> String {
        guard let bytes = sqlite_nio_sqlite3_column_text(statement, column) else { return "" }
        let count = Int(sqlite_nio_sqlite3_column_bytes(statement, column))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }
}

struct RawSQLiteError: Error, CustomStringConvertible {
    let description: String
}

extension RawSQLite {
    /// Reads the rows of `query` straight through SQLite's C API, on the connection SQLiteNIO holds (so it sees
    /// the caller's uncommitted writes), folding each into `state` until `each` returns false.
    ///
    /// For scans of a million rows: SQLiteNIO builds an array, strings and a name lookup for every row, which
    /// costs as much again as SQLite's own work. The handle is internal to SQLiteNIO and found by reflection
    /// (`RawSQLiteTests` fails if an upgrade hides it). The caller must hold the connection exclusively (Kilpi's
    /// SQLite gate); the handle is in serialized mode, so the blocking steps run safely on NIO's thread pool.
    static func scan<State: Sendable>(
        _ query: String,
        binds: [Int64],
        on connection: SQLiteConnection,
        into state: State,
        _ each: @escaping @Sendable (inout State, RawSQLiteRow) -> Bool
    ) async throws -> State {
        guard let handle = handle(of: connection) else {
            throw RawSQLiteError(
                description: "this SQLiteNIO version hides its connection handle; Kilpi's large scans need it"
            )
        }
        let box = HandleBox(handle)
        return try await NIOThreadPool.singleton.runIfActive {
            var statement: OpaquePointer?
            guard sqlite_nio_sqlite3_prepare_v2(box.handle, query, -1, &statement, nil) == SQLITE_OK, let statement
            else {
                throw RawSQLiteError(description: Self.message(box.handle))
            }
            defer { sqlite_nio_sqlite3_finalize(statement) }
            for (index, value) in binds.enumerated() {
                guard sqlite_nio_sqlite3_bind_int64(statement, Int32(index + 1), value) == SQLITE_OK else {
                    throw RawSQLiteError(description: Self.message(box.handle))
                }
            }
            var state = state
            while true {
                let status = sqlite_nio_sqlite3_step(statement)
                if status == SQLITE_DONE { return state }
                guard status == SQLITE_ROW else { throw RawSQLiteError(description: Self.message(box.handle)) }
                guard each(&state, RawSQLiteRow(statement: statement)) else { return state }
            }
        }
    }

    /// The `sqlite3*` inside SQLiteNIO's connection, if this SQLiteNIO version still keeps it where we look.
    static func handle(of connection: SQLiteConnection) -> OpaquePointer? {
        guard let wrapper = Mirror(reflecting: connection).descendant("handle"),
            let raw = Mirror(reflecting: wrapper).descendant("raw") as? OpaquePointer?
        else { return nil }
        return raw
    }

    private static func message(_ handle: OpaquePointer) -> String {
        sqlite_nio_sqlite3_errmsg(handle).map { String(cString: $0) } ?? "SQLite error"
    }

    /// The handle crosses to NIO's thread pool; SQLite's serialized mode makes that safe.
    private struct HandleBox: @unchecked Sendable {
        let handle: OpaquePointer
        init(_ handle: OpaquePointer) { self.handle = handle }
    }
}
