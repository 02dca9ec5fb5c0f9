/// The short code every notice carries so that its reader can tell it from a phisher's copy: the trust center has a
/// public page where anyone can type a code and learn whether it belongs to a real notice of ours (and nothing else).
///
/// Eight symbols of Crockford's base32 (`0–9` and `A–Z` without `I`, `L`, `O`, `U`), shown as two groups of four:
/// `K7M4-Q2XD`. That is 40 random bits from the operating system's CSPRNG: with a million notices out, a guess hits
/// one with a chance of about one in a million, and the trust center limits how fast anyone may guess. Only the
/// code's blind index is stored for the look-up (the store seals the code itself so the worker can print it).
public struct NoticeReferenceCode: Sendable, Hashable, CustomStringConvertible {
    /// The 32 symbols, in the order of their 5-bit values.
    public static let alphabet: [Character] = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
    /// Symbols in a code (without the dash).
    public static let length = 8

    /// The eight symbols without the dash, upper case: the form that is hashed and compared.
    public let canonical: String

    private init(canonical: String) { self.canonical = canonical }

    /// A new random code.
    public static func generate() -> NoticeReferenceCode {
        // 5 bytes = 40 bits = exactly eight 5-bit symbols, so every symbol is uniform.
        let bytes = SecureRandom.bytes(5)
        var value: UInt64 = 0
        for byte in bytes { value = (value << 8) | UInt64(byte) }
        var symbols = ""
        for index in (0..<length).reversed() {
            symbols.append(alphabet[Int((value >> UInt64(index * 5)) & 0x1F)])
        }
        return NoticeReferenceCode(canonical: symbols)
    }

    /// A code as a person typed it from a letter or a mail: any case, spaces and dashes anywhere (or none), and the
    /// letters people confuse with digits read as Crockford says (`O` → `0`, `I` and `L` → `1`). Nil when what is
    /// left is not eight symbols of the alphabet.
    public init?(typed: String) {
        var symbols = ""
        for character in typed.uppercased() {
            if character == "-" || character.isWhitespace { continue }
            let symbol: Character =
                switch character {
                case "O": "0"
                case "I", "L": "1"
                default: character
                }
            guard Self.alphabet.contains(symbol) else { return nil }
            symbols.append(symbol)
            if symbols.count > Self.length { return nil }
        }
        guard symbols.count == Self.length else { return nil }
        self.init(canonical: symbols)
    }

    /// The code as printed in a notice: `K7M4-Q2XD`.
    public var formatted: String { "\(canonical.prefix(4))-\(canonical.dropFirst(4))" }

    public var description: String { formatted }
}
