import Crypto
import Foundation
import KilpiCore
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite("Vault key file and KILPI_MASTER_KEY")
struct VaultKeyFileTests {
    static let materialA = Data(repeating: 0xA1, count: 32).base64EncodedString()
    static let materialB = Data(repeating: 0xB2, count: 32).base64EncodedString()

    /// A fresh folder for one test, removed afterwards.
    static func withFolder(_ body: (String) throws -> Void) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kilpi-vault-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try body(folder)
    }

    static func fileStatus(_ path: String) -> (mode: Int, inode: UInt64)? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        return (Int(status.st_mode) & 0o7777, UInt64(status.st_ino))
    }

    @Test func firstLoadCreatesAFileWithModeExactly0600() throws {
        try Self.withFolder { folder in
            let path = folder + "/master.key"
            let (ring, created) = try KeyRingSource.load(path: path, environment: [:])
            #expect(created)
            #expect(ring.keys.map(\.id) == ["k1"])
            #expect(!ring.isFromEnvironment)
            let status = try #require(Self.fileStatus(path))
            #expect(status.mode == 0o600)
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["master.key"])
            let text = try String(contentsOfFile: path, encoding: .utf8)
            #expect(try KeyRing(parsing: text).keys == ring.keys)
        }
    }

    @Test func theFileIsCreatedOnlyOnce() throws {
        try Self.withFolder { folder in
            let path = folder + "/master.key"
            let first = try KeyRingSource.load(path: path, environment: [:])
            let second = try KeyRingSource.load(path: path, environment: [:])
            #expect(first.createdNewFile)
            #expect(!second.createdNewFile)
            #expect(second.ring.keys == first.ring.keys)
            // Two fresh folders get two different keys: the key is random, not derived from anything.
            try Self.withFolder { other in
                let elsewhere = try KeyRingSource.load(path: other + "/master.key", environment: [:])
                #expect(elsewhere.ring.keys != first.ring.keys)
            }
        }
    }

    @Test func concurrentFirstStartsAgreeOnOneKey() throws {
        // Rounds raise the odds of a loser reading the winner's file in the instant it is still empty.
        for _ in 0..<25 {
            try Self.withFolder { folder in
                let path = folder + "/master.key"
                let results = LockedResults()
                DispatchQueue.concurrentPerform(iterations: 8) { _ in
                    results.append(
                        Result { () throws(VaultError) in try KeyRingSource.load(path: path, environment: [:]) }
                    )
                }
                let loaded = try results.values.map { try $0.get() }
                #expect(loaded.count == 8)
                #expect(loaded.filter(\.createdNewFile).count == 1)
                #expect(Set(loaded.map { $0.ring.current.material.withUnsafeBytes { Data($0) } }).count == 1)
                #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["master.key"])
            }
        }
    }

    @Test(arguments: [0o644, 0o640, 0o604, 0o660, 0o602])
    func refusesAFileOpenToOthers(mode: Int) throws {
        try Self.withFolder { folder in
            let path = folder + "/master.key"
            #expect(
                FileManager.default.createFile(
                    atPath: path,
                    contents: Data("k1 \(Self.materialA)\n".utf8),
                    attributes: [.posixPermissions: mode]
                )
            )
            let octal = "0" + String(mode, radix: 8)
            let error = #expect(throws: VaultError.insecureKeyFile) {
                try KeyRingSource.load(path: path, environment: [:])
            }
            #expect(error?.description == "key file \(path) has mode \(octal); it must be 0600 (chmod 600 \(path))")
            #expect(Self.fileStatus(path)?.mode == mode)  // left for the operator to fix, not "fixed" behind their back
        }
    }

    @Test func acceptsAnOwnerOnlyFile() throws {
        try Self.withFolder { folder in
            let path = folder + "/master.key"
            #expect(
                FileManager.default.createFile(
                    atPath: path,
                    contents: Data("k1 \(Self.materialA)\n".utf8),
                    attributes: [.posixPermissions: 0o400]
                )
            )
            let (ring, created) = try KeyRingSource.load(path: path, environment: [:])
            #expect(!created)
            #expect(ring.current.material == SymmetricKey(data: Data(repeating: 0xA1, count: 32)))
        }
    }

    @Test func refusesAGarbageFileNamingTheLine() throws {
        try Self.withFolder { folder in
            let path = folder + "/master.key"
            #expect(
                FileManager.default.createFile(
                    atPath: path,
                    contents: Data("# keys\nk1 \(Self.materialA)\nhello world\n".utf8),
                    attributes: [.posixPermissions: 0o600]
                )
            )
            let error = #expect(throws: VaultError.invalidKeys) { try KeyRingSource.load(path: path, environment: [:]) }
            #expect(error?.description == "key file \(path) line 3: not 32 bytes of base64")

            #expect(
                FileManager.default.createFile(
                    atPath: path,
                    contents: Data([0xFF, 0xFE, 0x00]),
                    attributes: [.posixPermissions: 0o600]
                )
            )
            #expect(throws: VaultError.invalidKeys) { try KeyRingSource.load(path: path, environment: [:]) }

            #expect(
                FileManager.default.createFile(atPath: path, contents: Data(), attributes: [.posixPermissions: 0o600])
            )
            let empty = #expect(throws: VaultError.invalidKeys) { try KeyRingSource.load(path: path, environment: [:]) }
            #expect(empty?.description == "key file \(path) holds no keys")
        }
    }

    @Test func aMissingFolderIsReported() {
        let path = "/nonexistent-kilpi-\(UUID().uuidString)/master.key"
        let error = #expect(throws: VaultError.keyFileUnavailable) {
            try KeyRingSource.load(path: path, environment: [:])
        }
        #expect(error?.description.hasPrefix("cannot create key file \(path): ") == true)
    }

    @Test func theEnvironmentWinsOverTheFile() throws {
        try Self.withFolder { folder in
            let path = folder + "/master.key"
            let fromFile = try KeyRingSource.load(path: path, environment: [:]).ring
            let (ring, created) = try KeyRingSource.load(
                path: path,
                environment: ["KILPI_MASTER_KEY": "k1 \(Self.materialA);k2 \(Self.materialB)"]
            )
            #expect(!created)
            #expect(ring.isFromEnvironment)
            #expect(ring.keys.map(\.id) == ["k1", "k2"])
            #expect(ring.key(id: "k1")?.material != fromFile.current.material)
            #expect(ring.current.material == SymmetricKey(data: Data(repeating: 0xB2, count: 32)))
            // Multi-line values work too, and with the variable set no file is created.
            let elsewhere = folder + "/absent.key"
            let lines = try KeyRingSource.load(
                path: elsewhere,
                environment: ["KILPI_MASTER_KEY": "k1 \(Self.materialA)\n"]
            )
            #expect(lines.ring.keys.map(\.id) == ["k1"])
            #expect(!FileManager.default.fileExists(atPath: elsewhere))
        }
    }

    @Test func aBadEnvironmentValueIsRefusedNotIgnored() {
        let error = #expect(throws: VaultError.invalidKeys) {
            try KeyRingSource.load(
                path: "/nonexistent/master.key",
                environment: ["KILPI_MASTER_KEY": "k1 \(Self.materialA); k2 oops"]
            )
        }
        #expect(error?.description == "KILPI_MASTER_KEY entry 2: not 32 bytes of base64")
        let empty = #expect(throws: VaultError.invalidKeys) {
            try KeyRingSource.load(path: "/nonexistent/master.key", environment: ["KILPI_MASTER_KEY": ""])
        }
        #expect(empty?.description == "KILPI_MASTER_KEY holds no keys")
    }

    @Test func saveReplacesTheFileAtomicallyAndKeeps0600() throws {
        try Self.withFolder { folder in
            let path = folder + "/master.key"
            let ring = try KeyRingSource.load(path: path, environment: [:]).ring
            let before = try #require(Self.fileStatus(path))
            let rotated = ring.adding()
            try KeyRingSource.save(rotated, path: path, environment: [:])
            let after = try #require(Self.fileStatus(path))
            #expect(after.mode == 0o600)
            // A new file renamed into place, not the old one rewritten in place (which a crash could tear).
            #expect(after.inode != before.inode)
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["master.key"])
            let (reloaded, created) = try KeyRingSource.load(path: path, environment: [:])
            #expect(!created)
            #expect(reloaded.keys == rotated.keys)

            try KeyRingSource.save(reloaded.retiringOldKeys(), path: path, environment: [:])
            #expect(try KeyRingSource.load(path: path, environment: [:]).ring.keys == [rotated.current])
            #expect(Self.fileStatus(path)?.mode == 0o600)
        }
    }

    @Test func saveRefusesKeysFromTheEnvironment() throws {
        try Self.withFolder { folder in
            let path = folder + "/master.key"
            let environment = ["KILPI_MASTER_KEY": "k1 \(Self.materialA)"]
            let ring = try KeyRingSource.load(path: path, environment: environment).ring
            let error = #expect(throws: VaultError.keysFromEnvironment) {
                try KeyRingSource.save(ring.adding(), path: path, environment: [:])
            }
            #expect(error?.description.contains("KILPI_MASTER_KEY") == true)
            #expect(error?.description.contains("update the variable") == true)
            #expect(error?.description.contains(String(Self.materialA.prefix(12))) == false)
            #expect(!FileManager.default.fileExists(atPath: path))

            // Nor may a file ring be saved while the variable would override the file.
            let fileRing = try KeyRingSource.load(path: path, environment: [:]).ring
            let contents = try String(contentsOfFile: path, encoding: .utf8)
            #expect(throws: VaultError.keysFromEnvironment) {
                try KeyRingSource.save(fileRing.adding(), path: path, environment: environment)
            }
            #expect(try String(contentsOfFile: path, encoding: .utf8) == contents)
        }
    }
}

/// Collects results from `concurrentPerform`'s threads.
private final class LockedResults: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [Result<(ring: KeyRing, createdNewFile: Bool), VaultError>] = []

    func append(_ result: Result<(ring: KeyRing, createdNewFile: Bool), VaultError>) {
        lock.withLock { stored.append(result) }
    }

    var values: [Result<(ring: KeyRing, createdNewFile: Bool), VaultError>] { lock.withLock { stored } }
}
