/// RFC 4648 base32 (the standard alphabet `A–Z2–7`), as used for TOTP secrets in authenticator apps.
public enum Base32 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)

    /// Encodes `bytes` without `=` padding, the form authenticator apps expect in `otpauth://` URIs.
    public static func encode(_ bytes: [UInt8]) -> String {
        var output = [UInt8]()
        output.reserveCapacity((bytes.count * 8 + 4) / 5)
        var buffer: UInt32 = 0
        var bitCount = 0
        for byte in bytes {
            buffer = (buffer << 8) | UInt32(byte)
            bitCount += 8
            while bitCount >= 5 {
                bitCount -= 5
                output.append(alphabet[Int((buffer >> UInt32(bitCount)) & 0x1F)])
            }
        }
        if bitCount > 0 {
            output.append(alphabet[Int((buffer << UInt32(5 - bitCount)) & 0x1F)])
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Decodes base32 text, or returns nil when it is not base32.
    ///
    /// Case-insensitive, and whitespace and `=` are ignored, because people copy secrets by hand in groups
    /// ("JBSW Y3DP") and in either case. A length that no byte sequence encodes to is refused.
    public static func decode(_ string: String) -> [UInt8]? {
        var output = [UInt8]()
        var buffer: UInt32 = 0
        var bitCount = 0
        var symbolCount = 0
        for scalar in string.unicodeScalars {
            if scalar == "=" || scalar.properties.isWhitespace { continue }
            guard let value = value(of: scalar) else { return nil }
            buffer = (buffer << 5) | value
            bitCount += 5
            symbolCount += 1
            if bitCount >= 8 {
                bitCount -= 8
                output.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bitCount)))
            }
        }
        // Whole bytes come out of 0, 2, 4, 5 or 7 trailing symbols; 1, 3 or 6 would leave a partial byte.
        guard [0, 2, 4, 5, 7].contains(symbolCount % 8) else { return nil }
        return output
    }

    private static func value(of scalar: Unicode.Scalar) -> UInt32? {
        switch scalar.value {
        case 0x41...0x5A: scalar.value - 0x41  // A–Z
        case 0x61...0x7A: scalar.value - 0x61  // a–z
        case 0x32...0x37: scalar.value - 0x32 + 26  // 2–7
        default: nil
        }
    }
}
