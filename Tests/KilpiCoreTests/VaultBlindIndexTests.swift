import Crypto
import Foundation
import KilpiCore
import Testing

@Suite("Vault blind index")
struct VaultBlindIndexTests {
    static func ring(seed: UInt8) -> KeyRing {
        try! KeyRing(keys: [VaultKey(id: "k1", material: SymmetricKey(data: [UInt8](repeating: seed, count: 32)))])
    }

    @Test func isDeterministicHexOfTheFullMAC() {
        let index = BlindIndex(ring: Self.ring(seed: 1))
        let first = index.index("maija@example.fi", purpose: "email")
        #expect(first == index.index("maija@example.fi", purpose: "email"))
        #expect(first == BlindIndex(ring: Self.ring(seed: 1)).index("maija@example.fi", purpose: "email"))
        #expect(first.count == 64)
        #expect(first.allSatisfy { "0123456789abcdef".contains($0) })
        #expect(first != index.index("maija@example.fj", purpose: "email"))
        #expect(!first.contains("maija"))
    }

    @Test func oneIndexIsSafeToShareAcrossThreads() {
        // The keyed HMAC states are cached and shared; each use must work on its own copy.
        let shared = BlindIndex(ring: Self.ring(seed: 5).adding())
        let values = (0..<400).map { "customer\($0)@example.fi" }
        let expected = values.map { BlindIndex(ring: Self.ring(seed: 5)).index($0, purpose: "email") }
        let results = IndexResults(count: values.count)
        DispatchQueue.concurrentPerform(iterations: values.count) { i in
            let purpose = i % 2 == 0 ? "email" : "phone"
            results.set(i, shared.allIndexes(values[i], purpose: purpose).last ?? "")
        }
        for i in values.indices where i % 2 == 0 {
            #expect(results.values[i] == expected[i])
        }
        for i in values.indices where i % 2 == 1 {
            #expect(results.values[i] == BlindIndex(ring: Self.ring(seed: 5)).index(values[i], purpose: "phone"))
        }
    }

    @Test func matchesTheDocumentedDerivation() {
        // Every stored index depends on this; a refactor that changes it would orphan them all.
        let ring = Self.ring(seed: 7)
        let key = HKDF<Crypto.SHA256>.deriveKey(
            inputKeyMaterial: ring.current.material,
            info: Array("kilpi blind index v1:email".utf8),
            outputByteCount: 32
        )
        let mac = HMAC<Crypto.SHA256>.authenticationCode(for: Array("maija@example.fi".utf8), using: key)
        let expected = Array(mac).map { String(format: "%02x", $0) }.joined()
        #expect(BlindIndex(ring: ring).index("maija@example.fi", purpose: "email") == expected)
    }

    @Test func differsAcrossPurposesAndKeys() {
        let one = BlindIndex(ring: Self.ring(seed: 1))
        let two = BlindIndex(ring: Self.ring(seed: 2))
        let value = "+358401234567"
        #expect(one.index(value, purpose: "phone") != one.index(value, purpose: "email"))
        #expect(one.index(value, purpose: "phone") != one.index(value, purpose: "phone2"))
        #expect(one.index(value, purpose: "phone") != two.index(value, purpose: "phone"))
    }

    @Test func allIndexesCoverEveryKeyDuringARotation() {
        let before = Self.ring(seed: 1)
        let during = before.adding()
        let oldIndex = BlindIndex(ring: before).index("maija@example.fi", purpose: "email")
        let newIndex = BlindIndex(ring: during).index("maija@example.fi", purpose: "email")
        #expect(oldIndex != newIndex)
        let all = BlindIndex(ring: during).allIndexes("maija@example.fi", purpose: "email")
        #expect(all == [newIndex, oldIndex])
        #expect(
            BlindIndex(ring: during.retiringOldKeys()).allIndexes("maija@example.fi", purpose: "email") == [newIndex]
        )
    }

    @Test(arguments: [
        ("  Maija.Meikäläinen@Example.FI ", "maija.meikäläinen@example.fi"),
        ("\tMATTI@EXAMPLE.COM\n", "matti@example.com"),
        ("first.last+news@gmail.com", "first.last+news@gmail.com"),
        ("A\u{0308}ITI@ESIMERKKI.FI", "\u{00E4}iti@esimerkki.fi"),
        ("ÅSA@EXAMPLE.SE", "åsa@example.se"),
        // "T" + combining diaeresis has no composed capital, but its lower case composes to "ẗ" (U+1E97):
        // NFC is needed after lower-casing too.
        ("MAT\u{0308}TI@EXAMPLE.FI", "ma\u{1E97}ti@example.fi"),
    ])
    func normalizesEmail(input: String, expected: String) {
        let normalized = BlindIndex.normalizeEmail(input)
        #expect(Array(normalized.utf8) == Array(expected.utf8))
    }

    @Test func asciiAndUnicodeInputsNormaliseLikeTheReferenceDefinition() {
        func reference(_ text: String) -> String {
            text.trimmingCharacters(in: .whitespacesAndNewlines).precomposedStringWithCanonicalMapping
                .lowercased().precomposedStringWithCanonicalMapping
        }
        var inputs = (0..<128).map { "\u{20}\t Ab\(Character(Unicode.Scalar(UInt8($0))))Z@X.fi\r\n" }
        inputs += (0..<128).map { String(Character(Unicode.Scalar(UInt8($0)))) }
        inputs += [
            "", "   ", "\n", "\u{A0}Maija@x.fi\u{2003}", "\u{85}MATTI@X.FI", "İLKKA@X.FI", "ÉMILE@X.FR", "Zoë@X",
        ]
        for input in inputs {
            #expect(
                Array(BlindIndex.normalizeEmail(input).utf8) == Array(reference(input).utf8),
                "\(Array(input.utf8))"
            )
        }
    }

    @Test func emailIndexNormalisesFirst() {
        let index = BlindIndex(ring: Self.ring(seed: 3))
        let expected = index.index("maija.meikäläinen@example.fi", purpose: "email")
        #expect(index.emailIndex("  Maija.Meikäläinen@Example.FI ") == expected)
        // Decomposed "ä" (a + combining diaeresis), as some keyboards and macOS file names produce.
        #expect(index.emailIndex("maija.meika\u{0308}la\u{0308}inen@example.fi") == expected)
        #expect(index.allEmailIndexes("MAIJA.MEIKÄLÄINEN@EXAMPLE.FI") == [expected])
        #expect(index.emailIndex("maijameikäläinen@example.fi") != expected)
    }
}

/// Collects results from `concurrentPerform`'s threads.
private final class IndexResults: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String]

    init(count: Int) { stored = Array(repeating: "", count: count) }

    func set(_ index: Int, _ value: String) { lock.withLock { stored[index] = value } }

    var values: [String] { lock.withLock { stored } }
}
