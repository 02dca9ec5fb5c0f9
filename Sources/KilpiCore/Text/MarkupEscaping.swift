/// Escaping for text placed in HTML or XML (element content and quoted attribute values alike).
///
/// Works on the UTF-8 bytes: the five characters are ASCII and never occur inside a multi-byte sequence, so a
/// byte walk finds every one of them, also an apostrophe a combining mark follows (one `Character` to Swift).
/// Text with nothing to escape is returned as it is, which is most text on a page.
public enum MarkupEscaping {
    /// Replaces the five characters that matter: `& < > " '`.
    public static func escape(_ text: String) -> String { escape(text, lineBreaks: nil) }

    /// Escapes `text` and puts `lineBreak` before every line feed (`<br>` keeps a message's lines in HTML).
    public static func escape(_ text: String, beforeEachLineFeed lineBreak: String) -> String {
        escape(text, lineBreaks: Array(lineBreak.utf8))
    }

    private static func escape(_ text: String, lineBreaks: [UInt8]?) -> String {
        let bytes = text.utf8
        let breaking = lineBreaks != nil
        guard bytes.contains(where: { isSpecial($0) || (breaking && $0 == 0x0A) }) else { return text }
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count + bytes.count / 8 + 16)
        for byte in bytes {
            switch byte {
            case 0x26: result.append(contentsOf: "&amp;".utf8)
            case 0x3C: result.append(contentsOf: "&lt;".utf8)
            case 0x3E: result.append(contentsOf: "&gt;".utf8)
            case 0x22: result.append(contentsOf: "&quot;".utf8)
            case 0x27: result.append(contentsOf: "&#39;".utf8)
            case 0x0A:
                if let lineBreaks { result.append(contentsOf: lineBreaks) }
                result.append(byte)
            default: result.append(byte)
            }
        }
        return String(decoding: result, as: UTF8.self)
    }

    private static func isSpecial(_ byte: UInt8) -> Bool {
        byte == 0x26 || byte == 0x3C || byte == 0x3E || byte == 0x22 || byte == 0x27
    }
}
