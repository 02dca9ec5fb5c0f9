import Foundation
import KilpiCore
import KilpiStore
import KilpiTestSupport
import SQLKit
import Testing

/// Holds a write transaction open until the test lets it go.
private final class Latch: Sendable {
    private let entered = AsyncStream.makeStream(of: Void.self)
    private let released = AsyncStream.makeStream(of: Void.self)

    func enter() { entered.continuation.yield() }
    func waitEntered() async { for await _ in entered.stream { return } }
    func release() { released.continuation.yield() }
    func waitReleased() async { for await _ in released.stream { return } }
}

@Suite("SQLite readers beside the writer")
struct SQLiteReaderTests {
    private static func count(_ sql: any SQLDatabase) async throws -> Int {
        try await sql.raw("SELECT count(*) AS n FROM probe").first().map { try $0.decode(column: "n", as: Int.self) }
            ?? -1
    }

    // With one shared connection the read and the health check wait for the transaction's gate, which only the
    // test's release opens: without the read connections this test can only end by its time limit.
    @Test(
        "reads and the health check answer while a long write transaction is open, and see only what is committed",
        .timeLimit(.minutes(5))
    )
    func readsDuringWrite() async throws {
        try await TestDatabases.with(.sqlite) { database in
            try await database.withConnection { sql in
                try await sql.raw("CREATE TABLE probe (n INTEGER NOT NULL)").run()
                try await sql.raw("INSERT INTO probe (n) VALUES (1)").run()
            }
            let latch = Latch()
            async let write: Void = database.transaction { sql in
                try await sql.raw("INSERT INTO probe (n) VALUES (2)").run()
                latch.enter()
                await latch.waitReleased()
            }
            await latch.waitEntered()
            // The transaction is open (and holds the writer) until released below.
            #expect(await database.isHealthy())
            #expect(try await database.read { try await Self.count($0) } == 1)
            // Several readers at once, more than the pool has connections: they take turns, none waits for the writer.
            let counts = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<8 { group.addTask { try await database.read { try await Self.count($0) } } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(counts == Array(repeating: 1, count: 8))
            latch.release()
            try await write
            #expect(try await database.read { try await Self.count($0) } == 2)
        }
    }

    @Test("a read connection refuses to write")
    func readOnly() async throws {
        try await TestDatabases.with(.sqlite) { database in
            try await database.withConnection { try await $0.raw("CREATE TABLE probe (n INTEGER NOT NULL)").run() }
            await #expect(throws: (any Error).self) {
                try await database.read { try await $0.raw("INSERT INTO probe (n) VALUES (1)").run() }
            }
            #expect(try await database.withConnection { try await Self.count($0) } == 0)
        }
    }

    @Test("reads see the rows of the tables, on both engines", arguments: TestDatabases.engines)
    func readsOnBothEngines(engine: SQLEngine) async throws {
        try await TestDatabases.with(engine) { database in
            try await database.withConnection { sql in
                try await sql.raw("CREATE TABLE probe (n INTEGER NOT NULL)").run()
                try await sql.raw("INSERT INTO probe (n) VALUES (1), (2), (3)").run()
            }
            #expect(try await database.read { try await Self.count($0) } == 3)
            #expect(await database.isHealthy())
        }
    }
}

@Suite("The SQLite file's permissions")
struct SQLiteFileModeTests {
    static func mode(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test("a new SQLite database and its -wal and -shm files are readable by their owner only (0600)")
    func createdPrivate() async throws {
        let url = try await TestDatabases.makeURL(.sqlite)
        defer { Task { await TestDatabases.dispose(url) } }
        guard case .sqlite(let path) = url else { return }
        // Even with a permissive umask, as a service manager may leave it.
        let previous = umask(0o022)
        defer { umask(previous) }
        try await Database.withOpened(url, logger: TestDatabases.quietLogger) { database in
            try await Migrator(database: database).migrate()
            for suffix in ["", "-wal", "-shm"] {
                #expect(FileManager.default.fileExists(atPath: path + suffix), "\(suffix)")
                #expect(try Self.mode(path + suffix) == 0o600, "\(path + suffix)")
            }
        }
        #expect(try Self.mode(path) == 0o600)
    }
}

@Suite("PostgreSQL over TLS")
struct PostgresTLSTests {
    static var environment: [String: String] { ProcessInfo.processInfo.environment }
    /// scripts/test.sh runs the throwaway cluster with TLS and exports its CA; a SQLite-only run has neither.
    static var available: Bool {
        environment["KILPI_TEST_POSTGRES_URL"] != nil && environment["KILPI_TEST_POSTGRES_CA"] != nil
            && TestDatabases.engines.contains(.postgres)
    }

