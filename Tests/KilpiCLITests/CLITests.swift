import Foundation
import KilpiCore
import KilpiStore
import KilpiTestSupport
import SQLKit
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

#if canImport(Glibc)
import Glibc
#endif

@Suite("kilpi command line")
struct CLITests {
    private func sqliteURL(_ directory: URL) -> String {
        "sqlite://" + directory.appendingPathComponent("k.sqlite").path
    }

    @Test func versionAndHelpForEveryCommand() throws {
        let version = try CLIRunner.run(["--version"])
        #expect(version.status == 0)
        #expect(version.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0.1.0")
        for command in [
            [], ["serve"], ["migrate"], ["user"], ["user", "add"], ["user", "list"], ["token"], ["token", "create"],
            ["token", "list"], ["token", "revoke"], ["audit"], ["audit", "verify"], ["plan"], ["plan", "check"],
        ] {
            let help = try CLIRunner.run(command + ["--help"])
            #expect(help.status == 0, "\(command) --help")
            #expect(help.stdout.contains("USAGE"), "\(command) --help prints usage")
        }
    }

    @Test func malformedDatabaseURLIsOneClearLine() throws {
        for url in ["mysql://root@localhost/db", "postgres://localhost/db", "postgres://u@host", "sqlite://"] {
            try CLIRunner.run(["migrate", "--database", url]).expectOneLineError(containing: "invalid database URL")
        }
        // The environment variable is read the same way.
        try CLIRunner.run(["migrate"], environment: ["KILPI_DATABASE_URL": "nonsense"]).expectOneLineError(
            containing: "invalid database URL"
        )
    }

    @Test func unusableSQLitePathsAreOneClearLine() throws {
        let directory = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try CLIRunner.run([
            "migrate", "--database", "sqlite://" + directory.appendingPathComponent("missing/k.sqlite").path,
        ])
        .expectOneLineError(containing: "does not exist")
        let garbage = directory.appendingPathComponent("garbage.sqlite")
        try Data(repeating: 0x41, count: 4096).write(to: garbage)
        try CLIRunner.run(["migrate", "--database", "sqlite://" + garbage.path]).expectOneLineError(
            containing: "SQLite"
        )
        // A folder where a file should be.
        try CLIRunner.run(["migrate", "--database", "sqlite://" + directory.path + "/"]).expectOneLineError(
            containing: "invalid database URL"
        )
    }

    @Test(.enabled(if: TestDatabases.engines.contains(.postgres)))
    func wrongPostgresPasswordIsOneClearLineWithoutThePassword() throws {
        let text = try #require(ProcessInfo.processInfo.environment["KILPI_TEST_POSTGRES_URL"])
        guard case .postgres(let host, let port, let user, _, let name, _) = try DatabaseURL(parsing: text) else {
            Issue.record("not a postgres URL")
            return
        }
        let wrong = "postgres://\(user):WrongSecret123@\(host):\(port)/\(name)"
        let result = try CLIRunner.run(["migrate", "--database", wrong])
        result.expectOneLineError(containing: "password authentication failed")
        #expect(!result.stderr.contains("WrongSecret123"))
        // Nothing listens on port 1: refused, still one line.
        try CLIRunner.run(["migrate", "--database", "postgres://\(user):x@127.0.0.1:1/\(name)"]).expectOneLineError(
            containing: "cannot connect"
        )
    }

    @Test func portInUseIsOneClearLine() throws {
        let (socket, port) = try listeningSocket()
        defer { close(socket) }
        let directory = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try CLIRunner.run(
            ["serve", "--port", String(port), "--database", sqliteURL(directory)],
            timeout: 60
        )
        result.expectOneLineError(containing: "already in use")
    }

    @Test func usersTokensAndAuditFromTheCommandLine() async throws {
        let directory = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let db = sqliteURL(directory)
        // One working folder for every run, so all of them use the kilpi.key the first one creates: the database
        // refuses another installation's key.
        func kilpi(_ arguments: [String]) throws -> CLIRunner.Result {
            try CLIRunner.run(arguments, workingDirectory: directory)
        }

        let migrate = try kilpi(["migrate", "--database", db])
        #expect(migrate.status == 0)
        #expect(
            migrate.stdout.contains(
                "Applied migrations: \(Migrations.all.map { String($0.version) }.joined(separator: ", "))"
            )
        )
        #expect(try kilpi(["migrate", "--database", db]).stdout.contains("up to date"))

