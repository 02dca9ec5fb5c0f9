import Foundation
import KilpiCore
import KilpiStore
import KilpiTestSupport
import SQLKit
import Testing

/// `kilpi audit verify` through the real executable: the keyed chain, the head, the anchor file, the upgrade
/// of a key file from before the audit key.
@Suite("kilpi audit verify")
struct CLIAuditTests {
    struct Installation {
        let directory: URL
        var database: String { "sqlite://" + directory.appendingPathComponent("k.sqlite").path }
        var keyFile: String { directory.appendingPathComponent("kilpi.key").path }
        var anchor: String { directory.appendingPathComponent("anchors.txt").path }
        var options: [String] { ["--database", database, "--key-file", keyFile] }

        func run(_ arguments: [String]) throws -> CLIRunner.Result {
            try CLIRunner.run(arguments + options)
        }

        func execute(_ query: SQLQueryString) async throws {
            try await Database.withOpened(try DatabaseURL(parsing: database), logger: TestDatabases.quietLogger) {
                database in
                try await database.withConnection { sql in try await sql.raw(query).run() }
            }
        }

        func anchorLines() throws -> [String] {
            try String(contentsOfFile: anchor, encoding: .utf8).split(separator: "\n").map(String.init)
        }
    }

    static func withInstallation(_ body: (Installation) async throws -> Void) async throws {
        let directory = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try await body(Installation(directory: directory))
    }

