import KilpiCore

/// The tags of a Mustache template with the line each starts on, read without the engine: swift-mustache keeps its
/// parsed tokens to itself, and the checker must name every variable a template uses, where it uses it.
///
/// Only the default `{{ }}` delimiters are read; a template that changes them (`{{=<% %>=}}`) is refused by the
/// checker, so this reading is the engine's reading.
struct TemplateTag: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case variable
        /// `{{{name}}}` or `{{&name}}`: written out without HTML escaping.
        case unescaped
        case section
        case invertedSection
        case close
        case comment
        /// `{{> partial}}`, `{{< parent}}`, `{{$ block}}`.
        case partialOrBlock
        /// `{{% PRAGMA }}`.
        case pragma
        /// `{{=<% %>=}}`.
        case delimiters
        /// `{{` that is never closed: the last tag of a scan.
        case unterminated
    }

    let kind: Kind
    /// The name as written, without surrounding spaces.
    let name: String
    /// 1-based.
    let line: Int

    /// The tags of `source`, in order. Reading stops at a tag that is never closed, reported as `.unterminated` at the line it opens.
    static func scan(_ source: String) -> [TemplateTag] {
        let characters = Array(source.unicodeScalars)
        var tags: [TemplateTag] = []
        var line = 1
        var index = 0
        func starts(_ text: String, at position: Int) -> Bool {
            let pattern = Array(text.unicodeScalars)
            guard position + pattern.count <= characters.count else { return false }
            for offset in 0..<pattern.count where characters[position + offset] != pattern[offset] { return false }
            return true
        }
        func find(_ text: String, from position: Int) -> Int? {
            var cursor = position
            while cursor < characters.count {
                if starts(text, at: cursor) { return cursor }
                cursor += 1
            }
            return nil
        }
        func countLines(_ range: Range<Int>) -> Int { characters[range].reduce(0) { $0 + ($1 == "\n" ? 1 : 0) } }
        while index < characters.count {
            guard starts("{{", at: index) else {
                if characters[index] == "\n" { line += 1 }
                index += 1
                continue
            }
            let tagLine = line
            let bodyStart = index + 2
            let triple = starts("{", at: bodyStart)
            let closer = triple ? "}}}" : "}}"
            let searchFrom = triple ? bodyStart + 1 : bodyStart
            guard let end = find(closer, from: searchFrom) else {
                tags.append(TemplateTag(kind: .unterminated, name: "", line: tagLine))
                break
            }
            var body = String(String.UnicodeScalarView(characters[searchFrom..<end]))
            line += countLines(index..<end)
            index = end + closer.unicodeScalars.count
            var kind = Kind.variable
            if triple {
                kind = .unescaped
            } else if let first = body.first {
                switch first {
                case "&": kind = .unescaped
                case "#": kind = .section
                case "^": kind = .invertedSection
                case "/": kind = .close
                case "!": kind = .comment
                case ">", "<", "$": kind = .partialOrBlock
                case "%": kind = .pragma
                case "=": kind = .delimiters
                default: kind = .variable
                }
                if kind != .variable { body.removeFirst() }
            }
            tags.append(
                TemplateTag(kind: kind, name: body.trimmingCharacters(in: .whitespacesAndNewlines), line: tagLine)
            )
            if kind == .delimiters { break }
        }
        return tags
    }
}
