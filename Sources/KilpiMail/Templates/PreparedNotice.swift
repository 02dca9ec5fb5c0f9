import KilpiCore
import Mustache

/// One variant of a notice (a template version, a campaign, a language, a set of categories, the region and the
/// flags) rendered once with stand-ins for the values that differ between its customers, so that each customer's
/// notice is the prepared text with their own values put in: what Mustache would write, byte for byte, without
/// walking the template again. A campaign sends a million notices from a handful of variants.
///
/// `prepare` proves the shortcut for the variant before it is used: it renders the variant with two different
/// sets of stand-ins (the second full of characters HTML escapes) and accepts it only when putting the second set
/// into the first render's structure gives exactly the second render. A value that steers the template rather
/// than being written by it (a section that tests it, a transform) fails that proof, and the variant is rendered
/// the full way instead.
///
/// The parts are kept as the template engine leaves them: the subject before `NoticeText.line` (applied to each
/// customer's subject, as the full render does), the text after `tidyText` (a value has no line break, no space
/// at either end and, by `isPlaced`, does not end with a mark that joins what follows, so tidying does not see
/// it), and the HTML as it is. The quoted-printable form of every line that holds no value is encoded once.
struct PreparedNotice: Sendable {
    enum Piece: Sendable, Equatable {
        case literal(String)
        /// The value at this index of `slots`.
        case slot(Int)
    }

    /// One hard line of a part as quoted-printable encodes it.
    enum EncodedLine: Sendable {
        /// Encoded once: the same for every customer of the variant.
        case fixed([UInt8])
        case personal([Piece])
    }

    struct Part: Sendable {
        let pieces: [Piece]
        let lines: [EncodedLine]
        let escapes: Bool
    }

    /// The names of the values put in, in slot order.
    let slots: [String]
    let subject: [Piece]
    let text: Part
    let html: Part

    /// The values a variant's customers differ in. Everything else a notice shows is the same for the variant.
    static let personalNames = ["customer_name", "reference_code", "support_url", "notice_date"]

    /// Renders `value` (a `NoticeContent.mustacheValue` of the variant) with stand-ins for the `personalNames`
    /// it has, and returns the prepared variant, or nil when the proof fails.
    static func prepare(_ template: CompiledNoticeTemplate, value: [String: Any]) -> PreparedNotice? {
        let slots = personalNames.filter { value[$0] != nil }
        func render(_ standIns: [String]) -> (subject: String, text: String, html: String) {
            var filled = value
            for (slot, standIn) in zip(slots, standIns) { filled[slot] = standIn }
            return (
                template.templates[0].render(filled),
                CompiledNoticeTemplate.tidyText(template.templates[1].render(filled)),
                template.templates[2].render(filled)
            )
        }
        let first = slots.indices.map { "\u{E000}\($0)\u{E001}" }
        let second = slots.indices.map { "\u{E002}v\($0)<&\"'>x\u{E003}" }
        let one = render(first)
        let two = render(second)
        guard let subject = pieces(one.subject, slots: slots.count),
            let text = pieces(one.text, slots: slots.count),
            let html = pieces(one.html, slots: slots.count)
        else { return nil }
        let prepared = PreparedNotice(
            slots: slots,
            subject: subject,
            text: Part(pieces: text, lines: encodedLines(text), escapes: false),
            html: Part(pieces: html, lines: encodedLines(html), escapes: true)
        )
        guard prepared.join(prepared.subject, second, escaping: false) == two.subject,
            prepared.join(prepared.text.pieces, second, escaping: false) == two.text,
            prepared.join(prepared.html.pieces, second, escaping: true) == two.html
        else { return nil }
        return prepared
    }

    /// Whether a customer's values can be put into the prepared text (else the notice is rendered the full way):
    /// none ends with a mark that joins the character after it into one grapheme (`U+0600` and the like), which
    /// could hide a space from `tidyText`.
    static func isPlaced(_ values: [String]) -> Bool {
        values.allSatisfy { value in
            guard let last = value.utf8.last, last >= 0x80 else { return true }
            return (value + " ").count == value.count + 1
        }
    }

    /// The notice with `values` (in `slots` order) put in.
    func render(_ values: [String]) -> RenderedNotice {
        RenderedNotice(
            subject: subjectLine(values),
            text: join(text.pieces, values, escaping: false),
            html: join(html.pieces, values, escaping: true)
        )
    }

    func subjectLine(_ values: [String]) -> String { NoticeText.line(join(subject, values, escaping: false)) }

