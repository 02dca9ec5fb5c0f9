import Foundation
import Testing

@testable import KilpiMail

/// RFC 2045 §6.7's rules, one vector each, and a round trip through Python's own decoder.
@Suite struct QuotedPrintableTests {
    static func encoded(_ text: String) -> String { String(decoding: QuotedPrintable.encode(text), as: UTF8.self) }

    @Test func printableASCIIStaysAsItIs() {
        #expect(Self.encoded("") == "")
        #expect(Self.encoded("Hello, world!") == "Hello, world!")
        #expect(Self.encoded("<p class=\"x\">") == "<p class=3D\"x\">")
    }

    @Test func equalsSignAndNonASCIIAreEncoded() {
        // Rule 1: "=" and every octet outside 33-126 as =XX with uppercase hex digits.
        #expect(Self.encoded("a=b") == "a=3Db")
        #expect(Self.encoded("ä") == "=C3=A4")
        #expect(Self.encoded("–") == "=E2=80=93")
        #expect(Self.encoded("🔐") == "=F0=9F=94=90")
        #expect(Self.encoded("nul\u{0}") == "nul=00")
        #expect(Self.encoded("del\u{7F}") == "del=7F")
    }

    @Test func whitespaceIsEncodedOnlyAtTheEndOfALine() {
        // Rule 3: trailing space or tab would be stripped by transports.
        #expect(Self.encoded("a b\tc") == "a b\tc")
        #expect(Self.encoded("end  ") == "end =20")
        #expect(Self.encoded("tab\t") == "tab=09")
        #expect(Self.encoded("space \nnext") == "space=20\r\nnext")
    }

    @Test func everyLineEndBecomesCRLF() {
        // Rule 4: line breaks are hard CRLFs; LF and a lone CR are normalised.
        #expect(Self.encoded("a\nb") == "a\r\nb")
        #expect(Self.encoded("a\r\nb") == "a\r\nb")
        #expect(Self.encoded("a\rb") == "a\r\nb")
        #expect(Self.encoded("a\n\nb\n") == "a\r\n\r\nb\r\n")
    }

    @Test func longLinesGetSoftBreaksWithinSeventySixCharacters() {
        // Rule 5: at most 76 characters a line, the soft break's "=" included.
        #expect(Self.encoded(String(repeating: "x", count: 76)) == String(repeating: "x", count: 76))
        #expect(
            Self.encoded(String(repeating: "x", count: 77))
                == String(repeating: "x", count: 75) + "=\r\n" + "xx"
        )
        // An =XX triple is never split across a soft break.
        #expect(
            Self.encoded(String(repeating: "x", count: 74) + "ä")
                == String(repeating: "x", count: 74) + "=\r\n=C3=A4"
        )
        let lines = Self.encoded(String(repeating: "ä€ x", count: 400)).components(separatedBy: "\r\n")
        #expect(lines.allSatisfy { $0.utf8.count <= 76 })
        #expect(lines.dropLast().allSatisfy { $0.hasSuffix("=") })
    }

    @Test func lineStartsThatTransportsMangleAreEncoded() {
        #expect(Self.encoded("From here") == "=46rom here")
        #expect(Self.encoded("Fromage") == "Fromage")
        #expect(Self.encoded("a\nFrom b") == "a\r\n=46rom b")
        #expect(Self.encoded(".") == "=2E")
        #expect(Self.encoded("..\na.b") == "=2E.\r\na.b")
        // The same after a soft break: the next physical line starts there too.
        #expect(
            Self.encoded(String(repeating: "x", count: 75) + ".y")
                == String(repeating: "x", count: 75) + "=\r\n=2Ey"
        )
    }

    @Test func pythonDecodesEveryVectorBackToTheOriginal() throws {
        let samples = [
            "", "plain", "a=b", "end  ", "tab\t", "ä€🔐", "From x", ".", String(repeating: "x", count: 77),
            String(repeating: "ä", count: 300), String(repeating: "a ", count: 100), "= =3D =\n=",
            String(repeating: "x", count: 75) + ".y", "mixed\tws \t \nline",
        ]
        let encoded = samples.map { Data(QuotedPrintable.encode($0)).base64EncodedString() }
        let script = """
            import sys, json, base64, quopri
            print(json.dumps([quopri.decodestring(base64.b64decode(a)).decode('utf-8') for a in sys.argv[1:]]))
            """
        let (status, output) = try Python.run(script, encoded)
        try #require(status == 0, "\(output)")
        let decoded = try JSONDecoder().decode([String].self, from: Data(output.utf8))
        #expect(decoded == samples.map { $0.replacingOccurrences(of: "\n", with: "\r\n") })
    }
}
