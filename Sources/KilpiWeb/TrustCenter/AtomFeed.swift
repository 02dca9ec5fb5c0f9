import Foundation
import KilpiCore
import KilpiMarkdown

/// An Atom feed (RFC 4287) of public posts: each entry with its permanent id (the post's address), when it went
/// out and when it was last corrected, an excerpt, and the sanitised HTML of the whole post.
struct AtomFeed {
    let title: String
    /// The feed's own absolute address (its id and its `self` link).
    let selfURL: String
    /// The page that shows the same posts.
    let pageURL: String
    let company: String
    let language: Language
    let posts: [PublicPost]
    /// The absolute address of a post's page.
    let postURL: (PublicPost) -> String
    /// The feed's time when it holds no post.
    let emptyUpdated: Date

    func xml() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        func time(_ date: Date) -> String { formatter.string(from: date) }
        func updated(_ post: PublicPost) -> Date { post.correctedAt ?? post.releasedAt ?? post.writtenAt }
        let newest = posts.map(updated).max() ?? emptyUpdated
        var xml = """
            <?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom" xml:lang="\(language.rawValue)">
            <title>\(Self.escape(title))</title>
            <id>\(Self.escape(selfURL))</id>
            <updated>\(time(newest))</updated>
            <link rel="self" type="application/atom+xml" href="\(Self.escape(selfURL))"/>
            <link rel="alternate" type="text/html" href="\(Self.escape(pageURL))"/>
            <author><name>\(Self.escape(company))</name></author>

            """
        for post in posts {
            let url = postURL(post)
            xml += """
                <entry xml:lang="\(post.language.rawValue)">
                <title>\(Self.escape(post.title))</title>
                <id>\(Self.escape(url))</id>
                <link rel="alternate" type="text/html" href="\(Self.escape(url))"/>
                <published>\(time(post.releasedAt ?? post.writtenAt))</published>
                <updated>\(time(updated(post)))</updated>
                <category term="\(post.kind.rawValue)"/>
                <summary>\(Self.escape(PublicMarkdown.excerpt(post.body)))</summary>
                <content type="html">\(Self.escape(PublicMarkdown.html(post.body)))</content>
                </entry>

                """
        }
        return xml + "</feed>\n"
    }

    /// XML text: the five markup characters escaped and the characters XML 1.0 forbids dropped.
    static func escape(_ text: String) -> String {
        var output = ""
        output.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "'": output += "&apos;"
            case "\t", "\n", "\r": output.unicodeScalars.append(scalar)
            default:
                let value = scalar.value
                let allowed =
                    (0x20...0xD7FF).contains(value) || (0xE000...0xFFFD).contains(value)
                    || (0x10000...0x10FFFF).contains(value)
                if allowed { output.unicodeScalars.append(scalar) }
            }
        }
        return output
    }
}
