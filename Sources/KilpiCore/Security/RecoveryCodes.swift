/// One-time recovery codes, for signing in when the second-factor device is lost.
///
/// Only `hash(_:)` of each code is stored; the codes themselves are shown once.
public enum RecoveryCodes {
    /// How many codes a user is given at a time.
    public static let count = 10

    /// Digits and lowercase letters without 0, o, 1, l and i, which are misread when copied from paper.
    static let alphabet = Array("23456789abcdefghjkmnpqrstuvwxyz")

    /// Symbols per group, and groups per code: 12 symbols of a 31-symbol alphabet carry 59 bits.
    static let groupLength = 4
    static let groupCount = 3

    /// `count` distinct codes like "k7pm-3xqa-9fde", each with about 59 bits of entropy.
    public static func generate(count: Int = RecoveryCodes.count) -> [String] {
        var generator = SystemRandomNumberGenerator()
        var codes: [String] = []
        var seen = Set<String>()
        // A collision is astronomically unlikely, but two equal codes would make one of them useless,
        // so the set makes distinctness a guarantee rather than a likelihood.
        while codes.count < max(0, count) {
            let code = makeCode(using: &generator)
            if seen.insert(code).inserted {
                codes.append(code)
            }
        }
        return codes
    }

    /// What the user typed in canonical form: lowercase, without spaces or dashes.
    public static func normalize(_ code: String) -> String {
        String(code.lowercased().filter { $0 != "-" && !$0.isWhitespace })
    }

    /// The SHA-256 hex of the normalized code.
    ///
    /// A fast hash is enough because the codes are random and long: there is no dictionary to run against it.
    public static func hash(_ code: String) -> String {
        Digest.sha256Hex(normalize(code))
    }

    private static func makeCode(using generator: inout SystemRandomNumberGenerator) -> String {
        var groups: [String] = []
        for _ in 0..<groupCount {
            var group = ""
            for _ in 0..<groupLength {
                // `randomElement(using:)` draws without modulo bias.
                if let symbol = alphabet.randomElement(using: &generator) {
                    group.append(symbol)
                }
            }
            groups.append(group)
        }
        return groups.joined(separator: "-")
    }
}
