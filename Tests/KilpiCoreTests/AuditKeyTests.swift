import Crypto
import Foundation
import Testing

@testable import KilpiCore

/// The audit key's line in the key file and `KILPI_MASTER_KEY`, and that vault key changes keep it.
@Suite("Audit key in the key ring")
struct AuditKeyTests {
    static let vaultKey = "k1 " + Data(repeating: 1, count: 32).base64EncodedString()
    static let auditKey = Data(repeating: 2, count: 32).base64EncodedString()

    @Test func theAuditLineIsReadWrittenAndKeptByRotation() throws {
        let ring = try KeyRing(parsing: "\(Self.vaultKey)\n@audit \(Self.auditKey) sha256-until=42\n")
        let audit = try #require(ring.audit)
        #expect(audit.sha256Until == 42)
        #expect(ring.keys.map(\.id) == ["k1"], "the audit line is not a vault key")
        #expect(try KeyRing(parsing: ring.serialized()).audit == audit)
        #expect(ring.adding().adding().retiringOldKeys().audit == audit)
        #expect(
            try KeyRing(parsingEnvironmentValue: "\(Self.vaultKey);@audit \(Self.auditKey)").audit?.sha256Until == 0
        )
        // A file from before the audit key has none; a new ring gets a fresh one.
        #expect(try KeyRing(parsing: Self.vaultKey).audit == nil)
        let fresh = try KeyRing(keys: [VaultKey.generate(id: "k1")])
        #expect(fresh.audit != nil)
        #expect(fresh.audit != (try KeyRing(keys: [VaultKey.generate(id: "k1")])).audit)
        // Never the material in a description.
        #expect(!String(describing: audit).contains(Self.auditKey))
        #expect(!String(reflecting: audit).contains(Self.auditKey))
    }

    @Test(
        "a bad audit line is refused, naming the line",
        arguments: [
            "@audit", "@audit short", "@audit \(auditKey) until=3", "@audit \(auditKey) sha256-until=-1",
            "@audit \(auditKey) sha256-until=3 extra", "@audit \(auditKey)\n@audit \(auditKey)",
        ]
    )
    func refused(line: String) throws {
        let error = #expect(throws: VaultError.invalidKeys) { try KeyRing(parsing: "\(Self.vaultKey)\n\(line)") }
        #expect(error?.description.contains("line 2") == true || error?.description.contains("line 3") == true)
        #expect(error?.description.contains(Self.auditKey) == false, "the key is never quoted")
    }
}
