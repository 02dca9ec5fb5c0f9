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

    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// Standard base64 (RFC 4648 §4) without padding.
    ///
    /// Written out rather than through Foundation's `Data`, `String` and padding trim: every sealed field of an
    /// import goes through here.
    static func encode(_ bytes: [UInt8]) -> String {
        let length = (bytes.count * 4 + 2) / 3
        return bytes.withUnsafeBufferPointer { input in
            alphabet.withUnsafeBufferPointer { digits in
                String(unsafeUninitializedCapacity: length) { output in
                    var i = 0
                    var o = 0
                    while i + 3 <= input.count {
                        let word = UInt32(input[i]) << 16 | UInt32(input[i + 1]) << 8 | UInt32(input[i + 2])
                        output[o] = digits[Int(word >> 18)]
                        output[o + 1] = digits[Int(word >> 12 & 63)]
                        output[o + 2] = digits[Int(word >> 6 & 63)]
                        output[o + 3] = digits[Int(word & 63)]
                        i += 3
                        o += 4
                    }
                    if i < input.count {
                        let word = UInt32(input[i]) << 16 | (i + 1 < input.count ? UInt32(input[i + 1]) << 8 : 0)
                        output[o] = digits[Int(word >> 18)]
                        output[o + 1] = digits[Int(word >> 12 & 63)]
                        o += 2
                        if i + 1 < input.count {
                            output[o] = digits[Int(word >> 6 & 63)]
                            o += 1
                        }
                    }
                    return o
                }
            }
        }
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
