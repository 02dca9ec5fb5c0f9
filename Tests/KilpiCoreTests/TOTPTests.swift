import Foundation
import KilpiCore
import Testing

@Suite("TOTP")
struct TOTPTests {
    struct Vector: Sendable, CustomTestStringConvertible {
        var time: TimeInterval
        var algorithm: TOTP.Algorithm
        var code: String
        var testDescription: String { "\(algorithm.rawValue) at \(Int64(time))" }
    }

    /// RFC 6238 Appendix B: 8 digits, 30-second period.
    static let vectors: [Vector] = [
        Vector(time: 59, algorithm: .sha1, code: "94287082"),
        Vector(time: 59, algorithm: .sha256, code: "46119246"),
        Vector(time: 59, algorithm: .sha512, code: "90693936"),
        Vector(time: 1_111_111_109, algorithm: .sha1, code: "07081804"),
        Vector(time: 1_111_111_109, algorithm: .sha256, code: "68084774"),
        Vector(time: 1_111_111_109, algorithm: .sha512, code: "25091201"),
        Vector(time: 1_111_111_111, algorithm: .sha1, code: "14050471"),
        Vector(time: 1_111_111_111, algorithm: .sha256, code: "67062674"),
        Vector(time: 1_111_111_111, algorithm: .sha512, code: "99943326"),
        Vector(time: 1_234_567_890, algorithm: .sha1, code: "89005924"),
        Vector(time: 1_234_567_890, algorithm: .sha256, code: "91819424"),
        Vector(time: 1_234_567_890, algorithm: .sha512, code: "93441116"),
        Vector(time: 2_000_000_000, algorithm: .sha1, code: "69279037"),
        Vector(time: 2_000_000_000, algorithm: .sha256, code: "90698825"),
        Vector(time: 2_000_000_000, algorithm: .sha512, code: "38618901"),
        Vector(time: 20_000_000_000, algorithm: .sha1, code: "65353130"),
        Vector(time: 20_000_000_000, algorithm: .sha256, code: "77737706"),
        Vector(time: 20_000_000_000, algorithm: .sha512, code: "47863826"),
    ]

    /// The RFC's seeds: "1234567890" repeated to the hash's own length (20, 32, 64 bytes).
    static func seed(for algorithm: TOTP.Algorithm) -> [UInt8] {
        let length =
            switch algorithm {
            case .sha1: 20
            case .sha256: 32
            case .sha512: 64
            }
        return Array(String(repeating: "1234567890", count: 7).utf8.prefix(length))
    }

    static let rfcSecret = Array("12345678901234567890".utf8)

    @Test(arguments: vectors)
    func matchesRFC6238AppendixB(vector: Vector) {
        let totp = TOTP(secret: Self.seed(for: vector.algorithm), digits: 8, algorithm: vector.algorithm)
        let date = Date(timeIntervalSince1970: vector.time)
        #expect(totp.code(at: date) == vector.code)
        #expect(totp.match(vector.code, at: date) == totp.timeStep(at: date))
    }

    @Test func seedsHaveTheRFCLengths() {
        #expect(Self.seed(for: .sha1).count == 20)
        #expect(Self.seed(for: .sha256) == Array("12345678901234567890123456789012".utf8))
        #expect(Self.seed(for: .sha512).count == 64)
    }

    @Test func sixDigitCodesMatchRFC4226AppendixD() {
        // HOTP values for counters 0…9; TOTP is HOTP with the time step as counter.
        let expected = [
            "755224", "287082", "359152", "969429", "338314",
            "254676", "287922", "162583", "399871", "520489",
        ]
        let totp = TOTP(secret: Self.rfcSecret)
        for (step, code) in expected.enumerated() {
            #expect(totp.code(forStep: Int64(step)) == code)
        }
    }

    @Test func timeStepIsWholePeriodsSinceEpoch() {
        let totp = TOTP(secret: Self.rfcSecret)
        #expect(totp.timeStep(at: Date(timeIntervalSince1970: 0)) == 0)
        #expect(totp.timeStep(at: Date(timeIntervalSince1970: 29.999)) == 0)
        #expect(totp.timeStep(at: Date(timeIntervalSince1970: 30)) == 1)
        #expect(totp.timeStep(at: Date(timeIntervalSince1970: 1_111_111_109)) == 37_037_036)
        #expect(totp.timeStep(at: Date(timeIntervalSince1970: 20_000_000_000)) == 666_666_666)
        let minute = TOTP(secret: Self.rfcSecret, period: 60)
        #expect(minute.timeStep(at: Date(timeIntervalSince1970: 119)) == 1)
    }

