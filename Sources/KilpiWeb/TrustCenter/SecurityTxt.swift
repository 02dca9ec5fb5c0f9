import Foundation
import KilpiCore

/// `/.well-known/security.txt` (RFC 9116) from the server's settings: where to report a vulnerability, the
/// disclosure policy, the languages reports are read in, and an expiry.
///
/// Without a configured contact there is no file (404): an invented address would send reports nowhere, which is
/// worse than none. The file is built when asked, from the live settings, so it is never staler than they are;
/// `Expires` is the end of the day a month ahead (§2.5.5 asks for under a year), the same all day long so a cache
/// can keep it.
public struct SecurityTxt: Sendable, Equatable {
    /// `mailto:`, `https:` or `tel:` URIs, most preferred first (§2.5.3).
    var contacts: [String]
    /// The vulnerability-disclosure policy (an https URL), if the company has one (§2.5.7).
    var policy: String?
    /// The https URL the file is served at (§2.5.2), if it has one.
    var canonical: String?

    /// What is wrong with a contact or policy value, or nil: the value is a line of the file, so a line break would
    /// let it write fields of its own.
    public static func problem(contact value: String) -> String? {
        if value.contains(where: { $0.isNewline || $0.asciiValue.map { $0 < 0x20 || $0 == 0x7F } == true }) {
            return "\(value.debugDescription) holds a control character or line break"
        }
        let lowered = value.lowercased()
        if lowered.hasPrefix("mailto:") {
            return EmailAddress.isPlausible(String(value.dropFirst(7)))
                ? nil : "\(value.debugDescription): the address after mailto: is not an email address"
        }
        if lowered.hasPrefix("tel:") {
            // RFC 3966: an optional leading +, then digits and visual separators; no spaces.
            let written = value.dropFirst(4)
            let number = written.hasPrefix("+") ? written.dropFirst() : written
            return number.contains(where: { ("0"..."9").contains($0) })
                && number.allSatisfy({ ("0"..."9").contains($0) || "-.()".contains($0) })
                ? nil : "\(value.debugDescription): the number after tel: holds other characters than digits"
        }
        if lowered.hasPrefix("https://") { return problem(url: value) }
        return "\(value.debugDescription) is neither mailto:, tel: nor https:// (RFC 9116 §2.5.3)"
    }

    public static func problem(url value: String) -> String? {
        if value.contains(where: {
            !$0.isASCII || $0.isNewline || $0.isWhitespace || $0.asciiValue! < 0x20 || $0.asciiValue == 0x7F
        }) {
            return
                "\(value.debugDescription) holds a space, a control character, a line break or a character outside ASCII (encode it)"
        }
        guard let url = URL(string: value), url.scheme?.lowercased() == "https", let host = url.host, !host.isEmpty
        else { return "\(value.debugDescription) is not an https:// URL (RFC 9116 asks for https)" }
        return nil
    }

    /// The file, lines ending in CRLF as §3 allows and many readers expect.
    func text(now: Date) -> String {
        var lines = contacts.map { "Contact: \($0)" }
        lines.append("Expires: \(Self.expiry(after: now))")
        if let policy { lines.append("Policy: \(policy)") }
        lines.append("Preferred-Languages: \(Language.allCases.map(\.rawValue).joined(separator: ", "))")
        if let canonical { lines.append("Canonical: \(canonical)") }
        return lines.map { $0 + "\r\n" }.joined()
    }

    /// The end of the UTC day 30 days after `now`, as RFC 3339 (`2027-01-02T23:59:59Z`).
    static func expiry(after now: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let day = calendar.startOfDay(for: now.addingTimeInterval(30 * 86_400))
        let parts = calendar.dateComponents([.year, .month, .day], from: day)
        return String(format: "%04d-%02d-%02dT23:59:59Z", parts.year!, parts.month!, parts.day!)
    }
}
