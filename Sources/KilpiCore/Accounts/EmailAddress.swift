/// Email address checks shared by staff accounts and customer imports.
public enum EmailAddress {
    /// A deliberately simple syntax check: one @, something on both sides, a dot in the domain, no spaces or
    /// angle brackets, at most 254 characters. Deliverability is the mail server's business.
    public static func isPlausible(_ email: String) -> Bool {
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
              !parts[1].hasPrefix("."), !parts[1].hasSuffix("."), !parts[1].contains(".."),
              email.count <= 254,
              !email.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" || $0 == "\"" || $0 == "," || $0 == ";" })
        else { return false }
        return true
    }
}
