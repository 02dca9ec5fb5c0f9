import Crypto
import Foundation
import KilpiCore
import Testing

@Suite("Vault key ring")
struct VaultKeyRingTests {
    static let materialA = Data(repeating: 0xA1, count: 32).base64EncodedString()
    static let materialB = Data(repeating: 0xB2, count: 32).base64EncodedString()

    @Test func parsesCommentsBlankLinesAndBothBase64Spellings() throws {
        let unpadded = String(Self.materialB.dropLast())
        let text = "# Kilpi keys\r\n\r\nk1 \(Self.materialA)   # the first\n\t k2\t\(unpadded)\n\n"
        let ring = try KeyRing(parsing: text)
        #expect(ring.keys.map(\.id) == ["k1", "k2"])
        #expect(ring.current.id == "k2")
        #expect(ring.current.material == SymmetricKey(data: Data(repeating: 0xB2, count: 32)))
        #expect(ring.key(id: "k1")?.material == SymmetricKey(data: Data(repeating: 0xA1, count: 32)))
        #expect(ring.key(id: "k3") == nil)
        #expect(!ring.isFromEnvironment)
    }

    @Test func serializedTextParsesBackToTheSameKeys() throws {
        let ring = try KeyRing(parsing: "k1 \(Self.materialA)").adding().adding()
        let text = ring.serialized()
        #expect(text.hasPrefix("#"))
        #expect(text.contains("k1 \(Self.materialA)\n"))
        let parsed = try KeyRing(parsing: text)
        #expect(parsed.keys == ring.keys)
        #expect(parsed.current.id == "k3")
    }

    @Test(arguments: [
        ("k1 \(materialA)\n# fine so far\nk2 c2hvcnQ=\n", "key file line 3: not 32 bytes of base64"),
        ("k1 \(materialA)\nk2 \(materialA)x\n", "key file line 2: not 32 bytes of base64"),
        (
            "k1 \(materialA)\nk2 \(Data(repeating: 1, count: 33).base64EncodedString())",
            "key file line 2: not 32 bytes of base64"
        ),
        ("\n\n\(materialA)\n", "key file line 3: expected \"<key id> <base64 of 32 bytes>\""),
        ("k1 \(materialA) extra\n", "key file line 1: expected \"<key id> <base64 of 32 bytes>\""),
        ("k:1 \(materialA)\n", "key file line 1: the key id must be 1–32 letters, digits, '-' or '_'"),
        ("k1 \(materialA)\nk1 \(materialB)\n", "key file line 2: key id k1 appears twice"),
        ("# nothing here\n\n", "key file holds no keys"),
        ("", "key file holds no keys"),
    ])
    func refusesBadTextNamingTheLine(text: String, message: String) {
        let error = #expect(throws: VaultError.invalidKeys) { try KeyRing(parsing: text) }
        #expect(error?.description == message)
        // A misplaced key must never be echoed into a log.
        #expect(error?.description.contains(String(Self.materialA.prefix(12))) == false)
    }

    @Test func theSourceNamesTheFile() {
        let error = #expect(throws: VaultError.invalidKeys) {
            try KeyRing(parsing: "k1 nope", source: "key file /etc/kilpi/master.key")
        }
        #expect(error?.description == "key file /etc/kilpi/master.key line 1: not 32 bytes of base64")
    }

    @Test func addingNamesTheNewKeyAfterTheHighestNumber() throws {
        let key = { (id: String) in try VaultKey.generate(id: id) }
        #expect(try KeyRing(keys: [key("k1")]).adding().current.id == "k2")
        #expect(try KeyRing(keys: [key("k1"), key("k7"), key("legacy")]).adding().current.id == "k8")
        #expect(try KeyRing(keys: [key("legacy")]).adding().current.id == "k1")
        let ring = try KeyRing(keys: [key("k1")])
        let added = ring.adding()
        #expect(added.keys.count == 2)
        #expect(added.keys[0] == ring.keys[0])
        #expect(added.current.material != ring.current.material)
        #expect(ring.adding().current.material != added.current.material)
        let chosen = try key("2026-rotation")
        #expect(ring.adding(newKey: chosen).current == chosen)
    }

    @Test func retiringKeepsOnlyTheCurrentKey() throws {
        let ring = try KeyRing(keys: [VaultKey.generate(id: "k1")]).adding().adding()
        let retired = ring.retiringOldKeys()
        #expect(retired.keys == [ring.current])
        #expect(retired.adding().current.id == "k4")
    }

    @Test func refusesEmptyAndDuplicateRings() throws {
        #expect(throws: VaultError.invalidKeys) { try KeyRing(keys: []) }
        let key = try VaultKey.generate(id: "k1")
        #expect(throws: VaultError.invalidKeys) { try KeyRing(keys: [key, VaultKey.generate(id: "k1")]) }
    }

    @Test func keysValidateTheirIDAndLength() {
        #expect(throws: VaultError.invalidKeys) { try VaultKey(id: "", material: SymmetricKey(size: .bits256)) }
        #expect(throws: VaultError.invalidKeys) { try VaultKey(id: "k:1", material: SymmetricKey(size: .bits256)) }
        #expect(throws: VaultError.invalidKeys) { try VaultKey(id: "k 1", material: SymmetricKey(size: .bits256)) }
        #expect(throws: VaultError.invalidKeys) {
            try VaultKey(id: String(repeating: "k", count: 33), material: SymmetricKey(size: .bits256))
        }
        #expect(throws: VaultError.invalidKeys) { try VaultKey(id: "k1", material: SymmetricKey(size: .bits128)) }
        #expect(throws: Never.self) { try VaultKey(id: "K-2_x", material: SymmetricKey(size: .bits256)) }
    }

    @Test func descriptionsShowIDsButNeverMaterial() throws {
        let ring = try KeyRing(parsing: "k1 \(Self.materialA)\nk2 \(Self.materialB)")
        var dumped = ""
        dump(ring, to: &dumped)
        let texts = [
            String(describing: ring), String(reflecting: ring), String(describing: ring.current),
            String(reflecting: ring.current), dumped, "\(ring.keys)",
        ]
        #expect(String(describing: ring) == "KeyRing(k1, k2)")
        #expect(String(describing: ring.current) == "VaultKey(k2)")
        for text in texts {
            #expect(text.contains("k2"))
            #expect(!text.contains(String(Self.materialA.prefix(12))))
            #expect(!text.contains(String(Self.materialB.prefix(12))))
            #expect(!text.contains("161"))  // 0xA1 as a decimal byte
        }
    }
}
