import Foundation
import KilpiCore
import KilpiStore
import KilpiTestSupport
import SQLKit
import Testing

/// Issue 9 from the command line: token expiry, a new enrolment link that replaces the old one, and staff TOTP
/// secrets sealed when the command line opens a database that still holds them in plaintext.
@Suite("kilpi command line: accounts")
struct CLIAccountTests {
    @Test func tokenExpiryEnrolmentLinksAndSealedSecrets() async throws {
        let directory = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("k.sqlite").path
        let db = "sqlite://" + file
        let key = ["--key-file", directory.appendingPathComponent("kilpi.key").path]

        for bad in ["0", "366"] {
            try CLIRunner.run([
                "token", "create", "--name", "x", "--role", "viewer", "--expires-in", bad, "--database", db,
            ])
            .expectOneLineError(containing: "--expires-in")
        }
        let create = try CLIRunner.run(
            ["token", "create", "--name", "SIEM", "--role", "viewer", "--expires-in", "7", "--database", db] + key
        )
        #expect(create.status == 0, "\(create.stderr)")
        #expect(create.stdout.contains("expires "))
        let list = try CLIRunner.run(["token", "list", "--database", db] + key)
        #expect(list.stdout.contains("EXPIRES") && list.stdout.contains("active"))

        let add = try CLIRunner.run(
            ["user", "add", "--email", "aino@example.com", "--role", "admin", "--database", db] + key
        )
        #expect(add.status == 0, "\(add.stderr)")
        let reissue = try CLIRunner.run(["user", "enrol-link", "--email", "aino@example.com", "--database", db] + key)
        #expect(reissue.status == 0, "\(reissue.stderr)")
        let first = try #require(Self.token(add.stdout))
        let second = try #require(Self.token(reissue.stdout))
        #expect(first != second)
        try CLIRunner.run(["user", "enrol-link", "--email", "nobody@example.com", "--database", db] + key)
            .expectOneLineError(containing: "no account")

        // A TOTP secret as Kilpi stored it before sealing: the next command seals it.
        let secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
        try await Database.withOpened(try DatabaseURL(parsing: db), logger: TestDatabases.quietLogger) { database in
            let links = SQLOneTimeLinkRepository(database: database)
            #expect(try await links.peek(token: first, purpose: .enrol, now: Date()) == nil)
            #expect(try await links.peek(token: second, purpose: .enrol, now: Date()) != nil)
            try await database.withConnection { sql in
                try await sql.raw(
                    "UPDATE staff_users SET totp_secret = \(bind: secret), totp_enabled = TRUE, status = 'active'"
                ).run()
            }
        }
        #expect(try CLIRunner.run(["user", "list", "--database", db] + key).status == 0)
        let bytes =
            try Data(contentsOf: URL(fileURLWithPath: file))
            + ((try? Data(contentsOf: URL(fileURLWithPath: file + "-wal"))) ?? Data())
        #expect(bytes.range(of: Data(secret.utf8)) == nil, "no readable TOTP secret in the database file")
    }

    static func token(_ output: String) -> String? {
        guard let range = output.range(of: "/console/enrol/") else { return nil }
        return String(output[range.upperBound...].prefix { !$0.isWhitespace })
    }
}
