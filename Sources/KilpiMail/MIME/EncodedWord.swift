import Foundation

/// RFC 2047 encoded-words for header text that is not plain ASCII: `=?UTF-8?Q?…?=` or `=?UTF-8?B?…?=`,
/// whichever is shorter, each word at most 75 characters and holding whole UTF-8 characters only (§5: a word
/// must decode on its own, so a multi-byte character is never split).
enum EncodedWord {
    static let maximumWordLength = 75
    static let prefixQ = Array("=?UTF-8?Q?".utf8)
    static let prefixB = Array("=?UTF-8?B?".utf8)
    static let suffix = Array("?=".utf8)

    /// Text that must be encoded: anything outside printable ASCII, or text that a reader would itself take for
    /// an encoded-word ("=?"), which would not come out as written.
    static func needsEncoding(_ text: String) -> Bool {
        text.utf8.contains { $0 < 0x20 || $0 > 0x7E } || text.contains("=?")
    }

    /// The words for `text`; the first fits in `firstRoom` characters (what is left of the header's first line),
    /// every other one goes on its own folded line.
    static func words(_ text: String, firstRoom: Int) -> [[UInt8]] {
        let q = words(text, firstRoom: firstRoom, prefix: prefixQ, encodedLength: qLength, encode: encodeQ)
        let b = words(text, firstRoom: firstRoom, prefix: prefixB, encodedLength: bLength, encode: encodeB)
        return q.reduce(0) { $0 + $1.count } <= b.reduce(0) { $0 + $1.count } ? q : b
    }

    /// Greedy packing of whole Unicode scalars into words.
    static func words(
        _ text: String,
        firstRoom: Int,
        prefix: [UInt8],
        encodedLength: ([UInt8]) -> Int,
        encode: ([UInt8]) -> [UInt8]
    ) -> [[UInt8]] {
        let overhead = prefix.count + suffix.count
        var room = min(maximumWordLength, max(firstRoom, overhead + 12)) - overhead
        var words: [[UInt8]] = []
        var chunk: [UInt8] = []
        for scalar in text.unicodeScalars {
            let bytes = Array(String(scalar).utf8)
            if !chunk.isEmpty, encodedLength(chunk + bytes) > room {
                words.append(prefix + encode(chunk) + suffix)
                chunk = []
                room = maximumWordLength - overhead
            }
            chunk += bytes
        }
        if !chunk.isEmpty || words.isEmpty { words.append(prefix + encode(chunk) + suffix) }
        return words
    }

    /// Q encoding restricted to the characters §5 (3) allows even in a display name: letters, digits, ! * + - /.
    static func encodeQ(_ bytes: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        for byte in bytes {
            if byte == 0x20 {
                output.append(UInt8(ascii: "_"))
            } else if isQLiteral(byte) {
                output.append(byte)
            } else {
                output += [
                    UInt8(ascii: "="), QuotedPrintable.hexDigits[Int(byte >> 4)],
                    QuotedPrintable.hexDigits[Int(byte & 0x0F)],
                ]
            }
        }
        return output
    }

    static func qLength(_ bytes: [UInt8]) -> Int {
        bytes.reduce(0) { $0 + ($1 == 0x20 || isQLiteral($1) ? 1 : 3) }
    }

    static func isQLiteral(_ byte: UInt8) -> Bool {
        MailAddress.isAlphanumeric(byte) || "!*+-/".utf8.contains(byte)
    }

    static func encodeB(_ bytes: [UInt8]) -> [UInt8] { Array(Data(bytes).base64EncodedString().utf8) }

    static func bLength(_ bytes: [UInt8]) -> Int { (bytes.count + 2) / 3 * 4 }
}