        let add = try kilpi([
            "user", "add", "--email", "Maija@Example.com", "--role", "responder", "--database", db, "--public-url",
            "https://kilpi.example",
        ])
        #expect(add.status == 0, "\(add.stderr)")
        #expect(add.stdout.contains("https://kilpi.example/console/enrol/"))
        try kilpi(["user", "add", "--email", "maija@example.com", "--role", "viewer", "--database", db])
            .expectOneLineError(containing: "already exists")
        try kilpi(["user", "add", "--email", "not-an-email", "--role", "viewer", "--database", db])
            .expectOneLineError(containing: "email")
        let badRole = try kilpi([
            "user", "add", "--email", "x@example.com", "--role", "superuser", "--database", db,
        ])
        #expect(badRole.status != 0)

        let list = try kilpi(["user", "list", "--database", db])
        #expect(
            list.stdout.contains("maija@example.com") && list.stdout.contains("responder")
                && list.stdout.contains("pending")
        )

        let create = try kilpi([
            "token", "create", "--name", "SIEM export", "--role", "viewer", "--database", db,
        ])
        #expect(create.status == 0)
        let secret = try #require(create.stdout.split(separator: "\n").last.map(String.init))
        #expect(secret.hasPrefix("kilpi_") && secret.count > 40)
        let tokens = try kilpi(["token", "list", "--database", db])
        #expect(tokens.stdout.contains("SIEM export") && !tokens.stdout.contains(secret))
        #expect(try kilpi(["token", "revoke", "1", "--database", db]).status == 0)
        try kilpi(["token", "revoke", "1", "--database", db]).expectOneLineError(containing: "no active token")

        // The secret itself is nowhere in the database file.
        let bytes =
            try Data(contentsOf: directory.appendingPathComponent("k.sqlite"))
            + ((try? Data(contentsOf: directory.appendingPathComponent("k.sqlite-wal"))) ?? Data())
        #expect(bytes.range(of: Data(secret.utf8)) == nil)

        let verify = try kilpi(["audit", "verify", "--database", db])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        #expect(verify.stdout.contains("intact"))

        // Edit one entry behind Kilpi's back: verify must fail and name it.
        try await Database.withOpened(try DatabaseURL(parsing: db), logger: TestDatabases.quietLogger) { database in
            try await database.withConnection { sql in
                try await sql.raw("UPDATE audit_log SET detail = 'nothing happened' WHERE id = 2").run()
            }
        }
        let broken = try kilpi(["audit", "verify", "--database", db])
        #expect(broken.status != 0)
        #expect(broken.stdout.contains("entry 2"))
    }

    @Test func serveWithoutAdminPrintsASetupLinkAndAnswers() throws {
        let directory = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let port = try freePort()
        let health = HealthProbe(url: URL(string: "http://127.0.0.1:\(port)/healthz")!)
        let result = try CLIRunner.run(
            ["serve", "--port", String(port), "--database", sqliteURL(directory)],
            timeout: 60,
            stopWhen: { output in
                output.contains("Console: ") && health.answeredOK()
            }
        )
        #expect(health.answeredOK(), "the server answered /healthz with ok")
        #expect(result.stdout.contains("No admin exists yet"))
        #expect(result.stdout.contains("http://127.0.0.1:\(port)/console/setup/"))
        #expect(!result.stderr.contains("error"))
    }

    /// One start only: it hashes five real passwords with production scrypt parameters. That passwords
    /// differ on every start is checked in the store tests with a cheap hasher.
    @Test func demoPrintsRandomPasswordsForEveryRole() throws {
        let directory = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let port = try freePort()
        let run = try CLIRunner.run(
            ["serve", "--demo", "--port", String(port), "--database", sqliteURL(directory)],
            timeout: 240,
            stopWhen: { $0.contains("Console: ") }
        )
        #expect(run.stdout.contains("DEMO: Aurora Verkkokauppa Oy"))
        #expect(run.stdout.contains("TOTP secret"))
        #expect(!run.stdout.contains("No admin exists yet"), "the demo has an admin")
        #expect(
            run.stdout.contains("Demo incident: INC-1 Web shop customer database accessed"),
            "the demo has its live breach"
        )
        let passwords = Role.allCases.compactMap { role in
            run.stdout.split(separator: "\n").first {
                $0.trimmingCharacters(in: .whitespaces).hasPrefix(role.rawValue + " ")
            }
            .map { String($0.split(separator: " ").last ?? "") }
        }
        #expect(passwords.count == Role.allCases.count)
        #expect(Set(passwords).count == passwords.count)
        #expect(passwords.allSatisfy { $0.count >= PasswordPolicy.minimumWithoutSecondFactor })
    }

    @Test func unreadablePasswordFileIsOneClearLine() throws {
        let directory = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let missing = directory.appendingPathComponent("no-such-password").path
        try CLIRunner.run(
            ["migrate", "--database", "postgres://kilpi@127.0.0.1:1/kilpi"],
            environment: ["KILPI_DATABASE_PASSWORD_FILE": missing]
        )
        .expectOneLineError(containing: "KILPI_DATABASE_PASSWORD_FILE \(missing): no such file")
        try CLIRunner.run(
            ["migrate", "--database", "postgres://kilpi@db.example.fi/kilpi?sslmode=prefer"]
        )
        .expectOneLineError(containing: "sslmode must be disable, require or verify-full")
    }

    /// A fresh PostgreSQL database of its own (the cluster's `kilpi_test` is where tests create theirs).
    private func freshPostgres() async throws -> (url: DatabaseURL, text: String) {
        let url = try await TestDatabases.makeURL(.postgres)
        guard case .postgres(let host, let port, let user, let password?, let name, _) = url else {
            throw CLIRunner.Failure(description: "not a postgres URL with a password")
        }
        return (url, "postgres://\(user):\(password)@\(host):\(port)/\(name)")
    }

    @Test(.enabled(if: TestDatabases.engines.contains(.postgres)))
    func postgresPasswordFromAFile() async throws {
        let (url, _) = try await freshPostgres()
        guard case .postgres(let host, let port, let user, let password?, let name, _) = url else { return }
        let directory = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("db-password")
        try Data((password + "\n").utf8).write(to: file)
        let result = try CLIRunner.run(
            ["migrate", "--database", "postgres://\(user)@\(host):\(port)/\(name)"],
            environment: ["KILPI_DATABASE_PASSWORD_FILE": file.path]
        )
        await TestDatabases.dispose(url)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stdout.contains(password) && !result.stderr.contains(password))
        // Without the file the server asks for the password it did not get.
        try CLIRunner.run(["migrate", "--database", "postgres://\(user)@\(host):\(port)/\(name)"])
            .expectOneLineError(containing: "cannot connect")
    }

    /// `serve` on PostgreSQL: the start line names the database without its password, and SIGTERM stops the
    /// service group in order (web app, sweeper, then the pool) with a clean exit.
    @Test(.enabled(if: TestDatabases.engines.contains(.postgres)))
    func serveOnPostgresHidesThePasswordAndStopsCleanly() async throws {
        let (url, text) = try await freshPostgres()
        guard case .postgres(_, _, _, let password?, _, _) = url else { return }
        let directory = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let port = try freePort()
        let health = HealthProbe(url: URL(string: "http://127.0.0.1:\(port)/healthz")!)
        let result = try CLIRunner.run(
            ["serve", "--port", String(port), "--database", text],
            workingDirectory: directory,
            timeout: 120,
            stopWhen: { output in output.contains("Console: ") && health.answeredOK() }
        )
        await TestDatabases.dispose(url)
        #expect(health.answeredOK())
        #expect(result.stdout.contains(" · database postgres://kilpi:***@127.0.0.1:"), "\(result.stdout)")
        #expect(!result.stdout.contains(password) && !result.stderr.contains(password))
        #expect(result.status == 0, "stopped by SIGTERM through graceful shutdown: \(result.stderr)")
    }

    /// Polls a URL; remembers once it answered "ok".
    final class HealthProbe: @unchecked Sendable {
        let url: URL
        private var ok = false
        init(url: URL) { self.url = url }
        func answeredOK() -> Bool {
            if ok { return true }
            if let data = try? Data(contentsOf: url), String(decoding: data, as: UTF8.self).hasPrefix("ok") {
                ok = true
            }
            return ok
        }
    }

    // MARK: - Sockets

    private func listeningSocket() throws -> (Int32, Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0, listen(fd, 1) == 0 else { throw POSIXError(.EADDRINUSE) }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }

    private func freePort() throws -> Int {
        let (fd, port) = try listeningSocket()
        close(fd)
        return port
    }
}
