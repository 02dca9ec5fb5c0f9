import Crypto
import Foundation
import Testing

@testable import KilpiCore

@Suite("Vault field cipher")
struct VaultFieldCipherTests {
    static let samples = [
        "", "Maija Meikäläinen", "Åke Öhman-Ärräpää", "maija.meikalainen@example.fi", "+358 40 123 4567",
        "Työpajankatu 13 A 5, 00580 Helsinki", "131052-308T", "🙂 👩‍👩‍👧 Zoë", String(repeating: "ä", count: 5000),
    ]

    static func ring(_ ids: String..., seed: UInt8 = 1) -> KeyRing {
        try! KeyRing(
            keys: ids.enumerated().map { offset, id in
                try VaultKey(id: id, material: SymmetricKey(data: [UInt8](repeating: seed &+ UInt8(offset), count: 32)))
            }
        )
    }

    @Test func roundTripsUnicodeEmojiAndTheEmptyString() throws {
        let cipher = FieldCipher(ring: Self.ring("k1"))
        for sample in Self.samples {
            let sealed = try cipher.seal(sample, context: "customers.name")
            #expect(try cipher.open(sealed, context: "customers.name") == sample)
            // Byte-exact, not just canonically equivalent.
            #expect(Array(try cipher.open(sealed, context: "customers.name").utf8) == Array(sample.utf8))
        }
    }

    @Test func hasTheDocumentedTextFormat() throws {
        let sealed = try FieldCipher(ring: Self.ring("k1")).seal("Maija", context: "customers.name")
        let parts = sealed.split(separator: ":", omittingEmptySubsequences: false)
        #expect(parts.count == 3)
        #expect(parts[0] == "v2")
        #expect(parts[1] == "k1")
        // 12-byte nonce + 5 bytes + 16-byte tag = 33 bytes → 44 base64 digits, no padding.
        #expect(parts[2].count == 44)
        #expect(!parts[2].contains("="))
    }

