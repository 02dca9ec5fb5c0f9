/// Re-emits HTML keeping only an allowlist: the elements Markdown produces (paragraphs, headings from h2,
/// emphasis, code, quotes, lists, tables, links), no attributes except a link's `href` (http, https, mailto, a
/// path on this site or a fragment) and a list's numeric `start`; every other tag is dropped (its text stays),
/// every stray `<` and `&` becomes text, and open elements are closed in order. The output is well-formed
/// whatever the input.
public enum HTMLAllowlist {
    static let elements: Set<String> = [
        "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "code", "pre", "blockquote",
        "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td", "del", "s",
    ]
    static let void: Set<String> = ["br", "hr"]

    public static func sanitise(_ html: String) -> String {
        var output = ""
        output.reserveCapacity(html.utf8.count)
        var open: [String] = []
        let scalars = Array(html.unicodeScalars)
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "<" {
                if let tag = Tag.parse(scalars, at: index) {
                    index = tag.end
                    emit(tag, into: &output, open: &open)
                } else {
                    output += "&lt;"
                    index += 1
                }
            } else if scalar == "&" {
                let entity = Self.entity(scalars, at: index)
                output += entity.map { String(String.UnicodeScalarView(scalars[index..<$0])) } ?? "&amp;"
                index = entity ?? index + 1
            } else if scalar == ">" {
                output += "&gt;"
                index += 1
            } else {
                output.unicodeScalars.append(scalar)
                index += 1
            }
        }
        for name in open.reversed() { output += "</\(name)>" }
        return output
    }

    private static func emit(_ tag: Tag, into output: inout String, open: inout [String]) {
        // Markdown's "#" heading sits under the page's own h1.
        let name = tag.name == "h1" ? "h2" : tag.name
        guard elements.contains(name) else { return }
        if tag.closing {
            guard let at = open.lastIndex(of: name) else { return }
            for inner in open[at...].reversed() { output += "</\(inner)>" }
            open.removeSubrange(at...)
            return
        }
        var attributes = ""
        if name == "a" {
            if let href = tag.attributes["href"].flatMap(safeLink) {
                attributes = " href=\"\(escape(href, quotes: true))\" rel=\"nofollow noopener noreferrer\""
            }
        } else if name == "ol", let start = tag.attributes["start"], let number = Int(start), number >= 0,
            number < 1_000_000
        {
            attributes = " start=\"\(number)\""
        }
        output += "<\(name)\(attributes)>"
        if !void.contains(name) { open.append(name) }
    }

    /// The link if it is one a post may carry (after its character references are decoded, so `&#106;avascript:`
    /// is seen for what it is), else nil.
    static func safeLink(_ raw: String) -> String? {
        let decoded = decodeReferences(raw)
        // Browsers ignore tabs and newlines inside a URL and leading controls and spaces.
        let cleaned = String(
            String.UnicodeScalarView(decoded.unicodeScalars.filter { $0.value > 0x20 && $0.value != 0x7F })
        )
        let lower = cleaned.lowercased()
        if lower.hasPrefix("https://") || lower.hasPrefix("http://") || lower.hasPrefix("mailto:") {
            return cleaned
        }
        if lower.hasPrefix("#") { return cleaned }
        if lower.hasPrefix("/"), !lower.hasPrefix("//"), !lower.hasPrefix("/\\") { return cleaned }
        return nil
    }

    /// The text of HTML with its tags removed and its references decoded.
    public static func text(_ html: String) -> String {
        var text = ""
        var inTag = false
        for character in html {
            if character == "<" {
                inTag = true
            } else if character == ">" && inTag {
                inTag = false
            } else if !inTag {
                text.append(character)
            }
        }
        return decodeReferences(text)
    }

    public static func escape(_ text: String, quotes: Bool = false) -> String {
        var output = ""
        output.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "&": output += "&amp;"
            case "\"" where quotes: output += "&quot;"
            case "'" where quotes: output += "&#39;"
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output
    }

    /// Where a character reference (`&amp;`, `&#39;`, `&#x27;`) starting at `index` ends, or nil if none does.
    static func entity(_ scalars: [Unicode.Scalar], at index: Int) -> Int? {
        var end = index + 1
        guard end < scalars.count else { return nil }
        if scalars[end] == "#" {
            end += 1
            let hex = end < scalars.count && (scalars[end] == "x" || scalars[end] == "X")
            if hex { end += 1 }
            let digitsStart = end
            while end < scalars.count, end - digitsStart < 8,
                hex ? scalars[end].properties.isASCIIHexDigit : ("0"..."9").contains(scalars[end])
            {
                end += 1
            }
            guard end > digitsStart, end < scalars.count, scalars[end] == ";" else { return nil }
            return end + 1
        }
        let nameStart = end
        while end < scalars.count, end - nameStart < 32, scalars[end].properties.isAlphabetic, scalars[end].isASCII {
            end += 1
        }
        guard end > nameStart, end < scalars.count, scalars[end] == ";" else { return nil }
        return end + 1
    }

    static let named: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{A0}", "colon": ":", "tab": "\t",
        "newline": "\n",
    ]

    /// Decodes numeric references and the common named ones (unknown names stay as written).
    static func decodeReferences(_ text: String) -> String {
        guard text.contains("&") else { return text }
        let scalars = Array(text.unicodeScalars)
        var output = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            if scalars[index] == "&", let end = entity(scalars, at: index) {
                let body = String(String.UnicodeScalarView(scalars[(index + 1)..<(end - 1)]))
                var decoded: String?
                if body.hasPrefix("#x") || body.hasPrefix("#X") {
                    decoded = UInt32(body.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init).map { String($0) }
                } else if body.hasPrefix("#") {
                    decoded = UInt32(body.dropFirst()).flatMap(Unicode.Scalar.init).map { String($0) }
                } else {
                    decoded = named[body.lowercased()]
                }
                if let decoded {
                    output.append(contentsOf: decoded.unicodeScalars)
                    index = end
                    continue
                }
            }
            output.append(scalars[index])
            index += 1
        }
        return String(output)
    }
}

