import Foundation
import KilpiCore
import KilpiStore
import KilpiTestSupport
import Testing

@Suite("DatabaseURL")
struct DatabaseURLTests {
    struct Good: Sendable, CustomTestStringConvertible {
        var text: String
        var url: DatabaseURL
        var testDescription: String { text }
    }

    static let good: [Good] = [
        Good(text: "sqlite:///var/lib/kilpi/kilpi.sqlite", url: .sqlite(path: "/var/lib/kilpi/kilpi.sqlite")),
        Good(text: "sqlite://kilpi.sqlite", url: .sqlite(path: "kilpi.sqlite")),
        Good(text: "  sqlite:///srv/my%20data/k.sqlite ", url: .sqlite(path: "/srv/my data/k.sqlite")),
        Good(
            text: "postgres://kilpi:s3cret@db.example.fi:5433/kilpi",
            url: .postgres(host: "db.example.fi", port: 5433, user: "kilpi", password: "s3cret", database: "kilpi")
        ),
        Good(
            text: "postgresql://kilpi@127.0.0.1/kilpi_prod",
            url: .postgres(host: "127.0.0.1", port: 5432, user: "kilpi", password: nil, database: "kilpi_prod")
        ),
        Good(
            text: "postgres://k%40b:p%40ss%2Fw%3Ard@db/kilpi",
            url: .postgres(host: "db", port: 5432, user: "k@b", password: "p@ss/w:rd", database: "kilpi")
        ),
    ]

    @Test("good URLs parse", arguments: good)
    func parses(_ example: Good) throws {
        #expect(try DatabaseURL(parsing: example.text) == example.url)
    }

    static let bad: [String] = [
        "",
        "kilpi.sqlite",
        "sqlite://",
        "sqlite:///var/lib/kilpi/",
        "mysql://kilpi:pw@db/kilpi",
        "http://kilpi:pw@db/kilpi",
        "postgres://kilpi:pw@/kilpi",
        "postgres:///kilpi",
        "postgres://kilpi:pw@db",
        "postgres://kilpi:pw@db/",
        "postgres://kilpi:pw@db:5432/",
        "postgres://kilpi:pw@db/kilpi/extra",
        "postgres://db/kilpi",
        "postgres://kilpi:pw@db:0/kilpi",
        "postgres://kilpi:pw@db:99999/kilpi",
        "postgres://kilpi:pw@db:port/kilpi",
        "postgres://kilpi:pw@db:/kilpi",
        "postgres://kilpi:pw@db:-5/kilpi",
    ]

    @Test("bad URLs are refused with a clear message that never repeats the password", arguments: bad)
    func refuses(_ text: String) {
        let error = #expect(throws: DatabaseError.self) { try DatabaseURL(parsing: text) }
        #expect(error?.message.hasPrefix("invalid database URL: ") == true, "\(String(describing: error))")
        #expect(error?.message.contains(":pw") == false)
    }

    @Test("the printed form hides the password")
    func descriptionHidesPassword() throws {
        let url = try DatabaseURL(parsing: "postgres://kilpi:hunter2-very-secret@db.example.fi:5433/kilpi")
        for text in [url.description, "\(url)", String(describing: url), String(reflecting: url), "\([url])"] {
            #expect(!text.contains("hunter2"), "\(text)")
        }
        #expect(url.description == "postgres://kilpi:***@db.example.fi:5433/kilpi")
        #expect(
            DatabaseURL.postgres(host: "h", port: 1, user: "u", password: nil, database: "d").description
                == "postgres://u@h:1/d"
        )
        #expect(DatabaseURL.sqlite(path: "/tmp/k.sqlite").description == "sqlite:///tmp/k.sqlite")
    }
}