    @Test func opensWithAnHKDFDerivedKeyAndTheColumnAndRowAsAssociatedData() throws {
        // Pins the format for anyone who must decrypt without this code (and catches a silent change of it).
        let ring = Self.ring("k1")
        let sealed = try FieldCipher(ring: ring).seal("Maija", context: "customers.name", row: "C-7")
        let payload = try #require(Data(base64Encoded: String(sealed.dropFirst(6)) + "="))
        #expect(payload.count == 12 + 5 + 16)
        let box = try AES.GCM.SealedBox(combined: payload)
        let fieldKey = HKDF<Crypto.SHA256>.deriveKey(
            inputKeyMaterial: ring.current.material,
            info: Array("kilpi field encryption v1".utf8),
            outputByteCount: 32
        )
        // v2: the column context, a zero byte, the row key.
        let opened = try AES.GCM.open(box, using: fieldKey, authenticating: Array("customers.name\u{0}C-7".utf8))
        #expect(String(decoding: opened, as: UTF8.self) == "Maija")
        // The master material itself is never the AES key.
        #expect(throws: (any Error).self) {
            try AES.GCM.open(box, using: ring.current.material, authenticating: Array("customers.name\u{0}C-7".utf8))
        }
    }

    @Test func sealingInBatchesMatchesSealingOneByOne() throws {
        let cipher = FieldCipher(ring: Self.ring("k1"))
        let fields: [(plaintext: String?, context: String)] = Self.samples.flatMap { sample in
            [(sample, "customers.name"), (nil, "customers.phone"), (sample, "customers.email")]
        }
        let sealed = try cipher.seal(fields)
        #expect(sealed.count == fields.count)
        for (field, text) in zip(fields, sealed) {
            guard let plaintext = field.plaintext else {
                #expect(text == nil)
                continue
            }
            let text = try #require(text)
            #expect(text.hasPrefix("v2:k1:") && !text.contains("="))
            #expect(text.count == (try cipher.seal(plaintext, context: field.context)).count)
            #expect(try cipher.open(text, context: field.context) == plaintext)
            // Bound to its own context, like a single seal.
            #expect(throws: VaultError.self) { try cipher.open(text, context: "customers.address") }
        }
        #expect(try cipher.seal([(plaintext: String?, context: String)]()).isEmpty)
    }

    @Test func batchNoncesAreFreshForEveryField() throws {
        // The same value sealed 3,000 times over two batches: every nonce, and so every text, differs.
        let cipher = FieldCipher(ring: Self.ring("k1"))
        let fields = [(plaintext: String?, context: String)](repeating: ("Maija", "customers.name"), count: 1500)
        let texts = try (cipher.seal(fields) + cipher.seal(fields)).map { try #require($0) }
        let nonces = try texts.map { text in
            try #require(Data(base64Encoded: String(text.dropFirst(6)) + "=")).prefix(12)
        }
        #expect(Set(texts).count == 3000)
        #expect(Set(nonces).count == 3000)
    }

    @Test func sealingTwiceGivesDifferentTexts() throws {
        let cipher = FieldCipher(ring: Self.ring("k1"))
        let texts = try (0..<50).map { _ in try cipher.seal("Maija Meikäläinen", context: "customers.name") }
        #expect(Set(texts).count == 50)
        let nonces = texts.map { $0.split(separator: ":")[2].prefix(16) }
        #expect(Set(nonces).count == 50)
    }

    @Test func aCiphertextDoesNotOpenInAnotherContext() throws {
        let cipher = FieldCipher(ring: Self.ring("k1"))
        let sealed = try cipher.seal("maija@example.fi", context: "customers.email")
        #expect(throws: VaultError.cannotDecrypt) { try cipher.open(sealed, context: "customers.name") }
        #expect(throws: VaultError.cannotDecrypt) { try cipher.open(sealed, context: "customers.email ") }
        #expect(try cipher.open(sealed, context: "customers.email") == "maija@example.fi")
    }

    @Test func aCiphertextDoesNotOpenInAnotherRow() throws {
        let cipher = FieldCipher(ring: Self.ring("k1"))
        let sealed = try cipher.seal("maija@example.fi", context: "customers.email", row: "C-1")
        #expect(try cipher.open(sealed, context: "customers.email", row: "C-1") == "maija@example.fi")
        #expect(throws: VaultError.cannotDecrypt) { try cipher.open(sealed, context: "customers.email", row: "C-2") }
        #expect(throws: VaultError.cannotDecrypt) { try cipher.open(sealed, context: "customers.email") }
        // The zero byte between column and row: moving characters from one to the other changes the data.
        #expect(throws: VaultError.cannotDecrypt) { try cipher.open(sealed, context: "customers.emailC", row: "-1") }
        // A batch binds each field to its own row.
        let batch = try cipher.seal([
            (plaintext: "a@example.fi", context: "customers.email", row: "A"),
            (plaintext: "b@example.fi", context: "customers.email", row: "B"),
        ])
        let a = try #require(batch[0])
        let b = try #require(batch[1])
        #expect(try cipher.open(a, context: "customers.email", row: "A") == "a@example.fi")
        #expect(try cipher.open(b, context: "customers.email", row: "B") == "b@example.fi")
        #expect(throws: VaultError.cannotDecrypt) { try cipher.open(a, context: "customers.email", row: "B") }
    }

    /// Texts written before fields were bound to rows open with their column context until a rotation re-seals
    /// them as v2.
    @Test func v1TextsOpenUnderTheirColumnAndAreResealedBoundToTheRow() throws {
        let cipher = FieldCipher(ring: Self.ring("k1"))
        let old = try cipher.sealLegacy("Maija", context: "customers.name")
        #expect(old.hasPrefix("v1:k1:") && cipher.isLegacy(old))
        #expect(try cipher.open(old, context: "customers.name", row: "C-1") == "Maija")
        #expect(throws: VaultError.cannotDecrypt) { try cipher.open(old, context: "customers.email", row: "C-1") }
        #expect(cipher.needsReencryption(old))
        let new = try cipher.reencrypt(old, context: "customers.name", row: "C-1")
        #expect(new.hasPrefix("v2:k1:") && !cipher.isLegacy(new) && !cipher.needsReencryption(new))
        #expect(try cipher.open(new, context: "customers.name", row: "C-1") == "Maija")
        #expect(throws: VaultError.cannotDecrypt) { try cipher.open(new, context: "customers.name", row: "C-2") }
    }

    // 33-, 32- and 31-byte payloads: the last base64 digit carries 0, 2 and 4 bits that a lax decoder ignores.
    @Test(arguments: ["Matti", "Matt", "Mat"])
    func changingAnyCharacterOfThePayloadFails(plaintext: String) throws {
        let cipher = FieldCipher(ring: Self.ring("k1"))
        let sealed = try cipher.seal(plaintext, context: "customers.name")
        let prefix = "v2:k1:"
        let payload = Array(sealed.dropFirst(prefix.count))
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        for position in payload.indices {
            // The neighbouring base64 digit flips the lowest bit of the 6 this digit holds; in the last digit
            // those are bits a lax decoder would ignore.
            let index = alphabet.firstIndex(of: payload[position])!
            for replacement in [alphabet[index ^ 1], alphabet[(index + 32) % 64], "*"] {
                var altered = payload
                altered[position] = replacement
                #expect(throws: VaultError.cannotDecrypt, "position \(position) → \(replacement)") {
                    try cipher.open(prefix + String(altered), context: "customers.name")
                }
            }
        }
        #expect(throws: VaultError.cannotDecrypt) { try cipher.open(sealed + "A", context: "customers.name") }
        #expect(throws: VaultError.cannotDecrypt) { try cipher.open(sealed + "=", context: "customers.name") }
        #expect(throws: VaultError.cannotDecrypt) {
            try cipher.open(String(sealed.dropLast()), context: "customers.name")
        }
        #expect(try cipher.open(sealed, context: "customers.name") == plaintext)
    }

    @Test func malformedTextIsRefused() {
        let cipher = FieldCipher(ring: Self.ring("k1"))
        for text in [
            "", "Matti", "v1:k1:", "v1:k1:AAAA", "v3:k1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "v1::AAAA",
            "v2:k1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "v1:k 1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        ] {
            #expect(throws: VaultError.cannotDecrypt, "\(text)") { try cipher.open(text, context: "c") }
            #expect(cipher.keyID(of: text) == nil || text.hasPrefix("v1:k1:") || text.hasPrefix("v2:k1:"))
        }
    }

    @Test func anUnknownKeyIDIsNamedAsSuch() throws {
        let sealed = try FieldCipher(ring: Self.ring("k1")).seal("Matti", context: "c")
        let other = FieldCipher(ring: Self.ring("k2"))
        let error = #expect(throws: VaultError.unknownKeyID) { try other.open(sealed, context: "c") }
        #expect(error?.description.contains("k1") == true)
        // Same id, different material: a wrong key, which GCM detects.
        let sameIDOtherKey = FieldCipher(ring: Self.ring("k1", seed: 99))
        #expect(throws: VaultError.cannotDecrypt) { try sameIDOtherKey.open(sealed, context: "c") }
    }

    @Test func relabellingTheKeyIDFails() throws {
        let cipher = FieldCipher(ring: Self.ring("k1", "k2"))
        let sealed = try cipher.seal("Matti", context: "c")
        #expect(sealed.hasPrefix("v2:k2:"))
        let relabelled = "v2:k1:" + sealed.dropFirst(6)
        #expect(throws: VaultError.cannotDecrypt) { try cipher.open(relabelled, context: "c") }
    }

    @Test func rotationKeepsOldTextsOpenUntilTheOldKeyIsRetired() throws {
        let first = Self.ring("k1")
        let old = try FieldCipher(ring: first).seal("Maija", context: "customers.name")

        let rotating = first.adding()
        #expect(rotating.keys.map(\.id) == ["k1", "k2"])
        let cipher = FieldCipher(ring: rotating)
        #expect(cipher.currentKeyID == "k2")
        #expect(try cipher.open(old, context: "customers.name") == "Maija")
        let new = try cipher.seal("Matti", context: "customers.name")
        #expect(cipher.keyID(of: new) == "k2")
        #expect(cipher.keyID(of: old) == "k1")
        #expect(cipher.needsReencryption(old))
        #expect(!cipher.needsReencryption(new))

        let reencrypted = try cipher.reencrypt(old, context: "customers.name")
        #expect(cipher.keyID(of: reencrypted) == "k2")
        #expect(try cipher.open(reencrypted, context: "customers.name") == "Maija")
        #expect(try cipher.reencrypt(new, context: "customers.name") == new)
        #expect(throws: VaultError.cannotDecrypt) { try cipher.reencrypt(old, context: "customers.email") }

        let retired = FieldCipher(ring: rotating.retiringOldKeys())
        #expect(throws: VaultError.unknownKeyID) { try retired.open(old, context: "customers.name") }
        #expect(try retired.open(reencrypted, context: "customers.name") == "Maija")
        #expect(try retired.open(new, context: "customers.name") == "Matti")
    }

    @Test func optionalsStayNil() throws {
        let cipher = FieldCipher(ring: Self.ring("k1"))
        #expect(try cipher.sealOptional(nil, context: "c") == nil)
        #expect(try cipher.openOptional(nil, context: "c") == nil)
        let sealed = try #require(try cipher.sealOptional("Maija", context: "c"))
        #expect(try cipher.openOptional(sealed, context: "c") == "Maija")
    }

    @Test func theCiphertextNeverContainsThePlaintext() throws {
        let cipher = FieldCipher(ring: Self.ring("k1"))
        for sample in Self.samples where sample.utf8.count >= 4 {
            let sealed = try cipher.seal(sample, context: "customers.name")
            #expect(!sealed.contains(sample))
            #expect(!sealed.lowercased().contains(sample.lowercased()))
            let payload = try #require(
                Data(
                    base64Encoded: String(sealed.dropFirst(6)).padding(
                        toLength: (sealed.count - 6 + 3) / 4 * 4,
                        withPad: "=",
                        startingAt: 0
                    )
                )
            )
            #expect(payload.range(of: Data(sample.utf8)) == nil)
            // Not merely encoded either.
            #expect(!sealed.contains(Data(sample.utf8).base64EncodedString().prefix(8)))
        }
    }

    @Test func errorDescriptionsNeverContainPlaintextOrKeys() throws {
        let ring = Self.ring("k1", "k2")
        let cipher = FieldCipher(ring: ring)
        let secret = "Maija Meikäläinen"
        let sealed = try cipher.seal(secret, context: "customers.name")
        var errors: [VaultError] = []
        func collect(_ body: () throws -> String) {
            do { _ = try body() } catch let error as VaultError { errors.append(error) } catch {}
        }
        collect { try cipher.open(sealed, context: "customers.email") }
        collect {
            try cipher.open(String(sealed.dropLast()) + (sealed.hasSuffix("A") ? "B" : "A"), context: "customers.name")
        }
        collect { try FieldCipher(ring: Self.ring("k9")).open(sealed, context: "customers.name") }
        collect { try cipher.open(secret, context: "customers.name") }
        collect { try cipher.open("v1:k1:" + secret, context: "customers.name") }
        #expect(errors.count == 5)
        let keyTexts = ring.keys.map { $0.material.withUnsafeBytes { Data($0).base64EncodedString() } }
        for error in errors {
            #expect(error.description.hasPrefix("cannot decrypt customers."))
            #expect(!error.description.contains(secret))
            #expect(!error.description.contains("Maija"))
            #expect(!error.description.contains(String(sealed.dropFirst(6).prefix(10))))
            for key in keyTexts { #expect(!error.description.contains(key)) }
        }
    }
}
