import KilpiCore
import Testing

@Suite("Markup escaping")
struct MarkupEscapingTests {
    @Test("the five characters are escaped and everything else is kept, also beside multi-byte text")
    func escapesTheFive() {
        #expect(
            MarkupEscaping.escape(#"<script>alert("x") & 'y'</script>"#)
                == "&lt;script&gt;alert(&quot;x&quot;) &amp; &#39;y&#39;&lt;/script&gt;"
        )
        #expect(MarkupEscaping.escape("Åsa Öberg-Ääkkönen 😀 <b>") == "Åsa Öberg-Ääkkönen 😀 &lt;b&gt;")
        #expect(MarkupEscaping.escape("Robert'); DROP TABLE") == "Robert&#39;); DROP TABLE")
        #expect(MarkupEscaping.escape("plain text\nwith a line") == "plain text\nwith a line")
        #expect(MarkupEscaping.escape("") == "")
    }

    @Test("an apostrophe or quote a combining mark follows is escaped all the same")
    func combiningMarks() {
        // One Character each to Swift ("'" + U+0301, "\"" + U+0308): a walk over Characters would miss them.
        let escaped = MarkupEscaping.escape("x='\u{301} y=\"\u{308}")
        #expect(!escaped.unicodeScalars.contains("'") && !escaped.unicodeScalars.contains("\""))
        #expect(escaped == "x=&#39;\u{301} y=&quot;\u{308}")
    }

    @Test("line feeds get the break before them only when asked for")
    func lineBreaks() {
        #expect(MarkupEscaping.escape("a\n<b>\n", beforeEachLineFeed: "<br>") == "a<br>\n&lt;b&gt;<br>\n")
        #expect(MarkupEscaping.escape("no breaks", beforeEachLineFeed: "<br>") == "no breaks")
        #expect(MarkupEscaping.escape("a\r\nb", beforeEachLineFeed: "<br>") == "a\r<br>\nb")
    }
}
