import Testing

@testable import KilpiMail

/// The worked example of RFC 6376 §3.4.6 and the empty-body edge cases.
@Suite struct DKIMCanonicalizationTests {
    static func bytes(_ text: String) -> ArraySlice<UInt8> { ArraySlice(text.utf8) }
    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    @Test func relaxedHeadersAsInTheRFCExample() {
        #expect(Self.text(DKIMCanonicalization.header(Self.bytes("A: X"))) == "a:X")
        #expect(Self.text(DKIMCanonicalization.header(Self.bytes("B : Y\t\r\n\tZ  "))) == "b:Y Z")
        #expect(Self.text(DKIMCanonicalization.header(Self.bytes("Subject:  a \t b  "))) == "subject:a b")
    }

    @Test func relaxedBodyAsInTheRFCExample() {
        #expect(Self.text(DKIMCanonicalization.body(Self.bytes(" C \r\nD \t E\r\n\r\n\r\n"))) == " C\r\nD E\r\n")
    }

    @Test func emptyLinesOnlyCountWhenSomethingFollows() {
        #expect(DKIMCanonicalization.body(Self.bytes("")) == [])
        #expect(DKIMCanonicalization.body(Self.bytes("\r\n\r\n")) == [])
        #expect(DKIMCanonicalization.body(Self.bytes(" \t \r\n")) == [])
        #expect(Self.text(DKIMCanonicalization.body(Self.bytes("a\r\n\r\nb"))) == "a\r\n\r\nb\r\n")
        #expect(Self.text(DKIMCanonicalization.body(Self.bytes("a\r\n \r\n"))) == "a\r\n")
    }
}