    static func url(_ tls: PostgresTLS, host: String? = nil) throws -> DatabaseURL {
        let text = try #require(environment["KILPI_TEST_POSTGRES_URL"])
        guard
            case .postgres(let testHost, let port, let user, let password, let name, _) = try DatabaseURL(
                parsing: text
            )
        else { throw NotPostgres() }
        return .postgres(host: host ?? testHost, port: port, user: user, password: password, database: name, tls: tls)
    }

    struct NotPostgres: Error {}

    static func encrypted(_ database: Database) async throws -> Bool {
        try await database.read { sql in
            try await sql.raw("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").first()
                .map { try $0.decode(column: "ssl", as: Bool.self) } ?? false
        }
    }

    @Test(
        "verify-full against the cluster's CA connects, by address and by name, and the connection is encrypted",
        .enabled(if: available)
    )
    func verifiedConnection() async throws {
        let ca = try #require(Self.environment["KILPI_TEST_POSTGRES_CA"])
        for host in ["127.0.0.1", "localhost"] {
            let url = try Self.url(.verifyFull(rootCertificate: ca), host: host)
            let encrypted = try await Database.withOpened(url, logger: TestDatabases.quietLogger) { database in
                try await Self.encrypted(database)
            }
            #expect(encrypted, "\(host)")
        }
        let url = try DatabaseURL(
            parsing: try #require(Self.environment["KILPI_TEST_POSTGRES_URL"])
                + "?sslmode=verify-full&sslrootcert=\(ca)"
        )
        #expect(try await Database.withOpened(url, logger: TestDatabases.quietLogger) { try await Self.encrypted($0) })
    }

    @Test("require encrypts without checking; the loopback default stays plain", .enabled(if: available))
    func requireAndDefault() async throws {
        let required = try Self.url(.require)
        #expect(
            try await Database.withOpened(required, logger: TestDatabases.quietLogger) { try await Self.encrypted($0) }
        )
        let plain = try DatabaseURL(parsing: try #require(Self.environment["KILPI_TEST_POSTGRES_URL"]))
        #expect(plain.effectiveTLS == .disable)
        #expect(
            try await Database.withOpened(plain, logger: TestDatabases.quietLogger) { try await Self.encrypted($0) }
                == false
        )
    }

    @Test("a certificate from another CA is refused with a clear line", .enabled(if: available))
    func wrongCA() async throws {
        let other = try #require(Self.environment["KILPI_TEST_POSTGRES_OTHER_CA"])
        let url = try Self.url(.verifyFull(rootCertificate: other))
        let error = await #expect(throws: DatabaseError.self) {
            try await Database.withOpened(url, logger: TestDatabases.quietLogger) { _ in }
        }
        let message = try #require(error?.message)
        #expect(message.hasPrefix("cannot connect to PostgreSQL at 127.0.0.1:"), "\(message)")
        #expect(message.contains("certificate was not accepted"), "\(message)")
        #expect(!message.contains("\n"))
        if case .postgres(_, _, _, let password?, _, _) = url { #expect(!message.contains(password)) }
    }

    @Test("a certificate for another name is refused", .enabled(if: available))
    func wrongName() async throws {
        let ca = try #require(Self.environment["KILPI_TEST_POSTGRES_CA"])
        // The certificate names localhost, 127.0.0.1 and ::1; 127.0.0.2 reaches the same server (Linux routes
        // all of 127/8 to loopback) under an address the certificate does not name.
        let url = try Self.url(.verifyFull(rootCertificate: ca), host: "127.0.0.2")
        let error = await #expect(throws: DatabaseError.self) {
            try await Database.withOpened(url, logger: TestDatabases.quietLogger) { _ in }
        }
        #expect(error?.message.contains("certificate was not accepted") == true, "\(String(describing: error))")
    }

    @Test("an sslrootcert file that is missing: one clear line naming it", .enabled(if: available))
    func missingCAFile() async throws {
        let url = try Self.url(.verifyFull(rootCertificate: "/nonexistent/ca.pem"))
        let error = await #expect(throws: DatabaseError.self) {
            try await Database.withOpened(url, logger: TestDatabases.quietLogger) { _ in }
        }
        #expect(error?.message == "cannot use sslrootcert /nonexistent/ca.pem: no such file or not readable")
    }
}
