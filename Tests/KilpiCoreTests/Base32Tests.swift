import KilpiCore
import Testing

@Suite("Base32")
struct Base32Tests {
    /// RFC 4648 §10, with the padding that `encode` leaves out.
    static let vectors: [(plain: String, encoded: String)] = [
        ("", ""),
        ("f", "MY======"),
        ("fo", "MZXQ===="),
        ("foo", "MZXW6==="),
        ("foob", "MZXW6YQ="),
        ("fooba", "MZXW6YTB"),
        ("foobar", "MZXW6YTBOI======"),
    ]

    @Test(arguments: vectors.indices)
    func encodesRFC4648Vectors(index: Int) {
        let vector = Self.vectors[index]
        let unpadded = vector.encoded.filter { $0 != "=" }
        #expect(Base32.encode(Array(vector.plain.utf8)) == unpadded)
    }

    @Test(arguments: vectors.indices)
    func decodesRFC4648Vectors(index: Int) {
        let vector = Self.vectors[index]
        let plain = Array(vector.plain.utf8)
        #expect(Base32.decode(vector.encoded) == plain)
        #expect(Base32.decode(vector.encoded.filter { $0 != "=" }) == plain)
        #expect(Base32.decode(vector.encoded.lowercased()) == plain)
    }

    @Test func decodeIgnoresSpacesAndCase() {
        #expect(Base32.decode("mzxw 6ytb oi") == Array("foobar".utf8))
        #expect(Base32.decode("GEZD GNBV GY3T QOJQ\nGEZD GNBV GY3T QOJQ") == Array("12345678901234567890".utf8))
    }

    @Test func decodeRefusesForeignCharacters() {
        for text in ["MZXW6YT1", "MZXW6YT0", "MZXW6YT8", "MZXW-6YTB", "MZXW6YTÄ", "MZXW6YT!"] {
            #expect(Base32.decode(text) == nil, "\(text)")
        }
    }

    @Test func decodeRefusesImpossibleLengths() {
        for text in ["M", "MZX", "MZXW6Y", "MZXW6YTBM"] {
            #expect(Base32.decode(text) == nil, "\(text)")
        }
    }

    @Test func roundTripsEveryLength() {
        for length in 0...41 {
            let bytes = SecureRandom.bytes(length)
            let encoded = Base32.encode(bytes)
            #expect(encoded.count == (length * 8 + 4) / 5)
            #expect(Base32.decode(encoded) == bytes)
        }
    }
}
