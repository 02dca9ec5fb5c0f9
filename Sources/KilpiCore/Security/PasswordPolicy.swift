import Foundation

/// Why a password was refused, per NIST SP 800-63B §3.1.1.2.
public enum PasswordProblem: Error, Equatable, Sendable {
    /// Fewer Unicode characters (after NFC normalisation) than `minimum`.
    case tooShort(minimum: Int)
    /// More Unicode characters than `maximum`.
    case tooLong(maximum: Int)
    /// On the blocklist of breached and common passwords, or the account's own email address or its local part.
    case common
    /// A single repeated character or short pattern ("aaaa…", "abab…"), or a straight run such as "1234…" or "abcd…".
    case repetitive

    /// The problem explained in English, for people.
    public var message: String { message(.en) }

    /// The problem explained for a reader of `language`, the field named first as in every form error.
    public func message(_ language: Language) -> String {
        switch self {
        case .tooShort(let minimum):
            language.l(
                "password: at least \(minimum) characters are needed.",
                "password: salasanassa on oltava vähintään \(minimum) merkkiä."
            )
        case .tooLong(let maximum):
            language.l(
                "password: at most \(maximum) characters are allowed.",
                "password: salasanassa saa olla enintään \(maximum) merkkiä."
            )
        case .common:
            language.l(
                "password: this password is too common or too easy to guess. Please choose another one.",
                "password: salasana on liian yleinen tai helppo arvata. Valitse toinen salasana."
            )
        case .repetitive:
            language.l(
                "password: a repeated character or a simple sequence such as “aaaa” or “1234” is not allowed.",
                "password: salasana ei saa koostua toistuvista merkeistä tai suorasta sarjasta, kuten ”aaaa” tai ”1234”."
            )
        }
    }
}

/// The password rules of NIST SP 800-63B: length and a blocklist, with no composition rules and no expiry.
///
/// Composition rules ("must contain a digit") are deliberately absent: they push people to predictable
/// substitutions without adding strength, and 800-63B forbids them.
public struct PasswordPolicy: Sendable {
    /// Minimum length when the account has no second factor.
    public static let minimumWithoutSecondFactor = 15
    /// Minimum length when a second factor (TOTP) protects the account.
    public static let minimumWithSecondFactor = 8
    /// Maximum length; generous enough for pass phrases, small enough to bound hashing work.
    public static let maximum = 128

    /// The policy with the bundled list of common passwords, loaded once on first use.
    public static let standard = PasswordPolicy(blocklist: loadBundledBlocklist())

    /// Blocklist entries in canonical form (NFC, lowercase), so that lookups are case-insensitive.
    private let blocklist: Set<String>

    /// A policy refusing the passwords in `blocklist`; entries are compared case-insensitively.
    public init(blocklist: Set<String>) {
        self.blocklist = Set(blocklist.map(Self.canonical))
    }

    /// Everything wrong with `password`, in a stable order; an empty array means the password is acceptable.
    ///
    /// - Parameters:
    ///   - hasSecondFactor: whether the account is protected by a second factor, which lowers the minimum length.
    ///   - accountEmail: the account's email address; the password may be neither it nor its local part.
    public func problems(in password: String, hasSecondFactor: Bool, accountEmail: String? = nil) -> [PasswordProblem] {
        let normalized = password.precomposedStringWithCanonicalMapping
        let length = normalized.count
        let minimum = hasSecondFactor ? Self.minimumWithSecondFactor : Self.minimumWithoutSecondFactor
        var problems: [PasswordProblem] = []
        if length < minimum {
            problems.append(.tooShort(minimum: minimum))
        }
        if length > Self.maximum {
            problems.append(.tooLong(maximum: Self.maximum))
        }
        if isBlocklisted(normalized) || matchesEmail(normalized, accountEmail) {
            problems.append(.common)
        }
        if Self.isRepetitive(normalized) {
            problems.append(.repetitive)
        }
        return problems
    }

    /// Whether `password` is on the blocklist, ignoring case.
    public func isBlocklisted(_ password: String) -> Bool {
        blocklist.contains(Self.canonical(password))
    }

    private func matchesEmail(_ password: String, _ email: String?) -> Bool {
        guard let email, !email.isEmpty else { return false }
        let candidate = Self.canonical(password)
        let address = Self.canonical(email)
        if candidate == address { return true }
        guard let at = address.lastIndex(of: "@") else { return false }
        let localPart = address[..<at]
        return !localPart.isEmpty && candidate == localPart
    }

    private static func canonical(_ text: String) -> String {
        text.precomposedStringWithCanonicalMapping.lowercased()
    }

    /// A password built from one short unit repeated, or a straight run up or down the digits or the alphabet.
    ///
    /// Such passwords pass a length check while having almost no entropy: "aaaaaaaaaaaaaaaa",
    /// "abababababababab", "1234567890123456" and "zyxwvutsrqponmlk" are all found in the first guesses
    /// of any cracking tool.
    static func isRepetitive(_ password: String) -> Bool {
        let characters = Array(password.lowercased())
        guard characters.count >= 3 else { return false }
        return isRepeatedUnit(characters) || isStraightRun(characters)
    }

    /// Units of up to four characters: long enough for "abab" or "1212", short enough to leave
    /// repeated words ("correcthorsecorrecthorse") to the length rule.
    private static func isRepeatedUnit(_ characters: [Character]) -> Bool {
        for unitLength in 1...min(4, characters.count / 2) {
            var repeats = true
            for index in unitLength..<characters.count where characters[index] != characters[index - unitLength] {
                repeats = false
                break
            }
            if repeats { return true }
        }
        return false
    }

    private static func isStraightRun(_ characters: [Character]) -> Bool {
        isRun(characters, in: Array("0123456789")) || isRun(characters, in: Array("abcdefghijklmnopqrstuvwxyz"))
    }

    /// Every character follows the previous one by +1, or every one by −1, in `sequence`, wrapping round
    /// at its end ("…7890123…") because that is how people continue a run on the keyboard.
    private static func isRun(_ characters: [Character], in sequence: [Character]) -> Bool {
        var positions: [Int] = []
        positions.reserveCapacity(characters.count)
        for character in characters {
            guard let position = sequence.firstIndex(of: character) else { return false }
            positions.append(position)
        }
        let count = sequence.count
        let step = (positions[1] - positions[0] + count) % count
        guard step == 1 || step == count - 1 else { return false }
        for index in 1..<positions.count where (positions[index] - positions[index - 1] + count) % count != step {
            return false
        }
        return true
    }

    /// Reads the bundled list of common passwords, one a line.
    private static func loadBundledBlocklist() -> Set<String> {
        guard
            let url = Bundle.module.url(forResource: "common-passwords", withExtension: "txt"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else {
            // The list ships inside the package; running without it would silently accept "password123",
            // which is worse than refusing to start.
            fatalError("KilpiCore resource common-passwords.txt is missing from the bundle")
        }
        var entries = Set<String>()
        for line in text.split(whereSeparator: \.isNewline) {
            let entry = line.trimmingCharacters(in: .whitespaces)
            if !entry.isEmpty { entries.insert(entry) }
        }
        return entries
    }
}
