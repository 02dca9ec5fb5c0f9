@preconcurrency import Ink

/// Markdown that the public reads (trust-center posts, guides), rendered to HTML that is safe to put in a page:
/// Ink renders it with raw HTML shown as text and images dropped (no outside image loads a reader's address to
/// a tracker), then `HTMLAllowlist` keeps only the elements and attributes a post needs and only links to
/// http(s), mailto and this site. Both steps are needed: Ink copies link targets and code-block languages into
/// attributes unescaped.
public enum PublicMarkdown {
    /// The sanitised HTML of `markdown`.
    public static func html(_ markdown: String) -> String {
        HTMLAllowlist.sanitise(parser.html(from: markdown))
    }

    /// The text of the first paragraph, at most `limit` characters: the excerpt a list or a feed shows.
    public static func excerpt(_ markdown: String, limit: Int = 280) -> String {
        let html = html(markdown)
        let first: Substring
        if let open = html.range(of: "<p>"), let close = html.range(of: "</p>", range: open.upperBound..<html.endIndex)
        {
            first = html[open.upperBound..<close.lowerBound]
        } else {
            first = Substring(html)
        }
        let text = HTMLAllowlist.text(String(first))
        guard text.count > limit else { return text }
        return String(text.prefix(limit - 1)).trimmingCharacters(in: .whitespaces) + "…"
    }

    // Ink's parser holds only its modifiers and is never changed after this.
    nonisolated(unsafe) private static let parser = MarkdownParser(modifiers: [
        // Raw HTML in the Markdown becomes visible text.
        Modifier(target: .html) { input in HTMLAllowlist.escape(String(input.markdown)) },
        // An image becomes its alternative text.
        Modifier(target: .images) { input in
            let markdown = input.markdown
            guard let start = markdown.range(of: "!["), let end = markdown.range(of: "](") else { return "" }
            return HTMLAllowlist.escape(String(markdown[start.upperBound..<end.lowerBound]))
        },
    ])
}

extension String {
    fileprivate func trimmingCharacters(in set: Set<Character>) -> String {
        var text = Substring(self)
        while let last = text.last, set.contains(last) { text = text.dropLast() }
        while let first = text.first, set.contains(first) { text = text.dropFirst() }
        return String(text)
    }
}

extension Set where Element == Character {
    fileprivate static let whitespaces: Set<Character> = [" ", "\t", "\n"]
}