    /// The text and HTML parts quoted-printable encoded, as `QuotedPrintable.encode` encodes the rendered parts.
    func encoded(_ values: [String]) -> (text: [UInt8], html: [UInt8]) {
        (encode(text, values), encode(html, values))
    }

    func encode(_ part: Part, _ values: [String]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(8_192)
        var line: [UInt8] = []
        for (index, encodedLine) in part.lines.enumerated() {
            if index > 0 { output.append(contentsOf: [0x0D, 0x0A]) }
            switch encodedLine {
            case .fixed(let bytes):
                output.append(contentsOf: bytes)
            case .personal(let pieces):
                line.removeAll(keepingCapacity: true)
                for piece in pieces {
                    switch piece {
                    case .literal(let literal): line.append(contentsOf: literal.utf8)
                    case .slot(let slot):
                        line.append(contentsOf: (part.escapes ? Self.escape(values[slot]) : values[slot]).utf8)
                    }
                }
                QuotedPrintable.encodeLine(line, into: &output)
            }
        }
        return output
    }

    func join(_ pieces: [Piece], _ values: [String], escaping: Bool) -> String {
        var result = ""
        result.reserveCapacity(8_192)
        for piece in pieces {
            switch piece {
            case .literal(let literal): result += literal
            case .slot(let slot): result += escaping ? Self.escape(values[slot]) : values[slot]
            }
        }
        return result
    }

    /// HTML escaping exactly as swift-mustache does it (its `htmlEscape`): one `Character` at a time, so a cluster
    /// that merely contains `<` is left alone, as the engine leaves it (`NoticeText` separates such clusters).
    static func escape(_ value: String) -> String {
        var needs = false
        for byte in value.utf8 where byte == 0x3C || byte == 0x3E || byte == 0x26 || byte == 0x22 || byte == 0x27 {
            needs = true
            break
        }
        guard needs else { return value }
        var escaped = ""
        escaped.reserveCapacity(value.utf8.count + 16)
        for character in value {
            switch character {
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "&": escaped += "&amp;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// `rendered` split at the first stand-ins (`U+E000`, slot number, `U+E001`); nil when a stand-in is broken or
    /// names no slot (the variant's own text holds those characters, or the template changed a value).
    static func pieces(_ rendered: String, slots: Int) -> [Piece]? {
        var pieces: [Piece] = []
        var literal = String.UnicodeScalarView()
        var iterator = rendered.unicodeScalars.makeIterator()
        while let scalar = iterator.next() {
            switch scalar {
            case "\u{E000}":
                var digits = ""
                var closed = false
                while let next = iterator.next() {
                    if next == "\u{E001}" {
                        closed = true
                        break
                    }
                    digits.unicodeScalars.append(next)
                }
                guard closed, let slot = Int(digits), slot >= 0, slot < slots else { return nil }
                if !literal.isEmpty {
                    pieces.append(.literal(String(literal)))
                    literal = String.UnicodeScalarView()
                }
                pieces.append(.slot(slot))
            case "\u{E001}", "\u{E002}", "\u{E003}":
                return nil
            default:
                literal.append(scalar)
            }
        }
        if !literal.isEmpty { pieces.append(.literal(String(literal))) }
        return pieces
    }

    /// `pieces` as the hard lines quoted-printable sees (CR LF, LF or a lone CR ends one; a value holds none),
    /// each line without a value encoded once.
    static func encodedLines(_ pieces: [Piece]) -> [EncodedLine] {
        var lines: [[Piece]] = [[]]
        for piece in pieces {
            guard case .literal(let literal) = piece else {
                lines[lines.count - 1].append(piece)
                continue
            }
            var current: [UInt8] = []
            var previousCR = false
            for byte in literal.utf8 {
                if byte == 0x0A, previousCR {
                    previousCR = false
                    continue
                }
                previousCR = byte == 0x0D
                if byte == 0x0D || byte == 0x0A {
                    if !current.isEmpty {
                        lines[lines.count - 1].append(.literal(String(decoding: current, as: UTF8.self)))
                    }
                    current.removeAll()
                    lines.append([])
                } else {
                    current.append(byte)
                }
            }
            if !current.isEmpty { lines[lines.count - 1].append(.literal(String(decoding: current, as: UTF8.self))) }
        }
        return lines.map { line in
            if line.allSatisfy({ if case .literal = $0 { true } else { false } }) {
                var bytes: [UInt8] = []
                for case .literal(let literal) in line { bytes.append(contentsOf: literal.utf8) }
                var encoded: [UInt8] = []
                QuotedPrintable.encodeLine(bytes, into: &encoded)
                return .fixed(encoded)
            }
            return .personal(line)
        }
    }
}
