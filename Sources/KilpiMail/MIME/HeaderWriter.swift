/// Writes header fields as CRLF-terminated, folded lines (RFC 5322 §2.2.3: at most 78 characters where there is
/// somewhere to fold). Every value is checked for control characters first, so no value can end its own field
/// and start another (header injection): the caller gets an error naming the field instead.
struct HeaderWriter {
    static let lineLength = 78
    private(set) var bytes: [UInt8] = []

    /// A field whose value Kilpi made itself (dates, ids, MIME parameters): printable ASCII, folded nowhere.
    mutating func structured(_ name: String, _ value: String) throws(MailMessageError) {
        guard value.utf8.allSatisfy({ (0x20...0x7E).contains($0) }) else { throw .controlCharacter(name) }
        line("\(name): \(value)")
    }

    /// Free text such as the subject: as written when it is printable ASCII that folds, else encoded-words.
    mutating func unstructured(_ name: String, _ value: String) throws(MailMessageError) {
        try Self.checkControls(name, value)
        let head = "\(name): "
        // Readers drop the whitespace around a folded value and collapse runs of it: encode such text instead.
        let needsEncoding =
            EncodedWord.needsEncoding(value) || value.hasPrefix(" ") || value.hasSuffix(" ") || value.contains("  ")
            || value.split(separator: " ").contains { $0.utf8.count > Self.lineLength - 2 }
        if needsEncoding {
            let words = EncodedWord.words(value, firstRoom: Self.lineLength - head.utf8.count)
            bytes += Array(head.utf8) + words.joined(separator: Array("\r\n ".utf8)) + [0x0D, 0x0A]
        } else {
            folded(head, value.split(separator: " ").map(String.init))
        }
    }

    /// A mailbox: `"Display Name" <user@example.com>`, the name quoted, or encoded when it is not plain ASCII.
    mutating func mailbox(_ name: String, _ mailbox: MailAddress) throws(MailMessageError) {
        let address = try mailbox.validated(field: name)
        let head = "\(name): "
        guard let displayName = address.displayName, !displayName.isEmpty else {
            line(head + address.address)
            return
        }
        let angle = "<\(address.address)>"
        let quoted = Self.quoted(displayName)
        // A word too long to fold would make a line past RFC 5322's 998 octets, which a relay may break with a
        // bare line end of its own (and what follows could read as a header): such a name is encoded instead.
        let foldable = !quoted.split(separator: " ").contains { $0.utf8.count > Self.lineLength - 2 }
        if !EncodedWord.needsEncoding(displayName), foldable {
            // Folded, when long, before one of the name's own spaces: unfolding gives the name back unchanged.
            folded(head, quoted.split(separator: " ", omittingEmptySubsequences: false).map(String.init) + [angle])
        } else {
            let words = EncodedWord.words(displayName, firstRoom: Self.lineLength - head.utf8.count)
            folded(head, words.map { String(decoding: $0, as: UTF8.self) } + [angle])
        }
    }

    /// Already-built field text (the DKIM signature adds itself this way).
    mutating func raw(_ field: [UInt8]) { bytes += field }

    /// A quoted-string (RFC 5322 §3.2.4): only `"` and `\` need a backslash.
    static func quoted(_ text: String) -> String {
        var output = "\""
        for character in text {
            if character == "\"" || character == "\\" { output.append("\\") }
            output.append(character)
        }
        return output + "\""
    }

    static func checkControls(_ name: String, _ value: String) throws(MailMessageError) {
        if value.unicodeScalars.contains(where: \.properties.isControlLike) { throw .controlCharacter(name) }
    }

    /// Space-separated tokens, a new folded line started whenever the next one would pass 78 characters.
    private mutating func folded(_ head: String, _ tokens: [String]) {
        var text = head
        var column = head.utf8.count
        for (index, token) in tokens.enumerated() {
            let separator = index == 0 ? "" : " "
            if index > 0, column + 1 + token.utf8.count > Self.lineLength {
                text += "\r\n"
                column = 0
            }
            text += separator + token
            column += separator.utf8.count + token.utf8.count
        }
        line(text)
    }

    private mutating func line(_ text: String) {
        bytes += Array(text.utf8)
        bytes += [0x0D, 0x0A]
    }
}
