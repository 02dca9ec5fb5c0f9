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

@Suite("DatabaseURL: PostgreSQL TLS and the password file")
struct DatabaseURLTLSTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var text: String
        var tls: PostgresTLS?
        var effective: PostgresTLS
        var testDescription: String { text }
    }

    static let cases: [Case] = [
        Case(text: "postgres://k:pw@db.example.fi/kilpi", tls: nil, effective: .verifyFull(rootCertificate: nil)),
        Case(text: "postgres://k:pw@10.0.0.5/kilpi", tls: nil, effective: .verifyFull(rootCertificate: nil)),
        Case(text: "postgres://k:pw@[2001:db8::5]/kilpi", tls: nil, effective: .verifyFull(rootCertificate: nil)),
        Case(text: "postgres://k:pw@127.0.0.1:5433/kilpi", tls: nil, effective: .disable),
        Case(text: "postgres://k:pw@127.8.9.10/kilpi", tls: nil, effective: .disable),
        Case(text: "postgres://k:pw@localhost/kilpi", tls: nil, effective: .disable),
        Case(text: "postgres://k:pw@[::1]/kilpi", tls: nil, effective: .disable),
        Case(
            text: "postgres://k:pw@127.0.0.1.example.fi/kilpi",
            tls: nil,
            effective: .verifyFull(rootCertificate: nil)
        ),
        Case(text: "postgres://k:pw@db/kilpi?sslmode=disable", tls: .disable, effective: .disable),
        Case(text: "postgres://k:pw@db/kilpi?sslmode=require", tls: .require, effective: .require),
        Case(text: "postgres://k:pw@localhost/kilpi?sslmode=require", tls: .require, effective: .require),
        Case(
            text: "postgres://k:pw@db/kilpi?sslmode=verify-full",
            tls: .verifyFull(rootCertificate: nil),
            effective: .verifyFull(rootCertificate: nil)
        ),
        Case(
            text: "postgres://k:pw@127.0.0.1/kilpi?sslmode=verify-full&sslrootcert=/etc/kilpi/db%20ca.pem",
            tls: .verifyFull(rootCertificate: "/etc/kilpi/db ca.pem"),
            effective: .verifyFull(rootCertificate: "/etc/kilpi/db ca.pem")
        ),
        Case(
            text: "postgres://k:pw@localhost/kilpi?sslrootcert=/etc/kilpi/ca.pem",
            tls: .verifyFull(rootCertificate: "/etc/kilpi/ca.pem"),
            effective: .verifyFull(rootCertificate: "/etc/kilpi/ca.pem")
        ),
    ]

    @Test("sslmode and sslrootcert parse; without them a loopback host is plain, any other verified", arguments: cases)
    func parses(_ example: Case) throws {
        let url = try DatabaseURL(parsing: example.text)
        guard case .postgres(_, _, _, let password, _, let tls) = url else {
            Issue.record("not a postgres URL")
            return
        }
        #expect(password == "pw")
        #expect(tls == example.tls)
        #expect(url.effectiveTLS == example.effective)
    }

    static let bad: [(text: String, names: String)] = [
        ("postgres://k:pw@db/kilpi?sslmode=prefer", "sslmode"),
        ("postgres://k:pw@db/kilpi?sslmode=allow", "sslmode"),
        ("postgres://k:pw@db/kilpi?sslmode=verify-ca", "sslmode"),
        ("postgres://k:pw@db/kilpi?sslmode=", "sslmode"),
        ("postgres://k:pw@db/kilpi?sslmode=require&sslmode=disable", "sslmode"),
        ("postgres://k:pw@db/kilpi?sslmode=require&sslrootcert=/ca.pem", "sslrootcert"),
        ("postgres://k:pw@db/kilpi?sslmode=disable&sslrootcert=/ca.pem", "sslrootcert"),
        ("postgres://k:pw@db/kilpi?sslrootcert=", "sslrootcert"),
        ("postgres://k:pw@db/kilpi?sslcert=/client.pem", "sslcert"),
        ("postgres://k:pw@db/kilpi?password=other", "password"),
    ]

    @Test("a bad TLS parameter: one line that names it, never the password", arguments: bad)
    func refuses(_ example: (text: String, names: String)) {
        let error = #expect(throws: DatabaseError.self) { try DatabaseURL(parsing: example.text) }
        let message = error?.message ?? ""
        #expect(message.hasPrefix("invalid database URL: "), "\(message)")
        #expect(message.contains(example.names), "\(message)")
        #expect(!message.contains(":pw"))
        #expect(!message.contains("\n"))
    }

    @Test("the printed form keeps the TLS settings and hides the password")
    func description() throws {
        let url = try DatabaseURL(
            parsing: "postgres://kilpi:hunter2@db.example.fi/kilpi?sslmode=verify-full&sslrootcert=/etc/kilpi/ca.pem"
        )
        #expect(
            url.description
                == "postgres://kilpi:***@db.example.fi:5432/kilpi?sslmode=verify-full&sslrootcert=/etc/kilpi/ca.pem"
        )
        #expect(try DatabaseURL(parsing: url.description.replacingOccurrences(of: "***", with: "hunter2")) == url)
        #expect(
            try DatabaseURL(parsing: "postgres://k@db/d?sslmode=require").description
                == "postgres://k@db:5432/d?sslmode=require"
        )
    }

    static func writeFile(_ text: String) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kilpi-tests", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("pw-\(UUID().uuidString)").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("KILPI_DATABASE_PASSWORD_FILE: the password comes from the file, its trailing newline dropped")
    func passwordFile() throws {
        let url = try DatabaseURL(parsing: "postgres://kilpi@db.example.fi/kilpi?sslmode=require")
        for content in ["s3cret pass\n", "s3cret pass\r\n", "s3cret pass"] {
            let file = try Self.writeFile(content)
            defer { try? FileManager.default.removeItem(atPath: file) }
            #expect(
                try url.withPassword(fromFile: file)
                    == .postgres(
                        host: "db.example.fi",
                        port: 5432,
                        user: "kilpi",
                        password: "s3cret pass",
                        database: "kilpi",
                        tls: .require
                    )
            )
        }
        #expect(try DatabaseURL.defaultSQLite.withPassword(fromFile: "/nonexistent") == .defaultSQLite)
    }

    @Test("KILPI_DATABASE_PASSWORD_FILE: a missing or empty file, or a second password, is one clear line")
    func passwordFileErrors() throws {
        let url = try DatabaseURL(parsing: "postgres://kilpi@db/kilpi")
        let missing = "/nonexistent/kilpi-\(UUID().uuidString)"
        let noFile = #expect(throws: DatabaseError.self) { try url.withPassword(fromFile: missing) }
        #expect(noFile?.message == "KILPI_DATABASE_PASSWORD_FILE \(missing): no such file")

        let empty = try Self.writeFile("\n")
        defer { try? FileManager.default.removeItem(atPath: empty) }
        let emptyError = #expect(throws: DatabaseError.self) { try url.withPassword(fromFile: empty) }
        #expect(emptyError?.message.contains("empty") == true)

        let twoLines = try Self.writeFile("first-secret\nsecond\n")
        defer { try? FileManager.default.removeItem(atPath: twoLines) }
        let twoError = #expect(throws: DatabaseError.self) { try url.withPassword(fromFile: twoLines) }
        #expect(twoError?.message.contains("single line") == true)
        #expect(twoError?.message.contains("first-secret") == false)

        let file = try Self.writeFile("from-file\n")
        defer { try? FileManager.default.removeItem(atPath: file) }
        let both = #expect(throws: DatabaseError.self) {
            try DatabaseURL(parsing: "postgres://kilpi:in-url@db/kilpi").withPassword(fromFile: file)
        }
        #expect(both?.message.contains("KILPI_DATABASE_PASSWORD_FILE") == true)
        #expect(both?.message.contains("in-url") == false)
        #expect(both?.message.contains("from-file") == false)
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
        guard
            case .postgres(let host, let port, let user, let realPassword, let name, _) = try #require(Self.postgresURL)
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
        guard case .postgres(let host, let port, let user, let password, _, _) = try #require(Self.postgresURL) else {
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