@Suite("Opening a database")
struct DatabaseOpeningTests {
    static var scratch: URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("kilpi-tests", isDirectory: true)
    }

    @Test("a SQLite file in a folder that does not exist: a clear error, nothing created")
    func missingFolder() async throws {
        let folder = Self.scratch.appendingPathComponent("missing-\(UUID().uuidString)")
        let path = folder.appendingPathComponent("kilpi.sqlite").path
        let error = await #expect(throws: DatabaseError.self) {
            try await Database.withOpened(.sqlite(path: path), logger: TestDatabases.quietLogger) { _ in }
        }
        #expect(error?.message.contains("does not exist") == true, "\(String(describing: error))")
        #expect(error?.message.contains(folder.path) == true)
        #expect(!FileManager.default.fileExists(atPath: folder.path))
    }

    @Test("a file that is not a database: a clear error, the file left alone")
    func notADatabase() async throws {
        try FileManager.default.createDirectory(at: Self.scratch, withIntermediateDirectories: true)
        let path = Self.scratch.appendingPathComponent("garbage-\(UUID().uuidString).sqlite").path
        let garbage = Data((0..<8192).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) })
        try garbage.write(to: URL(fileURLWithPath: path))
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }

        let error = await #expect(throws: DatabaseError.self) {
            try await Database.withOpened(.sqlite(path: path), logger: TestDatabases.quietLogger) { _ in }
        }
        #expect(error?.message.contains("not a database") == true, "\(String(describing: error))")
        #expect(error?.message.contains(path) == true)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == garbage)
    }

    @Test("an opened database is healthy and the handle says what it is", arguments: TestDatabases.engines)
    func healthy(engine: SQLEngine) async throws {
        try await TestDatabases.with(engine) { database in
            #expect(database.engine == engine)
            #expect(await database.isHealthy())
        }
    }

    static var postgresURL: DatabaseURL? {
        ProcessInfo.processInfo.environment["KILPI_TEST_POSTGRES_URL"].flatMap { try? DatabaseURL(parsing: $0) }
    }

    @Test(
        "a wrong PostgreSQL password: an authentication error that does not repeat the password",
        .enabled(if: TestDatabases.engines.contains(.postgres))
    )
    func wrongPostgresPassword() async throws {
        guard case .postgres(let host, let port, let user, let realPassword, let name) = try #require(Self.postgresURL)
        else {
            Issue.record("KILPI_TEST_POSTGRES_URL is not a postgres URL")
            return
        }
        let wrong = "wrong-\(UUID().uuidString)"
        let url = DatabaseURL.postgres(host: host, port: port, user: user, password: wrong, database: name)
        let error = await #expect(throws: DatabaseError.self) {
            try await Database.withOpened(url, logger: TestDatabases.quietLogger) { _ in }
        }
        let message = try #require(error?.message)
        #expect(message.lowercased().contains("authentication"), "\(message)")
        #expect(message.contains("\(host):\(port)"))
        #expect(!message.contains(wrong))
        if let realPassword { #expect(!message.contains(realPassword)) }
        #expect(!message.contains("\n"), "one line for an operator's terminal")
    }

    @Test(
        "a PostgreSQL server that is not there: a clear error",
        .enabled(if: TestDatabases.engines.contains(.postgres))
    )
    func postgresNotRunning() async throws {
        let url = DatabaseURL.postgres(
            host: "127.0.0.1",
            port: 1,
            user: "kilpi",
            password: "secret-pw",
            database: "kilpi"
        )
        let error = await #expect(throws: DatabaseError.self) {
            try await Database.withOpened(url, logger: TestDatabases.quietLogger) { _ in }
        }
        let message = try #require(error?.message)
        #expect(message.contains("127.0.0.1:1"), "\(message)")
        #expect(message.contains("refused"), "\(message)")
        #expect(!message.contains("secret-pw"))
    }

    @Test(
        "a PostgreSQL database that does not exist: the server's reason",
        .enabled(if: TestDatabases.engines.contains(.postgres))
    )
    func postgresMissingDatabase() async throws {
        guard case .postgres(let host, let port, let user, let password, _) = try #require(Self.postgresURL) else {
            return
        }
        let url = DatabaseURL.postgres(
            host: host,
            port: port,
            user: user,
            password: password,
            database: "kilpi_no_such_db"
        )
        let error = await #expect(throws: DatabaseError.self) {
            try await Database.withOpened(url, logger: TestDatabases.quietLogger) { _ in }
        }
        #expect(error?.message.contains("kilpi_no_such_db") == true, "\(String(describing: error))")
        #expect(error?.message.contains("does not exist") == true)
    }
}
