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

        // A rotation stopped before any row moved: the old key cannot be retired yet.
        let started = try CLIRunner.run(["keys", "rotate", "--limit", "0"] + common)
        #expect(started.status == 0 && started.stdout.contains("1 left"), "\(started.stdout)\(started.stderr)")
        let early = try CLIRunner.run(["keys", "retire"] + common)
        early.expectOneLineError(containing: "key k1 still seals 3 fields")

        let rotate = try CLIRunner.run(["keys", "rotate"] + common)
        #expect(rotate.status == 0, "\(rotate.stderr)")
        #expect(rotate.stdout.contains("Resuming") && rotate.stdout.contains("Rotation complete"), "\(rotate.stdout)")
        // Rotation never removes a key: a server started before it may still be sealing under k1.
        let rotated = try String(contentsOfFile: keyFile, encoding: .utf8)
        #expect(rotated.contains("\nk1 ") && rotated.contains("\nk2 "))
        let retire = try CLIRunner.run(["keys", "retire"] + common)
        #expect(retire.status == 0 && retire.stdout.contains("Retired k1"), "\(retire.stdout)\(retire.stderr)")
        let ring = try String(contentsOfFile: keyFile, encoding: .utf8)
        #expect(
            ring.contains("k2") && !ring.contains("k1 "),
            "old key retired: \(ring.split(separator: "\n").map { $0.prefix(3) })"
        )
        #expect(try CLIRunner.run(["keys", "retire"] + common).stdout.contains("Nothing to retire"))
        // Data still readable with the rotated key: a re-import sees it unchanged.
        #expect(try CLIRunner.run(["import", "customers", customers] + common).stdout.contains("1 unchanged"))
    }

    /// Another installation's key file, whose key is also called k1, is refused by every command that loads keys.
    @Test func aKeyFileFromAnotherInstallationIsRefused() throws {
        let directory = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let ours = ["--database", "sqlite://" + directory.appendingPathComponent("ours.sqlite").path]
        let theirs = ["--database", "sqlite://" + directory.appendingPathComponent("theirs.sqlite").path]
        let ourKey = ["--key-file", directory.appendingPathComponent("ours.key").path]
        let theirKey = ["--key-file", directory.appendingPathComponent("theirs.key").path]
        let systems = directory.appendingPathComponent("s.csv")
        try Data("name,kind,owner,location,encrypted_at_rest\nShop,web_shop,IT,FI,no\n".utf8).write(to: systems)
        for setup in [ours + ourKey, theirs + theirKey] {
            let run = try CLIRunner.run(["import", "systems", systems.path] + setup)
            #expect(run.status == 0, "\(run.stderr)")
        }
        for command in [["import", "systems", systems.path], ["keys", "rotate"], ["keys", "retire"]] {
            let wrong = try CLIRunner.run(command + ours + theirKey)
            wrong.expectOneLineError(containing: "key file holds k1 but it is not the k1 this database was sealed with")
        }
        #expect(try CLIRunner.run(["import", "systems", systems.path] + ours + ourKey).status == 0)
    }
}