    /// The "Head: entry <id>, hash <hash>" line.
    static func head(_ output: String) -> (id: Int64, hash: String)? {
        guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix("Head: entry ") }) else {
            return nil
        }
        let parts = line.dropFirst("Head: entry ".count).split(separator: ",")
        guard parts.count == 2, let id = Int64(parts[0]) else { return nil }
        return (id, String(parts[1].dropFirst(" hash ".count)))
    }

    @Test func verifyPrintsTheHeadAndAnchorsIt() async throws {
        try await Self.withInstallation { kilpi in
            for name in ["one", "two"] {
                #expect(try kilpi.run(["token", "create", "--name", name, "--role", "viewer"]).status == 0)
            }
            let first = try kilpi.run(["audit", "verify", "--anchor", kilpi.anchor])
            #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
            let head = try #require(Self.head(first.stdout))
            #expect(head.id == 2)
            #expect(head.hash.count == 64)
            var lines = try kilpi.anchorLines()
            #expect(lines.count == 1)
            #expect(lines[0].hasSuffix(" 2 \(head.hash)"))

            #expect(try kilpi.run(["token", "create", "--name", "three", "--role", "viewer"]).status == 0)
            let second = try kilpi.run(["audit", "verify", "--anchor", kilpi.anchor])
            #expect(second.status == 0, "\(second.stdout)\(second.stderr)")
            #expect(second.stdout.contains("1 earlier anchor in"))
            lines = try kilpi.anchorLines()
            #expect(lines.count == 2)
            #expect(lines[1].contains(" 3 "))

            // Without --anchor the head is printed all the same, and nothing is written.
            let plain = try kilpi.run(["audit", "verify"])
            #expect(plain.status == 0)
            #expect(Self.head(plain.stdout)?.id == 3)
            #expect(try kilpi.anchorLines().count == 2)

            // Cutting the newest entry off leaves an intact chain, but not the anchored head.
            try await kilpi.execute("DELETE FROM audit_log WHERE id = 3")
            let cut = try kilpi.run(["audit", "verify", "--anchor", kilpi.anchor])
            #expect(cut.status == 1)
            #expect(cut.stdout.contains("line 2"), "\(cut.stdout)")
            #expect(cut.stdout.contains("truncated"))
            #expect(try kilpi.anchorLines().count == 2, "a bad head is not anchored")

            // An anchored hash the log no longer has: rewritten.
            try
                (lines[0].split(separator: " ").dropLast().joined(separator: " ") + " "
                + String(repeating: "a", count: 64)
                + "\n").write(toFile: kilpi.anchor, atomically: true, encoding: .utf8)
            let rewritten = try kilpi.run(["audit", "verify", "--anchor", kilpi.anchor])
            #expect(rewritten.status == 1)
            #expect(rewritten.stdout.contains("line 1"))
            #expect(rewritten.stdout.contains("rewritten"))

            // A line that is not an anchor is named, not skipped.
            try "2026-12-01T10:00:00Z 2\n".write(toFile: kilpi.anchor, atomically: true, encoding: .utf8)
            try kilpi.run(["audit", "verify", "--anchor", kilpi.anchor]).expectOneLineError(containing: "line 1")
        }
    }

    @Test func anEntryRewrittenWithPlainHashesIsFoundEvenBeforeTheCheckpoint() async throws {
        try await Self.withInstallation { kilpi in
            for name in ["one", "two", "three"] {
                #expect(try kilpi.run(["token", "create", "--name", name, "--role", "viewer"]).status == 0)
            }
            // This walk leaves its checkpoint at the head; the console would now look only after it.
            #expect(try kilpi.run(["audit", "verify"]).status == 0)
            try await kilpi.execute("UPDATE audit_log SET detail = 'nothing happened' WHERE id = 2")
            try await Database.withOpened(try DatabaseURL(parsing: kilpi.database), logger: TestDatabases.quietLogger) {
                database in
                try await database.withConnection { sql in
                    let rows = try await sql.raw("SELECT * FROM audit_log ORDER BY id").all()
                    var previous = try rows[0].decode(column: "hash", as: String.self)
                    for row in rows.dropFirst() {
                        let id = try row.decode(column: "id", as: Int64.self)
                        let hash = AuditChain.hash(
                            id: id,
                            atMilliseconds: try row.decode(column: "at", as: Int64.self),
                            actor: try row.decode(column: "actor", as: String.self),
                            action: try row.decode(column: "action", as: String.self),
                            target: try row.decode(column: "target", as: String.self),
                            ip: try row.decode(column: "ip", as: String.self),
                            detail: try row.decode(column: "detail", as: String.self),
                            previousHash: previous
                        )
                        try await sql.raw(
                            "UPDATE audit_log SET prev_hash = \(bind: previous), hash = \(bind: hash), chain = 1 WHERE id = \(bind: id)"
                        ).run()
                        previous = hash
                    }
                }
            }
            let broken = try kilpi.run(["audit", "verify"])
            #expect(broken.status == 1)
            #expect(broken.stdout.contains("BROKEN"))
            #expect(broken.stdout.contains("entry 2"), "\(broken.stdout)")
        }
    }

    @Test func aKeyFileFromBeforeTheAuditKeyIsUpgradedAndRotationKeepsIt() async throws {
        try await Self.withInstallation { kilpi in
            // An installation from before migration 10: three SHA-256 entries and a key file without @audit.
            try await Database.withOpened(try DatabaseURL(parsing: kilpi.database), logger: TestDatabases.quietLogger) {
                database in
                try await Migrator(database: database, migrations: Migrations.all.filter { $0.version < 10 }).migrate()
                var previous = AuditChain.genesis
                for id in Int64(1)...3 {
                    let linked = previous
                    let hash = AuditChain.hash(
                        id: id,
                        atMilliseconds: id * 1000,
                        actor: "cli",
                        action: "legacy.step",
                        target: "",
                        ip: "local",
                        detail: "",
                        previousHash: linked
                    )
                    try await database.withConnection { sql in
                        try await sql.raw(
                            """
                            INSERT INTO audit_log (id, at, actor, action, target, ip, detail, prev_hash, hash)
                            VALUES (\(bind: id), \(bind: id * 1000), 'cli', 'legacy.step', '', 'local', '', \(bind: linked), \(bind: hash))
                            """
                        ).run()
                    }
                    previous = hash
                }
            }
            let legacyKey = "k1 " + Data(repeating: 9, count: 32).base64EncodedString() + "\n"
            FileManager.default.createFile(
                atPath: kilpi.keyFile,
                contents: Data(legacyKey.utf8),
                attributes: [.posixPermissions: 0o600]
            )

            let verify = try kilpi.run(["audit", "verify"])
            #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
            #expect(verify.stdout.contains("intact: 5 entries"), "3 old, the switch, the key's addition")
            let upgraded = try String(contentsOfFile: kilpi.keyFile, encoding: .utf8)
            let auditLine = try #require(upgraded.split(separator: "\n").first { $0.hasPrefix("@audit ") })
            #expect(auditLine.hasSuffix(" sha256-until=3"))
            #expect(upgraded.contains(legacyKey), "the vault key is kept as it was")

            let rotate = try kilpi.run(["keys", "rotate"])
            #expect(rotate.status == 0, "\(rotate.stdout)\(rotate.stderr)")
            let rotated = try String(contentsOfFile: kilpi.keyFile, encoding: .utf8)
            #expect(rotated.split(separator: "\n").contains(auditLine), "rotation keeps the audit key")
            let after = try kilpi.run(["audit", "verify"])
            #expect(after.status == 0, "\(after.stdout)\(after.stderr)")

            // KILPI_MASTER_KEY without an audit key cannot be upgraded by Kilpi: it says what to add.
            let other = try CLIRunner.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: other) }
            let fromEnvironment = try CLIRunner.run(
                ["audit", "verify", "--database", "sqlite://" + other.appendingPathComponent("e.sqlite").path],
                environment: ["KILPI_MASTER_KEY": legacyKey]
            )
            fromEnvironment.expectOneLineError(containing: "@audit")
        }
    }
}
