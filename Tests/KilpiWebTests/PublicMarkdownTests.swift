import Foundation
import Testing

@testable import KilpiMarkdown

/// Hostile Markdown never reaches a reader as live markup: raw HTML is shown as text, links go only to http(s),
/// mailto and this site, and nothing carries an attribute that runs script.
@Suite("Public Markdown: Ink, then the allowlist")
struct PublicMarkdownTests {
    @Test
    func ordinaryMarkdownRenders() {
        let html = PublicMarkdown.html(
            "# Title\n\nWe **rotated** every key.\n\n- one\n- two\n\nSee [our guide](/guides/phishing) or [mail](mailto:security@example.com) or [site](https://example.com/a?b=1&c=2)."
        )
        #expect(html.contains("<h2>Title</h2>"))
        #expect(html.contains("<strong>rotated</strong>"))
        #expect(html.contains("<ul><li>one</li><li>two</li></ul>"))
        #expect(html.contains("<a href=\"/guides/phishing\" rel=\"nofollow noopener noreferrer\">our guide</a>"))
        #expect(html.contains("href=\"mailto:security@example.com\""))
        #expect(html.contains("href=\"https://example.com/a?b=1&amp;c=2\""))
    }

    @Test(arguments: [
        "<script>alert(1)</script>",
        "Hello <img src=x onerror=alert(1)> there",
        "<div onclick=\"alert(1)\">click</div>",
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](&#106;avascript:alert(1))",
        "[x](java&#x09;script:alert(1))",
        "[x](\" onmouseover=\"alert(1))",
        "[x](/ok\" onmouseover=\"alert(1))",
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "[x](//evil.example/phish)",
        "[x](vbscript:msgbox)",
        "![tracker](https://tracker.example/pixel.gif)",
        "```\" onclick=\"alert(1)\nx\n```",
        "<a href=\"javascript:alert(1)\">raw</a>",
        "<iframe src=\"https://evil.example\"></iframe>",
        "<svg><script>alert(1)</script></svg>",
        "text <scr<script>ipt>alert(1)</script>",
        "<<a href=javascript:alert(1)>>",
        "<style>body{display:none}</style>",
        "&#60;script&#62;alert(1)&#60;/script&#62;",
    ])
    func hostileMarkdownIsNeutralised(markdown: String) {
        let html = PublicMarkdown.html(markdown)
        let lower = html.lowercased()
        #expect(!lower.contains("tracker.example/pixel"), "images never load from outside: \(html)")
        // Every tag in the output is an allowlisted element whose attributes are href (to a safe place), rel or
        // start; raw HTML survives only as escaped text.
        var rest = Substring(lower)
        while let open = rest.firstIndex(of: "<") {
            let close = rest[open...].firstIndex(of: ">") ?? rest.endIndex
            let tag = rest[rest.index(after: open)..<close]
            let parts = tag.split(separator: " ", maxSplits: 1)
            let name = parts.first.map { $0.hasPrefix("/") ? String($0.dropFirst()) : String($0) } ?? ""
            #expect(HTMLAllowlist.elements.contains(name), "\(name) in \(html)")
            if parts.count > 1 {
                let attributes = parts[1].split(separator: "\"").enumerated().filter { $0.offset % 2 == 0 }
                    .map { $0.element.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                #expect(attributes.allSatisfy { ["href=", "rel=", "start="].contains($0) }, "\(tag) in \(html)")
            }
            for scheme in ["javascript:", "data:", "vbscript:", "//evil"] {
                #expect(!tag.contains("href=\"\(scheme)"), "\(markdown) → \(html)")
            }
            rest = rest[close...].dropFirst()
        }
    }

    @Test
    func rawHTMLIsShownAsTextAndTheOutputIsBalanced() {
        let html = PublicMarkdown.html("Before <b onclick=x>bold</b> after\n\n**unclosed")
        #expect(html.contains("&lt;b onclick=x&gt;") || html.contains("<b>bold</b>"))
        #expect(!html.contains("onclick=x>"))
        #expect(HTMLAllowlist.sanitise("<p><strong>open").hasSuffix("</strong></p>"))
        #expect(HTMLAllowlist.sanitise("</em>text</p>") == "text")
        #expect(HTMLAllowlist.sanitise("a < b && c > d") == "a &lt; b &amp;&amp; c &gt; d")
        #expect(
            HTMLAllowlist.sanitise("<ol start=\"3\" onclick=\"x\"><li>c</li></ol>") == "<ol start=\"3\"><li>c</li></ol>"
        )
        #expect(HTMLAllowlist.sanitise("<ol start=\"-1\"><li>c</li></ol>") == "<ol><li>c</li></ol>")
    }

    @Test
    func excerptsAreTheFirstParagraphsText() {
        #expect(PublicMarkdown.excerpt("## Heading\n\nFirst **para** & more.\n\nSecond.") == "First para & more.")
        let long = PublicMarkdown.excerpt(String(repeating: "word ", count: 200), limit: 50)
        #expect(long.count <= 50 && long.hasSuffix("…"))
        #expect(PublicMarkdown.excerpt("<script>x</script>").contains("<script>"))
    }

    @Test
    func hugeAndOddInputDoesNotCrash() {
        let huge = String(repeating: "[a](b) **c** <d> &e; `f` \n", count: 2_000)
        #expect(!PublicMarkdown.html(huge).isEmpty)
        #expect(PublicMarkdown.html("").isEmpty || PublicMarkdown.html("").count < 20)
        _ = PublicMarkdown.html("<")
        _ = PublicMarkdown.html("&#99999999999;")
        _ = PublicMarkdown.html("&#x110000;")
        _ = PublicMarkdown.html("[")
        _ = PublicMarkdown.html("```")
    }
}
