/// Small text helpers for reading bounces: trimming, unfolding, finding status codes and keeping addresses out
/// of what is stored and printed.
enum BounceText {
    /// Without whitespace (line breaks included) at both ends.
    static func trim(_ text: some StringProtocol) -> String {
        guard let first = text.firstIndex(where: { !$0.isWhitespace }),
            let last = text.lastIndex(where: { !$0.isWhitespace })
        else { return "" }
        return String(text[first...last])
    }

    /// Every run of whitespace made one space, control characters dropped, both ends trimmed.
    static func collapse(_ text: some StringProtocol) -> String {
        var output = ""
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            if scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" {
                pendingSpace = true
            } else if scalar.properties.generalCategory == .control || scalar.properties.generalCategory == .format {
                continue
            } else {
                if pendingSpace, !output.isEmpty { output.append(" ") }
                pendingSpace = false
                output.unicodeScalars.append(scalar)
            }
        }
        return output
    }

    /// The placeholder that replaces an address in diagnostic text.
    static let addressPlaceholder = "[address]"

    /// Diagnostic text fit for the outbox row, logs and the console: one line, at most `limit` characters, with
    /// every email address replaced by `[address]`: remote servers quote the recipient's address in their replies
    /// ("550 5.1.1 <matti@example.fi>: Recipient address rejected"), and the stored reply must hold no personal
    /// data.
    static func diagnostic(_ text: some StringProtocol, limit: Int = 400) -> String {
        let collapsed = redactingAddresses(collapse(text))
        guard collapsed.count > limit else { return collapsed }
        return String(collapsed.prefix(limit - 1)) + "…"
    }

    static func redactingAddresses(_ text: String) -> String {
        let delimiters: Set<Character> = [" ", "<", ">", "(", ")", "[", "]", ";", ",", "\"", "'", "{", "}", "="]
        var output = ""
        var token = ""
        func flush() {
            output += isAddress(token) ? addressPlaceholder : token
            token = ""
        }
        for character in text {
            if delimiters.contains(character) {
                flush()
                output.append(character)
            } else {
                token.append(character)
            }
        }
        flush()
        return output
    }

    /// Something@something.with.a.dot (a trailing full stop or colon of the sentence is part of the match).
    static func isAddress(_ token: String) -> Bool {
        guard let at = token.lastIndex(of: "@"), at != token.startIndex else { return false }
        let domain = token[token.index(after: at)...]
        return domain.contains(".") && domain.first != "."
    }

    /// The first RFC 3463 enhanced status code (`5.1.1`) in `text`: class 2, 4 or 5, then 1-3 digits, twice, not
    /// part of a longer number (so an IP address or a version number does not match).
    static func enhancedStatus(in text: some StringProtocol) -> String? {
        let bytes = Array(text.utf8)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            let startsToken = index == 0 || !(isDigit(bytes[index - 1]) || bytes[index - 1] == UInt8(ascii: "."))
            if startsToken, byte == UInt8(ascii: "2") || byte == UInt8(ascii: "4") || byte == UInt8(ascii: "5"),
                index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: ".")
            {
                var probe = index + 2
                var groups = 0
                var valid = true
                while groups < 2 {
                    let start = probe
                    while probe < bytes.count, isDigit(bytes[probe]), probe - start < 4 { probe += 1 }
                    let length = probe - start
                    guard (1...3).contains(length) else {
                        valid = false
                        break
                    }
                    groups += 1
                    if groups == 1 {
                        guard probe < bytes.count, bytes[probe] == UInt8(ascii: ".") else {
                            valid = false
                            break
                        }
                        probe += 1
                    }
                }
                let endsToken =
                    probe >= bytes.count
                    || !(isDigit(bytes[probe])
                        || (bytes[probe] == UInt8(ascii: ".") && probe + 1 < bytes.count
                            && isDigit(bytes[probe + 1])))
                if valid, endsToken { return String(decoding: bytes[index..<probe], as: UTF8.self) }
            }
            index += 1
        }
        return nil
    }

    /// The first SMTP reply code (`550`, `451`) in `text`: three digits starting with 4 or 5, standing alone and
    /// followed by a space, a hyphen or the end.
    static func replyCode(in text: some StringProtocol) -> String? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 3 else { return nil }
        for index in 0...(bytes.count - 3) {
            let first = bytes[index]
            guard first == UInt8(ascii: "4") || first == UInt8(ascii: "5"), isDigit(bytes[index + 1]),
                isDigit(bytes[index + 2])
            else { continue }
            let before = index == 0 ? UInt8(ascii: " ") : bytes[index - 1]
            let after = index + 3 == bytes.count ? UInt8(ascii: " ") : bytes[index + 3]
            let standsAlone = !isDigit(before) && before != UInt8(ascii: ".") && !isLetter(before)
            if standsAlone, after == UInt8(ascii: " ") || after == UInt8(ascii: "-") {
                return String(decoding: bytes[index..<(index + 3)], as: UTF8.self)
            }
        }
        return nil
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    static func isLetter(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
    }
}
