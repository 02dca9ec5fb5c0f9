import Foundation
import KilpiCore
import KilpiStore
import Logging
import PostgresNIO

/// Gives each test a fresh, migrated database on each engine, so tests never see each other's rows.
///
/// PostgreSQL comes from `KILPI_TEST_POSTGRES_URL` (set by `scripts/test.sh`, which starts a throwaway
/// cluster). Without it the PostgreSQL half fails loudly, unless `KILPI_TEST_NO_POSTGRES=1` says the run
/// is deliberately SQLite-only.
public enum TestDatabases {
    /// The engines this run covers.
    public static var engines: [SQLEngine] {
        ProcessInfo.processInfo.environment["KILPI_TEST_NO_POSTGRES"] == "1" ? [.sqlite] : [.sqlite, .postgres]
    }

    public struct MissingPostgres: Error, CustomStringConvertible {
        public var description: String {
            "KILPI_TEST_POSTGRES_URL is not set: run the suite with scripts/test.sh (or set KILPI_TEST_NO_POSTGRES=1 for a SQLite-only run)"
        }
    }

    /// Runs `body` with a new migrated database of `engine`, deleted afterwards.
    public static func with<T: Sendable>(
        _ engine: SQLEngine,
        migrate: Bool = true,
        _ body: @Sendable (Database) async throws -> T
    ) async throws -> T {
        let url = try await makeURL(engine)
        defer { if case .sqlite(let path) = url { removeSQLite(path) } }
        do {
            let result = try await Database.withOpened(url, logger: quietLogger) { database in
                if migrate { try await Migrator(database: database).migrate() }
                return try await body(database)
            }
            try await dropIfPostgres(url)
            return result
        } catch {
            try? await dropIfPostgres(url)
            throw ServerError.revealing(error)
        }
    }

    /// PostgresNIO hides the server's message from `description` (so that production logs cannot leak it);
    /// a failing test should say what the server said.
    public struct ServerError: Error, CustomStringConvertible {
        public let description: String

        static func revealing(_ error: any Error) -> any Error {
            guard error is PSQLError else { return error }
            return ServerError(description: String(reflecting: error))
        }
    }

    /// A URL for a fresh empty database (created but not migrated). Callers that open it themselves use
    /// this and `dispose(_:)`.
    public static func makeURL(_ engine: SQLEngine) async throws -> DatabaseURL {
        switch engine {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
                "kilpi-tests",
                isDirectory: true
            )
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            return .sqlite(path: directory.appendingPathComponent("\(UUID().uuidString).sqlite").path)
        case .postgres:
            guard let text = ProcessInfo.processInfo.environment["KILPI_TEST_POSTGRES_URL"] else {
                throw MissingPostgres()
            }
            guard
                case .postgres(let host, let port, let user, let password, let admin, _) = try DatabaseURL(
                    parsing: text
                )
            else { throw MissingPostgres() }
            let name = "kilpi_t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
            try await adminQuery(
                host: host,
                port: port,
                user: user,
                password: password,
                database: admin,
                "CREATE DATABASE \(name)"
            )
            return .postgres(host: host, port: port, user: user, password: password, database: String(name))
        }
    }

    public static func dispose(_ url: DatabaseURL) async {
        switch url {
        case .sqlite(let path): removeSQLite(path)
        case .postgres: try? await dropIfPostgres(url)
        }
    }

    public static let quietLogger: Logger = {
        var logger = Logger(label: "kilpi.tests")
        logger.logLevel = .critical
        return logger
    }()

    private static func removeSQLite(_ path: String) {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    private static func dropIfPostgres(_ url: DatabaseURL) async throws {
        guard case .postgres(let host, let port, let user, let password, let name, _) = url,
            let text = ProcessInfo.processInfo.environment["KILPI_TEST_POSTGRES_URL"],
            case .postgres(_, _, _, _, let admin, _) = try DatabaseURL(parsing: text)
        else { return }
        try await adminQuery(
            host: host,
            port: port,
            user: user,
            password: password,
            database: admin,
            "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"
        )
    }

    private static func adminQuery(
        host: String,
        port: Int,
        user: String,
        password: String?,
        database: String,
        _ sql: String
    ) async throws {
        let configuration = PostgresConnection.Configuration(
            host: host,
            port: port,
            username: user,
            password: password,
            database: database,
            tls: .disable
        )
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: quietLogger)
        do {
            try await connection.query(PostgresQuery(unsafeSQL: sql), logger: quietLogger)
            try await connection.close()
        } catch {
            try? await connection.close()
            throw error
        }
    }
}

/// A clock the test moves by hand.
public final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    public init(_ start: Date = Date(timeIntervalSince1970: 1_800_000_000)) { current = start }

    public var now: Date { lock.withLock { current } }
    public func advance(_ seconds: TimeInterval) { lock.withLock { current = current.addingTimeInterval(seconds) } }
    public var source: Now { { [self] in now } }
}
