import Foundation
import KilpiCore
import KilpiStore
import KilpiTestSupport
import Testing

@Suite("kilpi import and keys")
struct CLIDataMapTests {
    @Test func importRotateAndRefuseAWrongKeyFile() throws {
        let directory = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let db = "sqlite://" + directory.appendingPathComponent("k.sqlite").path
        let keyFile = directory.appendingPathComponent("vault.key").path
        func file(_ name: String, _ text: String) throws -> String {
            let url = directory.appendingPathComponent(name)
            try Data(text.utf8).write(to: url)
            return url.path
        }
        let common = ["--database", db, "--key-file", keyFile]
        let systems = try CLIRunner.run(
            [
                "import", "systems",
                try file("s.csv", "name,kind,owner,location,encrypted_at_rest\nShop,web_shop,IT,FI,no\n"),
            ] + common
        )
        #expect(systems.status == 0, "\(systems.stderr)")
        #expect(systems.stdout.contains("Imported 1 systems rows"))
        // The key file was created on first use, private to its owner.
        let mode = try FileManager.default.attributesOfItem(atPath: keyFile)[.posixPermissions] as? Int
        #expect(mode == 0o600)

        let customers = try file(
            "c.csv",
            "external_id,name,email,phone,language,country,region\nC-1,Maija Meikäläinen,maija@example.com,+358401234567,fi,FI,\n"
        )
        let first = try CLIRunner.run(["import", "customers", customers] + common)
        #expect(first.stdout.contains("1 new"), "\(first.stdout)\(first.stderr)")
        #expect(
            try CLIRunner.run(["import", "customers", customers] + common).stdout.contains(
                "0 new, 0 changed, 1 unchanged"
            )
        )

        let bad = try CLIRunner.run(
            [
                "import", "customers",
                try file("bad.csv", "external_id,name,email,phone,language,country,region\nC-2,X,nope,,fi,FI,\n"),
            ] + common
        )
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("line 2, column email: not a valid email address"))
        #expect(!bad.stderr.contains(".swift:"))

        let missing = try CLIRunner.run(
            ["import", "customers", directory.appendingPathComponent("nope.csv").path] + common
        )
        missing.expectOneLineError(containing: "no such file")

        // Another key file for the same database: refused, and the stray key file is not left behind.
        let otherKey = directory.appendingPathComponent("other.key").path
        let wrong = try CLIRunner.run(["import", "customers", customers, "--database", db, "--key-file", otherKey])
        wrong.expectOneLineError(containing: "no key file existed")
        #expect(!FileManager.default.fileExists(atPath: otherKey))

        let rotate = try CLIRunner.run(["keys", "rotate"] + common)
        #expect(rotate.status == 0, "\(rotate.stderr)")
        #expect(rotate.stdout.contains("Rotation complete"))
        let ring = try String(contentsOfFile: keyFile, encoding: .utf8)
        #expect(
            ring.contains("k2") && !ring.contains("k1 "),
            "old key retired: \(ring.split(separator: "\n").map { $0.prefix(3) })"
        )
        // Data still readable with the rotated key: a re-import sees it unchanged.
        #expect(try CLIRunner.run(["import", "customers", customers] + common).stdout.contains("1 unchanged"))
    }
}
