import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresKit
import PostgresNIO
import SQLKit
import SQLiteKit
import SQLiteNIO

/// The SQL engine behind a `Database`. Repositories use it only where the two dialects differ in DDL or locking.
public enum SQLEngine: String, Sendable {
    case sqlite, postgres
}

/// A transaction's connection as bulk writers see it: `sql` for everything, and on SQLite the connection itself,
/// so that a batch of thousands of values is bound as `SQLiteData` directly rather than each value going through
/// SQLKit's serializer and `Encodable` encoder (most of an import's database time went there).
struct BulkConnection: Sendable {
    let sql: any SQLDatabase
    let sqlite: SQLiteConnection?
    /// PostgreSQL's connection, for reads of many rows decoded by position rather than through SQLKit, and for
    /// batches written as a few arrays (`PostgresOptionalArray`).
    var postgres: PostgresConnection? = nil
}

/// An SQLite connection setting with an integer value, e.g. `foreign_keys` 0 (see `Database.bulkTransaction`).
struct SQLitePragma: Sendable {
    let name: String
    let value: Int

    init(_ name: String, _ value: Int) {
        precondition(name.allSatisfy { $0.isASCII && ($0.isLetter || $0 == "_") }, "a pragma name")
        self.name = name
        self.value = value
    }

    /// A 64 MB page cache and temporary storage in memory, for transactions that write a million rows at
    /// random places in an index (imports); SQLite's defaults (2 MB, temporary files) spill them to disk.
    static let largeTransaction = [SQLitePragma("cache_size", -64 * 1024), SQLitePragma("temp_store", 2)]
}

/// One handle to Kilpi's database, over SQLite or PostgreSQL, through SQLKit.
///
/// Open it with ``Database/withOpened(_:logger:_:)`` so that the PostgreSQL pool's background task is
/// structured: it runs for exactly as long as the closure.
public final class Database: Sendable {
    public let engine: SQLEngine
    public let url: DatabaseURL
    private let backend: Backend

    private enum Backend: Sendable {
        case sqlite(SQLiteConnection, AsyncGate)
        case postgres(PostgresClient)
    }

    private init(engine: SQLEngine, url: DatabaseURL, backend: Backend) {
        self.engine = engine
        self.url = url
        self.backend = backend
    }

    /// Opens the database, runs `body`, and closes it again, also when `body` throws.
    public static func withOpened<T: Sendable>(
        _ url: DatabaseURL,
        logger: Logger = Logger(label: "kilpi.db"),
        _ body: @Sendable (Database) async throws -> T
    ) async throws -> T {
        switch url {
        case .sqlite(let path):
            let connection = try await openSQLite(path: path, logger: logger)
            let database = Database(engine: .sqlite, url: url, backend: .sqlite(connection, AsyncGate()))
            do {
                let result = try await body(database)
                await close(connection)
                return result
            } catch {
                await close(connection)
                throw error
            }
        case .postgres(let host, let port, let user, let password, let name):
            let configuration = PostgresClient.Configuration(
                host: host,
                port: port,
                username: user,
                password: password,
                database: name,
                tls: .disable
            )
            try await probePostgres(configuration: configuration, url: url, logger: logger)
            let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
            let database = Database(engine: .postgres, url: url, backend: .postgres(client))
            return try await withThrowingTaskGroup(of: T?.self) { group in
                group.addTask {
                    await client.run()
                    return nil
                }
                defer { group.cancelAll() }
                return try await body(database)
            }
        }
    }

