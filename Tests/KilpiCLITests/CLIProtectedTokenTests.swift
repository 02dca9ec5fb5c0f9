import Foundation
import KilpiCore
import KilpiStore
import KilpiTestSupport
import Testing

/// `kilpi token create --protected`: a token the API and the console cannot revoke, only `kilpi token revoke`.
@Suite("kilpi command line: protected tokens")
struct CLIProtectedTokenTests {
    @Test func aProtectedTokenIsMarkedListedAuditedAndRevokedFromTheCommandLine() async throws {
        let directory = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let db = "sqlite://" + directory.appendingPathComponent("k.sqlite").path
        let key = ["--key-file", directory.appendingPathComponent("kilpi.key").path]

        let create = try CLIRunner.run(
            ["token", "create", "--name", "contract", "--role", "admin", "--protected", "--database", db] + key
        )
        #expect(create.status == 0, "\(create.stderr)")
        #expect(create.stdout.contains("Created protected token 1"), "\(create.stdout)")
        #expect(create.stdout.split(separator: "\n").last?.hasPrefix("kilpi_") == true)
        let plain = try CLIRunner.run(
            ["token", "create", "--name", "other", "--role", "viewer", "--database", db] + key
        )
        #expect(plain.status == 0 && !plain.stdout.contains("protected"), "\(plain.stdout)")

        let list = try CLIRunner.run(["token", "list", "--database", db] + key)
        let rows = list.stdout.split(separator: "\n")
        #expect(rows.first { $0.hasPrefix("1 ") }?.contains("active, protected") == true, "\(list.stdout)")
        #expect(rows.first { $0.hasPrefix("2 ") }?.contains("protected") == false, "\(list.stdout)")

        let revoke = try CLIRunner.run(["token", "revoke", "1", "--database", db] + key)
        #expect(revoke.status == 0, "\(revoke.stderr)")
        let after = try CLIRunner.run(["token", "list", "--database", db] + key)
        #expect(after.stdout.split(separator: "\n").first { $0.hasPrefix("1 ") }?.contains("revoked") == true)
        try CLIRunner.run(["token", "revoke", "1", "--database", db] + key).expectOneLineError(containing: "no active")

        let audit = try await Database.withOpened(try DatabaseURL(parsing: db), logger: TestDatabases.quietLogger) {
            database in
            try await database.withConnection { sql in
                try await sql.raw("SELECT action, target, detail FROM audit_log ORDER BY id").all().map {
                    (
                        try $0.decode(column: "action", as: String.self),
                        try $0.decode(column: "target", as: String.self),
                        try $0.decode(column: "detail", as: String.self)
                    )
                }
            }
        }
        #expect(audit.contains { $0.0 == "token.create" && $0.1 == "token:1" && $0.2.contains("protected") })
        #expect(audit.contains { $0.0 == "token.revoke" && $0.1 == "token:1" })
    }
}
