import Foundation

/// Base64 without `=` padding, as used in tokens (URL-safe alphabet) and PHC hash strings (standard alphabet).
///
/// Foundation only speaks padded standard base64, so these helpers add and remove what differs.
enum UnpaddedBase64 {
    /// base64url (RFC 4648 §5) without padding.
    static func encodeURLSafe(_ bytes: [UInt8]) -> String {
        encode(bytes)
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
    }

    /// Standard base64 (RFC 4648 §4) without padding.
    static func encode(_ bytes: [UInt8]) -> String {
        var text = Data(bytes).base64EncodedString()
        while text.hasSuffix("=") { text.removeLast() }
        return text
    }

    /// Decodes standard base64 written without padding; nil for anything else.
    ///
    /// Only the canonical spelling is accepted (no padding, unused low bits zero), so a stored value cannot be
    /// altered in a way that still decodes to the same bytes.
    static func decode(_ text: Substring) -> [UInt8]? {
        guard !text.contains("="), text.count % 4 != 1 else { return nil }
        let padded = String(text) + String(repeating: "=", count: (4 - text.count % 4) % 4)
        guard let data = Data(base64Encoded: padded) else { return nil }
        let bytes = Array(data)
        return encode(bytes) == text ? bytes : nil
    }
}
