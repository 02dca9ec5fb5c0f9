import Foundation
import KilpiCore

/// The check on links in what staff send to customers (replies, canned and FAQ answers). Phishers copy breach
/// mail, so Kilpi's own mail carries only plain web links: `http` or `https`, a host of ASCII letters (no
/// look-alike Unicode), and no user name before the host (`https://bank.fi@evil.example` goes to evil.example).
/// Everything else that a mail client or browser would follow (`javascript:`, `data:`, `file:`, `mailto:`, other
/// `scheme://`) is refused. Replies are sent and shown as text, so this is about where a click leads, not markup.
public enum SupportReplyLinks {
    /// Schemes that work without `//` and that clients turn into links.
    static let bareSchemes = ["javascript", "vbscript", "data", "file", "blob", "mailto", "tel", "sms", "about"]
    static let separators = CharacterSet.whitespacesAndNewlines.union(CharacterSet(charactersIn: "<>\"'()[]{}`"))

    /// Nil when every link in `text` is allowed; else why not.
    public static func problem(in text: String) -> LocalizedMessage? {
        for token in text.components(separatedBy: separators) where !token.isEmpty {
            if let problem = problem(token: token) { return problem }
        }
        return nil
    }

    /// Refuses `text` naming `field` when a link in it is not allowed.
    public static func check(_ text: String, field: String = "text") throws {
        if let problem = problem(in: text) { throw SupportError.invalid(field, problem) }
    }

    static func problem(token: String) -> LocalizedMessage? {
        let lower = token.lowercased()
        if let separator = lower.range(of: "://") {
            let scheme = String(
                lower[..<separator.lowerBound].reversed().prefix {
                    $0.isASCII && ($0.isLetter || $0.isNumber || "+.-".contains($0))
                }
                .reversed()
            )
            guard scheme == "http" || scheme == "https" else { return refusedScheme(scheme) }
            let start = lower.index(separator.lowerBound, offsetBy: -scheme.count)
            var link = String(token[start...])
            while let last = link.last, ".,;:!?".contains(last) { link.removeLast() }
            guard let parts = URLComponents(string: link), let host = parts.host, !host.isEmpty else {
                return .l(
                    "a link has no host: write it as https://example.com/…",
                    "linkistä puuttuu osoite: kirjoita se muodossa https://example.com/…"
                )
            }
            if parts.user != nil || parts.password != nil
                || link.dropFirst(scheme.count + 3).prefix(while: { $0 != "/" }).contains("@")
            {
                return .l(
                    "a link has a name before its host (name@host): it would lead elsewhere than it seems",
                    "linkissä on nimi ennen osoitetta (nimi@osoite): se veisi muualle kuin näyttää"
                )
            }
            if !host.unicodeScalars.allSatisfy({ $0.isASCII }) {
                return .l(
                    "a link's host has non-ASCII letters that can imitate another address: use its xn-- form",
                    "linkin osoitteessa on muita kuin ASCII-kirjaimia, jotka voivat jäljitellä toista osoitetta: käytä sen xn---muotoa"
                )
            }
            return nil
        }
        for scheme in bareSchemes {
            var search = lower[...]
            while let found = search.range(of: scheme + ":") {
                let before = found.lowerBound == lower.startIndex ? nil : lower[lower.index(before: found.lowerBound)]
                if before.map({ !$0.isLetter }) ?? true { return refusedScheme(scheme) }
                search = lower[found.upperBound...]
            }
        }
        return nil
    }

    static func refusedScheme(_ scheme: String) -> LocalizedMessage {
        .l(
            "only http:// and https:// links may be sent (this has \(scheme):)",
            "vain http://- ja https://-linkit ovat sallittuja (tässä on \(scheme):)"
        )
    }
}

extension SupportError {
    /// A refusal of one field, for the web layer's own checks (a form value that is not a status, say).
    public static func refusing(_ field: String, _ message: LocalizedMessage) -> SupportError {
        .invalid(field, message)
    }
}