    /// Runs `body` with a connection. On SQLite the single connection is shared, so calls are serialised.
    public func withConnection<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        do {
            switch backend {
            case .sqlite(let connection, let gate):
                return try await gate.withGate { try await body(connection.sql(queryLogLevel: nil)) }
            case .postgres(let client):
                return try await client.withConnection { connection in
                    try await body(connection.sql(queryLogLevel: nil))
                }
            }
        } catch {
            throw Self.translate(error)
        }
    }

    /// Runs `body` in one transaction: all of it is committed, or none of it when `body` throws.
    public func transaction<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await bulkTransaction { try await body($0.sql) }
    }

    /// `transaction` for bulk writers, which also get the SQLite connection under `sql`.
    ///
    /// `pragmas` are SQLite connection settings for the length of this transaction only (PostgreSQL ignores
    /// them), such as a bigger page cache for an import, or foreign-key checks off for a writer that has itself
    /// resolved every reference inside the same transaction. Some settings cannot change inside a transaction
    /// (foreign_keys is silently ignored there; temp_store fails once the connection has used temporary
    /// storage), so they are set before BEGIN and restored after COMMIT or ROLLBACK, on every path.
    func bulkTransaction<T: Sendable>(
        pragmas: [SQLitePragma] = [],
        _ body: @Sendable (BulkConnection) async throws -> T
    ) async throws -> T {
        do {
            switch backend {
            case .sqlite(let connection, let gate):
                return try await gate.withGate {
                    let sql = connection.sql(queryLogLevel: nil)
                    var previous: [SQLitePragma] = []
                    do {
                        for pragma in pragmas {
                            previous.append(
                                SQLitePragma(pragma.name, try await Self.pragmaValue(pragma.name, on: connection))
                            )
                            try await Self.uncancellable("PRAGMA \(pragma.name) = \(pragma.value)", on: connection)
                        }
                        // IMMEDIATE takes the write lock up front, so a second process waits instead of failing mid-way.
                        try await sql.raw("BEGIN IMMEDIATE").run()
                        let result: T
                        do {
                            result = try await body(BulkConnection(sql: sql, sqlite: connection))
                            try await sql.raw("COMMIT").run()
                        } catch {
                            // Also when the task is cancelled: a transaction left open would break every later one
                            // on this shared connection (and keep the settings from being restored).
                            try? await Self.uncancellable("ROLLBACK", on: connection)
                            throw error
                        }
                        try await Self.restore(previous, on: connection)
                        return result
                    } catch {
                        try? await Self.restore(previous, on: connection)
                        throw error
                    }
                }
            case .postgres(let client):
                return try await client.withConnection { connection in
                    let sql = connection.sql(queryLogLevel: nil)
                    try await sql.raw("BEGIN").run()
                    do {
                        let result = try await body(BulkConnection(sql: sql, sqlite: nil, postgres: connection))
                        try await sql.raw("COMMIT").run()
                        return result
                    } catch {
                        try? await sql.raw("ROLLBACK").run()
                        throw error
                    }
                }
            }
        } catch {
            throw Self.translate(error)
        }
    }

    /// Runs a statement that must run even when the task is cancelled (SQLiteNIO's async API gives up then; its
    /// future-based one does not).
    private static func uncancellable(_ statement: String, on connection: SQLiteConnection) async throws {
        _ = try await connection.query(statement, []).get()
    }

    private static func pragmaValue(_ name: String, on connection: SQLiteConnection) async throws -> Int {
        let rows = try await connection.query("PRAGMA \(name)", []).get()
        guard let value = rows.first?.column(name)?.integer else { throw DatabaseError.settingNotRestored(name) }
        return value
    }

    /// Puts settings back and makes sure they took: the connection is shared, and a setting silently left
    /// changed (foreign keys off) would weaken everything that runs after.
    private static func restore(_ previous: [SQLitePragma], on connection: SQLiteConnection) async throws {
        for pragma in previous.reversed() {
            try await uncancellable("PRAGMA \(pragma.name) = \(pragma.value)", on: connection)
            guard try await pragmaValue(pragma.name, on: connection) == pragma.value else {
                throw DatabaseError.settingNotRestored(pragma.name)
            }
        }
    }

    /// True when the database answers a trivial query; used by `/healthz`.
    public func isHealthy() async -> Bool {
        (try? await withConnection { try await $0.raw("SELECT 1 AS ok").first() }) != nil
    }

    // MARK: - Opening

    private static func openSQLite(path: String, logger: Logger) async throws -> SQLiteConnection {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DatabaseError.cannotOpen("cannot open SQLite database \(path): folder \(directory) does not exist")
        }
        if FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.isWritableFile(atPath: path) else {
                throw DatabaseError.cannotOpen("cannot open SQLite database \(path): the file is not writable")
            }
        } else if !FileManager.default.isWritableFile(atPath: directory) {
            throw DatabaseError.cannotOpen("cannot create SQLite database \(path): folder \(directory) is not writable")
        }
        let connection: SQLiteConnection
        do {
            connection = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
        } catch {
            throw DatabaseError.cannotOpen("cannot open SQLite database \(path): \(Self.sqliteMessage(error))")
        }
        do {
            let sql = connection.sql(queryLogLevel: nil)
            try await sql.raw("PRAGMA journal_mode = WAL").run()
            try await sql.raw("PRAGMA foreign_keys = ON").run()
            try await sql.raw("PRAGMA busy_timeout = 5000").run()
            try await sql.raw("PRAGMA synchronous = NORMAL").run()
            // Forces SQLite to read the header: a file that is not a database fails here, not on first use.
            _ = try await sql.raw("SELECT count(*) AS n FROM sqlite_master").first()
        } catch {
            await close(connection)
            throw DatabaseError.cannotOpen("cannot use SQLite database \(path): \(Self.sqliteMessage(error))")
        }
        return connection
    }

    /// Closes even when the current task is cancelled: SQLiteNIO's async `close()` does nothing once the task is
    /// cancelled, which leaked the handle (and tripped its "not closed" assertion in debug builds).
    private static func close(_ connection: SQLiteConnection) async {
        try? await connection.close().get()
    }

    /// Connects once before building the pool: the pool retries bad credentials silently forever, while an
    /// operator needs one clear line at start.
    private static func probePostgres(
        configuration: PostgresClient.Configuration,
        url: DatabaseURL,
        logger: Logger
    ) async throws {
        guard case .postgres(let host, let port, let user, let password, let name) = url else { return }
        var connectionConfig = PostgresConnection.Configuration(
            host: host,
            port: port,
            username: user,
            password: password,
            database: name,
            tls: .disable
        )
        connectionConfig.options.connectTimeout = .seconds(10)
        do {
            let connection = try await PostgresConnection.connect(
                configuration: connectionConfig,
                id: 0,
                logger: logger
            )
            try await connection.close()
        } catch {
            throw DatabaseError.cannotConnect(
                "cannot connect to PostgreSQL at \(host):\(port) as \(user): \(postgresMessage(error))"
            )
        }
    }

    // MARK: - Errors

    static func translate(_ error: any Error) -> any Error {
        if let error = error as? PSQLError, error.code == .server, let state = error.serverInfo?[.sqlState] {
            if state == "23505" { return DatabaseError.conflict("a record with the same unique value already exists") }
        }
        if let error = error as? SQLiteError, error.message.contains("UNIQUE constraint failed") {
            return DatabaseError.conflict("a record with the same unique value already exists")
        }
        return error
    }

    static func postgresMessage(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] { return message }
            if error.code == .connectionError || error.code == .serverClosedConnection {
                return "connection refused or closed (is the server running and the address right?)"
            }
            if let underlying = error.underlying { return String(describing: underlying) }
            return "\(error.code)"
        }
        return String(describing: error)
    }

    static func sqliteMessage(_ error: any Error) -> String {
        if let error = error as? SQLiteError { return error.message }
        return String(describing: error)
    }
}