/// One tag as the strict grammar reads it: `<name attr="v" attr='v' attr=v attr>` or `</name>`, names in ASCII
/// letters and digits. Anything else is not a tag (and its `<` becomes text).
struct Tag {
    let name: String
    let closing: Bool
    let attributes: [String: String]
    /// The index just past the `>`.
    let end: Int

    static func parse(_ s: [Unicode.Scalar], at start: Int) -> Tag? {
        var i = start + 1
        func isNameChar(_ c: Unicode.Scalar) -> Bool {
            c.isASCII && (c.properties.isAlphabetic || ("0"..."9").contains(c))
        }
        func isSpace(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\t" || c == "\n" || c == "\r" || c == "\u{0C}" }
        var closing = false
        if i < s.count, s[i] == "/" {
            closing = true
            i += 1
        }
        let nameStart = i
        while i < s.count, isNameChar(s[i]) { i += 1 }
        guard i > nameStart, s[nameStart].properties.isAlphabetic else { return nil }
        let name = String(String.UnicodeScalarView(s[nameStart..<i])).lowercased()
        var attributes: [String: String] = [:]
        while i < s.count {
            while i < s.count, isSpace(s[i]) { i += 1 }
            guard i < s.count else { return nil }
            if s[i] == ">" { return Tag(name: name, closing: closing, attributes: attributes, end: i + 1) }
            if s[i] == "/", i + 1 < s.count, s[i + 1] == ">" {
                return Tag(name: name, closing: closing, attributes: attributes, end: i + 2)
            }
            let attributeStart = i
            while i < s.count, isNameChar(s[i]) || s[i] == "-" || s[i] == "_" { i += 1 }
            guard i > attributeStart else { return nil }
            let attribute = String(String.UnicodeScalarView(s[attributeStart..<i])).lowercased()
            while i < s.count, isSpace(s[i]) { i += 1 }
            var value = ""
            if i < s.count, s[i] == "=" {
                i += 1
                while i < s.count, isSpace(s[i]) { i += 1 }
                guard i < s.count else { return nil }
                if s[i] == "\"" || s[i] == "'" {
                    let quote = s[i]
                    i += 1
                    let valueStart = i
                    while i < s.count, s[i] != quote { i += 1 }
                    guard i < s.count else { return nil }
                    value = String(String.UnicodeScalarView(s[valueStart..<i]))
                    i += 1
                } else {
                    let valueStart = i
                    while i < s.count, !isSpace(s[i]), s[i] != ">", s[i] != "\"", s[i] != "'", s[i] != "<", s[i] != "`"
                    {
                        i += 1
                    }
                    guard i > valueStart else { return nil }
                    value = String(String.UnicodeScalarView(s[valueStart..<i]))
                }
            }
            // The first of a repeated attribute counts, as in browsers.
            if attributes[attribute] == nil { attributes[attribute] = value }
        }
        return nil
    }
}
