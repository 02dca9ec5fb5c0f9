import Foundation

/// A MIME entity as a reader of returned mail needs it (RFC 2045, 2046): its header fields, unfolded, and its body,
/// still transfer-encoded. Text is LF-separated (the mbox reader and `normalisedLines` remove every CR before a
/// LF). Reading is lenient and bounded: a missing closing boundary or an unterminated header is noted, not thrown,
/// and nesting stops at `maximumDepth`.
struct MIMEEntity {
    struct Field {
        /// Lowercased.
        let name: String
        /// Unfolded (each line break before a continuation removed) and trimmed.
        let value: String
    }

    let fields: [Field]
    let body: ArraySlice<UInt8>
    /// False when the text ended inside the header (no blank line): a truncated message.
    let headerEnded: Bool

    static let maximumDepth = 8
    static let maximumParts = 200

    init(_ bytes: ArraySlice<UInt8>) {
        let (fields, bodyStart, ended) = Self.header(bytes)
        self.fields = fields
        self.body = bytes[bodyStart...]
        self.headerEnded = ended
    }

    func value(_ name: String) -> String? { fields.first { $0.name == name }?.value }

    func values(_ name: String) -> [String] { fields.filter { $0.name == name }.map(\.value) }

    var contentType: ContentType { ContentType(value("content-type")) }

    /// The body with its transfer encoding undone.
    var decodedBody: [UInt8] { TransferDecoding.decode(body, encoding: value("content-transfer-encoding")) }

    /// The parts of a multipart body, and whether its closing boundary was found (false: truncated).
    func parts() -> (parts: [MIMEEntity], closed: Bool) {
        guard let boundary = contentType.parameters["boundary"], !boundary.isEmpty else { return ([], false) }
        let delimiter = Array("--\(boundary)".utf8)
        var parts: [MIMEEntity] = []
        var partStart: Int? = nil
        var lineStart = body.startIndex
        while lineStart < body.endIndex {
            let lineEnd = body[lineStart...].firstIndex(of: 0x0A) ?? body.endIndex
            var line = body[lineStart..<lineEnd]
            while let last = line.last, last == 0x20 || last == 0x09 || last == 0x0D { line = line.dropLast() }
            if line.starts(with: delimiter) {
                let rest = line.dropFirst(delimiter.count)
                let closing = rest.elementsEqual("--".utf8)
                if rest.isEmpty || closing {
                    if let start = partStart {
                        // The line break before a delimiter belongs to the delimiter (RFC 2046 §5.1.1).
                        let end = max(start, lineStart - 1)
                        parts.append(MIMEEntity(body[start..<end]))
                        if parts.count >= Self.maximumParts { return (parts, false) }
                    }
                    if closing { return (parts, true) }
                    partStart = min(lineEnd + 1, body.endIndex)
                }
            }
            lineStart = lineEnd + 1
        }
        // No closing delimiter: keep what was there, marked as not closed.
        if let start = partStart, start < body.endIndex { parts.append(MIMEEntity(body[start...])) }
        return (parts, false)
    }

    /// Header fields up to the first empty line; the index where the body starts; whether the header ended.
    static func header(_ bytes: ArraySlice<UInt8>) -> ([Field], Int, Bool) {
        var fields: [Field] = []
        var name: String? = nil
        var value: [UInt8] = []
        func flush() {
            if let name {
                let text = BounceText.trim(String(decoding: value, as: UTF8.self))
                fields.append(Field(name: name, value: text))
            }
            name = nil
            value.removeAll(keepingCapacity: true)
        }
        var lineStart = bytes.startIndex
        while lineStart < bytes.endIndex {
            let lineEnd = bytes[lineStart...].firstIndex(of: 0x0A) ?? bytes.endIndex
            var line = bytes[lineStart..<lineEnd]
            if line.last == 0x0D { line = line.dropLast() }
            let next = min(lineEnd + 1, bytes.endIndex)
            if line.isEmpty {
                flush()
                return (fields, next, true)
            }
            if line.first == 0x20 || line.first == 0x09 {
                // A continuation: unfolding removes only the line break (RFC 5322 §2.2.3).
                if name != nil { value += line }
            } else if let colon = line.firstIndex(of: UInt8(ascii: ":")) {
                flush()
                name = BounceText.trim(String(decoding: line[..<colon], as: UTF8.self)).lowercased()
                value += line[(colon + 1)...]
            } else {
                // Not a header line (a stray "From " line, garbage): ignored.
                flush()
            }
            lineStart = next
        }
        flush()
        return (fields, bytes.endIndex, false)
    }
}

/// `type/subtype; name=value; ...` (RFC 2045 §5.1), names lowercased, quoted values unquoted. A missing or broken
/// field is `text/plain`, as RFC 2045 says a reader must assume.
struct ContentType: Equatable {
    let type: String
    let subtype: String
    let parameters: [String: String]

    var mediaType: String { "\(type)/\(subtype)" }

    init(_ field: String?) {
        let pieces = Self.split(field ?? "")
        let media = BounceText.trim(pieces.first ?? "").lowercased().split(separator: "/", maxSplits: 1)
        if media.count == 2 {
            type = BounceText.trim(media[0])
            subtype = BounceText.trim(media[1])
        } else {
            type = "text"
            subtype = "plain"
        }
        var parameters: [String: String] = [:]
        for piece in pieces.dropFirst() {
            guard let equals = piece.firstIndex(of: "=") else { continue }
            let name = BounceText.trim(piece[..<equals]).lowercased()
            var value = BounceText.trim(piece[piece.index(after: equals)...])
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 {
                value = String(value.dropFirst().dropLast()).replacingOccurrences(of: "\\\"", with: "\"")
                    .replacingOccurrences(of: "\\\\", with: "\\")
            }
            if parameters[name] == nil { parameters[name] = value }
        }
        self.parameters = parameters
    }

    /// Splits at semicolons outside quoted strings.
    static func split(_ field: String) -> [String] {
        var pieces: [String] = []
        var current = ""
        var quoted = false
        var escaped = false
        for character in field {
            if escaped {
                escaped = false
            } else if character == "\\" && quoted {
                escaped = true
            } else if character == "\"" {
                quoted.toggle()
            } else if character == ";" && !quoted {
                pieces.append(current)
                current = ""
                continue
            }
            current.append(character)
        }
        pieces.append(current)
        return pieces
    }
}
