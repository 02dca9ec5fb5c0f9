import Foundation
import KilpiCore

/// The rules for text people write into the support channel.
public enum SupportText {
    /// The most characters one message may have.
    public static let maximumLength = 5_000

    /// `text` with its ends trimmed and line ends made `\n`, or a refusal naming `field` (empty, too long).
    public static func checked(_ text: String, field: String = "text") throws -> String {
        let cleaned = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        if cleaned.isEmpty {
            throw SupportError.invalid(field, .l("write your message", "kirjoita viestisi"))
        }
        let maximum = maximumLength
        if cleaned.count > maximum {
            throw SupportError.invalid(
                field,
                .l(
                    "at most \(maximum) characters (this has \(cleaned.count))",
                    "enintään \(maximum) merkkiä (tässä on \(cleaned.count))"
                )
            )
        }
        return cleaned
    }
}