    @Test func acceptsOneStepEitherSide() {
        let totp = TOTP(secret: Self.rfcSecret)
        let now = Date(timeIntervalSince1970: 1_700_000_015)
        let step = totp.timeStep(at: now)
        #expect(totp.match(totp.code(forStep: step), at: now) == step)
        #expect(totp.match(totp.code(forStep: step - 1), at: now) == step - 1)
        #expect(totp.match(totp.code(forStep: step + 1), at: now) == step + 1)
    }

    @Test func rejectsTwoStepsAway() {
        let totp = TOTP(secret: Self.rfcSecret)
        let now = Date(timeIntervalSince1970: 1_700_000_015)
        let step = totp.timeStep(at: now)
        let early = totp.code(forStep: step - 2)
        let late = totp.code(forStep: step + 2)
        // Guard against the one-in-a-million case where a far code equals a near one by chance.
        let near = Set((step - 1...step + 1).map { totp.code(forStep: $0) })
        #expect(!near.contains(early) && !near.contains(late))
        #expect(totp.match(early, at: now) == nil)
        #expect(totp.match(late, at: now) == nil)
        #expect(totp.match(early, at: now, window: 2) == step - 2)
        #expect(totp.match(late, at: now, window: 2) == step + 2)
        #expect(totp.match(totp.code(forStep: step - 1), at: now, window: 0) == nil)
        #expect(totp.match(totp.code(forStep: step), at: now, window: 0) == step)
    }

    @Test func matchIgnoresSpacesAndRefusesOtherInput() {
        let totp = TOTP(secret: Self.rfcSecret)
        let now = Date(timeIntervalSince1970: 59)
        let code = totp.code(at: now)  // "287082"
        #expect(code == "287082")
        #expect(totp.match("287 082", at: now) == 1)
        #expect(totp.match(" 287082 ", at: now) == 1)
        #expect(totp.match("287-082", at: now) == nil)
        #expect(totp.match("28708", at: now) == nil)
        #expect(totp.match("2870820", at: now) == nil)
        #expect(totp.match("２８７０８２", at: now) == nil)
        #expect(totp.match("", at: now) == nil)
        #expect(totp.match("287083", at: now) == nil)
    }

    @Test func generatedSecretsAreTwentyRandomBytes() {
        let first = TOTP.generateSecret()
        #expect(first.count == 20)
        #expect(first != TOTP.generateSecret())
    }

    @Test func provisioningURIEncodesLabelAndParameters() throws {
        let totp = TOTP(secret: Self.rfcSecret)
        let uri = totp.provisioningURI(account: "anna@example.fi", issuer: "Kilpi Oy")
        #expect(
            uri == "otpauth://totp/Kilpi%20Oy:anna%40example.fi?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
                + "&issuer=Kilpi%20Oy&algorithm=SHA1&digits=6&period=30"
        )

        let tricky = TOTP(secret: Self.rfcSecret, digits: 8, period: 60, algorithm: .sha512)
            .provisioningURI(account: "a&b:c?d=e/ä", issuer: "Kilpi & Co")
        #expect(tricky.hasPrefix("otpauth://totp/Kilpi%20%26%20Co:a%26b%3Ac%3Fd%3De%2F%C3%A4?"))
        let components = try #require(URLComponents(string: tricky))
        #expect(components.scheme == "otpauth")
        #expect(components.host == "totp")
        #expect(components.path == "/Kilpi & Co:a&b:c?d=e/ä")
        let items = Dictionary(uniqueKeysWithValues: (components.queryItems ?? []).map { ($0.name, $0.value ?? "") })
        #expect(
            items == [
                "secret": "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
                "issuer": "Kilpi & Co",
                "algorithm": "SHA512",
                "digits": "8",
                "period": "60",
            ]
        )
    }
}
