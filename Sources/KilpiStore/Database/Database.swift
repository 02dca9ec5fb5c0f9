import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresKit
import PostgresNIO
import SQLKit
import SQLiteKit
import SQLiteNIO
import ServiceLifecycle
import Synchronization

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

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
/// Open it with ``Database/withOpened(_:logger:_:)`` (commands, tests): the background work runs for exactly as
/// long as the closure. A server opens it with ``Database/open(_:logger:)`` and runs the returned
/// ``DatabaseService`` in its `ServiceGroup`, which keeps PostgreSQL's pool running and closes the database
/// last, after everything that uses it has stopped.
///
/// On SQLite, writes and transactions share one connection (SQLite has one writer), and reads through
/// ``Database/read(_:)`` have a small pool of read-only connections of their own: in WAL mode readers see the
/// last commit and never wait for a writer, so a long import does not hold up `/healthz` or the console.
public final class Database: Sendable {
    public let engine: SQLEngine
    public let url: DatabaseURL
    private let backend: Backend

    private enum Backend: Sendable {
        case sqlite(SQLiteConnection, AsyncGate, SQLiteReaders)
        case postgres(PostgresClient)
    }

    /// Read-only SQLite connections for ``Database/read(_:)``, on a thread pool of their own so that a writer's
    /// long statement does not take the thread a read needs.
    static let sqliteReaderCount = 3

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
        let (database, service) = try await open(url, logger: logger)
        // Until cancelled: PostgreSQL's pool runs, SQLite's connections wait; then both close.
        let running = Task<Void, Never> { try? await service.run() }
        let result: T
        do {
            result = try await body(database)
        } catch {
            await database.stop(running, logger: logger)
            throw error
        }
        await database.stop(running, logger: logger)
        return result
    }

    /// How long closing waits for PostgreSQL's pool to end.
    static let poolCloseLimit: Duration = .seconds(20)

    /// Cancels the background work and waits for it. SQLite is waited for to the end (its close commits or rolls
    /// back a transaction still running). PostgreSQL's pool is waited for at most `poolCloseLimit`: PostgresNIO
    /// 1.33's pool can, rarely, never finish a forced shutdown after every connection has closed (seen as test runs
    /// that hung for good with no connection, no timer and no busy thread left). Its connections are closed or
    /// closing by then, so giving up on it loses nothing; a command or test must not hang on it.
    private func stop(_ running: Task<Void, Never>, logger: Logger) async {
        running.cancel()
        guard engine == .postgres else { return await running.value }
        if await !Self.wait(for: running, atMost: Self.poolCloseLimit) {
            logger.warning("the PostgreSQL pool did not close within \(Self.poolCloseLimit); it is left behind")
        }
    }

    /// Waits for `task` to end, or for `limit` to pass; true when the task ended. The task is not cancelled.
    static func wait(for task: Task<Void, Never>, atMost limit: Duration) async -> Bool {
        let first = FirstOfTwo()
        return await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let timeout = Task {
                // A cancelled sleep means the task ended first: only a full sleep may claim.
                do { try await Task.sleep(for: limit) } catch { return }
                if first.claim() { continuation.resume(returning: false) }
            }
            Task {
                await task.value
                timeout.cancel()
                if first.claim() { continuation.resume(returning: true) }
            }
        }
    }

    /// Whichever of two racing tasks claims it first resumes the continuation; the other does nothing.
    private final class FirstOfTwo: Sendable {
        private let claimed = Mutex(false)

        func claim() -> Bool {
            claimed.withLock { claimed in
                defer { claimed = true }
                return !claimed
            }
        }
    }

    /// Opens the database for a long-running process. It can be used only while `service` runs (PostgreSQL's
    /// pool does its work there), and `service` closes it when it ends (graceful shutdown or cancellation).
    /// Connecting is checked here, so a wrong address or password is one clear error before anything starts.
    public static func open(
        _ url: DatabaseURL,
        logger: Logger = Logger(label: "kilpi.db")
    ) async throws -> (database: Database, service: DatabaseService) {
        let database: Database
        switch url {
        case .sqlite(let path):
            let writer = try await openSQLite(path: path, logger: logger)
            let readers: SQLiteReaders
            do {
                readers = try await SQLiteReaders.open(path: path, count: sqliteReaderCount, logger: logger)
            } catch {
                await close(writer)
                throw error
            }
            database = Database(engine: .sqlite, url: url, backend: .sqlite(writer, AsyncGate(), readers))
        case .postgres(let host, let port, let user, let password, let name, _):
            let tls = try postgresTLS(url.effectiveTLS ?? .disable)
            let configuration = PostgresClient.Configuration(
                host: host,
                port: port,
                username: user,
                password: password,
                database: name,
                tls: tls.client
            )
            try await probePostgres(url: url, tls: tls.connection, logger: logger)
            let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
            database = Database(engine: .postgres, url: url, backend: .postgres(client))
        }
        return (database, DatabaseService(database: database))
    }

    /// Runs the background work until graceful shutdown or cancellation, then closes the connections.
    func runUntilShutdown() async {
        switch backend {
        case .sqlite(let writer, let gate, let readers):
            try? await gracefulShutdown()
            await readers.close()
            // Waits for a transaction still running on the writer, so it is committed or rolled back first.
            _ = try? await gate.withGate { await Self.close(writer) }
        case .postgres(let client):
            // Returns on graceful shutdown (after the pool closed its connections) or cancellation.
            await client.run()
        }
    }

    /// Runs `body` with the writer's connection (SQLite) or a pooled one (PostgreSQL), for statements that
    /// write or that must see the latest write. On SQLite calls are serialised with every other write.
    public func withConnection<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        do {
            switch backend {
            case .sqlite(let connection, let gate, _):
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

    /// Runs `body`, which only reads, on a read-only connection: on SQLite one of a small pool beside the
    /// writer, so reads neither wait behind a long write transaction nor hold up writes; on PostgreSQL the
    /// pool as ever. Each statement sees the last committed state (not a write transaction still open);
    /// a statement that writes fails (`PRAGMA query_only`).
    public func read<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        do {
            switch backend {
            case .sqlite(_, _, let readers):
                return try await readers.with { try await body($0.sql(queryLogLevel: nil)) }
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
            case .sqlite(let connection, let gate, _):
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
        (try? await read { try await $0.raw("SELECT 1 AS ok").first() }) != nil
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
        } else {
            try createPrivateFile(path)
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
            // Deleted and overwritten content (erased personal data, old ciphertexts) is zeroed, not left in free pages.
            try await sql.raw("PRAGMA secure_delete = ON").run()
            // Forces SQLite to read the header: a file that is not a database fails here, not on first use.
            _ = try await sql.raw("SELECT count(*) AS n FROM sqlite_master").first()
        } catch {
            await close(connection)
            throw DatabaseError.cannotOpen("cannot use SQLite database \(path): \(Self.sqliteMessage(error))")
        }
        return connection
    }

    /// Creates the database file readable and writable by its owner only (0600) before SQLite opens it, so
    /// that customer data is never readable by other local users, not even for a moment. SQLite gives the
    /// `-wal` and `-shm` files it creates later the main file's permissions.
    private static func createPrivateFile(_ path: String) throws {
        #if canImport(Glibc)
        let descriptor = Glibc.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        #else
        let descriptor = Darwin.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        #endif
        if descriptor < 0 {
            // Lost a race with another process creating it: that one's permissions stand.
            if errno == EEXIST { return }
            let reason = String(cString: strerror(errno))
            throw DatabaseError.cannotOpen("cannot create SQLite database \(path): \(reason)")
        }
        _ = fchmod(descriptor, 0o600)
        #if canImport(Glibc)
        Glibc.close(descriptor)
        #else
        Darwin.close(descriptor)
        #endif
    }

    /// Closes even when the current task is cancelled: SQLiteNIO's async `close()` does nothing once the task is
    /// cancelled, which leaked the handle (and tripped its "not closed" assertion in debug builds).
    fileprivate static func close(_ connection: SQLiteConnection) async {
        try? await connection.close().get()
    }

    /// PostgresNIO's TLS settings for a mode, for the pool and for the first probing connection.
    private static func postgresTLS(
        _ tls: PostgresTLS
    ) throws -> (client: PostgresClient.Configuration.TLS, connection: PostgresConnection.Configuration.TLS) {
        var configuration = TLSConfiguration.makeClientConfiguration()
        switch tls {
        case .disable:
            return (.disable, .disable)
        case .require:
            configuration.certificateVerification = .none
        case .verifyFull(let root):
            // Chain and name: NIOSSL checks the name against the host (an IP address against the
            // certificate's IP addresses).
            configuration.certificateVerification = .fullVerification
            if let root {
                let certificates: [NIOSSLCertificate]
                do {
                    certificates = try NIOSSLCertificate.fromPEMFile(root)
                } catch {
                    let reason =
                        FileManager.default.isReadableFile(atPath: root)
                        ? "not a PEM certificate file" : "no such file or not readable"
                    throw DatabaseError.cannotConnect("cannot use sslrootcert \(root): \(reason)")
                }
                guard !certificates.isEmpty else {
                    throw DatabaseError.cannotConnect("cannot use sslrootcert \(root): no certificate in the file")
                }
                configuration.trustRoots = .certificates(certificates)
            }
        }
        // Encryption and checks are required: `.require` never falls back to plain TCP.
        return (.require(configuration), .require(try NIOSSLContext(configuration: configuration)))
    }

    /// Connects once before building the pool: the pool retries bad credentials silently forever, while an
    /// operator needs one clear line at start.
    private static func probePostgres(
        url: DatabaseURL,
        tls: PostgresConnection.Configuration.TLS,
        logger: Logger
    ) async throws {
        guard case .postgres(let host, let port, let user, let password, let name, _) = url else { return }
        var connectionConfig = PostgresConnection.Configuration(
            host: host,
            port: port,
            username: user,
            password: password,
            database: name,
            tls: tls
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
            if error.code == .sslUnsupported {
                return "the server does not offer TLS (turn ssl on there, or sslmode=disable on a loopback address)"
            }
            if let underlying = error.underlying, underlying is NIOSSLError || underlying is NIOSSLExtraError {
                let detail = String(describing: underlying).split(whereSeparator: \.isNewline).joined(separator: " ")
                return "TLS handshake failed, the server's certificate was not accepted (check sslrootcert and "
                    + "that the certificate names the host): \(detail.prefix(200))"
            }
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

/// What keeps a ``Database`` opened with ``Database/open(_:logger:)`` working: PostgreSQL's connection pool
/// (`PostgresClient.run()`) runs here, and on graceful shutdown or cancellation the database is closed. In a
/// `ServiceGroup` it goes before the services that use the database, so that it stops after them.
public struct DatabaseService: Service {
    let database: Database

    public func run() async throws {
        await database.runUntilShutdown()
    }
}

/// SQLite's read-only connections, handed out one caller at a time, first come first served.
final class SQLiteReaders: Sendable {
    private let connections: [SQLiteConnection]
    private let threadPool: NIOThreadPool
    private let idle: IdleConnections

    private init(connections: [SQLiteConnection], threadPool: NIOThreadPool) {
        self.connections = connections
        self.threadPool = threadPool
        self.idle = IdleConnections(connections)
    }

    /// Opens `count` connections to the database file the writer has already opened (and put in WAL mode).
    static func open(path: String, count: Int, logger: Logger) async throws -> SQLiteReaders {
        let threadPool = NIOThreadPool(numberOfThreads: count)
        threadPool.start()
        var opened: [SQLiteConnection] = []
        do {
            for _ in 0..<count {
                let connection = try await SQLiteConnection.open(
                    storage: .file(path: path),
                    threadPool: threadPool,
                    logger: logger,
                    on: MultiThreadedEventLoopGroup.singleton.any()
                )
                opened.append(connection)
                let sql = connection.sql(queryLogLevel: nil)
                try await sql.raw("PRAGMA query_only = ON").run()
                try await sql.raw("PRAGMA busy_timeout = 5000").run()
            }
        } catch {
            for connection in opened { await Database.close(connection) }
            try? await threadPool.shutdownGracefully()
            throw DatabaseError.cannotOpen(
                "cannot open SQLite database \(path) for reading: \(Database.sqliteMessage(error))"
            )
        }
        return SQLiteReaders(connections: opened, threadPool: threadPool)
    }

    func with<T: Sendable>(_ body: @Sendable (SQLiteConnection) async throws -> T) async throws -> T {
        let connection = await idle.take()
        do {
            let result = try await body(connection)
            await idle.give(back: connection)
            return result
        } catch {
            await idle.give(back: connection)
            throw error
        }
    }

    /// Waits for every connection to be idle, then closes them and their threads.
    func close() async {
        for _ in connections { _ = await idle.take() }
        for connection in connections { await Database.close(connection) }
        try? await threadPool.shutdownGracefully()
    }

    private actor IdleConnections {
        private var idle: [SQLiteConnection]
        private var waiters: [CheckedContinuation<SQLiteConnection, Never>] = []

        init(_ connections: [SQLiteConnection]) { idle = connections }

        func take() async -> SQLiteConnection {
            if let connection = idle.popLast() { return connection }
            return await withCheckedContinuation { waiters.append($0) }
        }

        func give(back connection: SQLiteConnection) {
            if waiters.isEmpty {
                idle.append(connection)
            } else {
                waiters.removeFirst().resume(returning: connection)
            }
        }
    }
}
