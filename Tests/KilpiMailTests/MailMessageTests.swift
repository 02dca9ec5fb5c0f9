import Foundation
import KilpiMail
import Testing

/// Built messages parsed back by Python's `email` package: what a mail client will show is what was written.
@Suite struct MailMessageTests {
    static let outboxID = try! OutboxID("0f3c9a1e-5b7d-4e2a-9c61-2d8f4b7a1c05")

    /// Text that has broken mail software before: markup, SQL, mbox's "From ", SMTP's lone ".", quoted-printable
    /// look-alikes, our own boundary prefix, trailing whitespace, 1000-character lines, emoji.
    static let hostileText = [
        "Hei Åsa,", "", "<script>alert('x')</script> Robert'); DROP TABLE customers;--",
        "From the security team", ".", "..", ". leading dot", "trailing spaces   ", "\t tab line\t",
        "= equals =3D =?UTF-8?Q?x?= =", "--=_kilpi_notaboundary", "--=_kilpi_notaboundary--",
        "emoji 👩‍👩‍👧 🔐 ✅", String(repeating: "x", count: 1000), String(repeating: "ä", count: 1000),
        String(repeating: "a ", count: 500), "", "last line",
    ].joined(separator: "\n")

    static func message(
        subject: String = "Tietoturvaloukkaus – mitä tapahtui",
        from: MailAddress = MailAddress("security@example.com", displayName: "Esimerkki Oy"),
        to: MailAddress = MailAddress("asa@example.org", displayName: "Åsa Öberg"),
        text: String = "Hei!\nTässä tiedote.",
        html: String = "<p>Hei!</p>"
    ) -> MailMessage {
        MailMessage(
            from: from,
            to: to,
            subject: subject,
            text: text,
            html: html,
            outboxID: outboxID,
            date: Date(timeIntervalSince1970: 1_796_149_431)
        )
    }

    @Test func aFinnishNoticeParsesBackExactly() throws {
        let rendered = try Self.message().rendered()
        let parsed = try ParsedMessage.parse(rendered.bytes)
        #expect(parsed.defects == [])
        #expect(parsed.subject == "Tietoturvaloukkaus – mitä tapahtui")
        #expect(parsed.from == [.init(name: "Esimerkki Oy", address: "security@example.com")])
        #expect(parsed.to == [.init(name: "Åsa Öberg", address: "asa@example.org")])
        #expect(parsed.notice == Self.outboxID.value)
        #expect(parsed.messageID == rendered.messageID)
        #expect(parsed.date == "Tue, 01 Dec 2026 18:23:51 +0000")
        #expect(parsed.dateISO == "2026-12-01T18:23:51+00:00")
        #expect(parsed.contentType == "multipart/alternative")
        #expect(parsed.parts.map(\.type) == ["text/plain", "text/html"])
        #expect(parsed.parts.allSatisfy { $0.charset == "utf-8" && $0.transferEncoding == "quoted-printable" })
        #expect(parsed.parts.map(\.content) == ["Hei!\r\nTässä tiedote.", "<p>Hei!</p>"])
    }

    @Test func hostileContentSurvivesInBothParts() throws {
        let html = "<html><body><pre>\(Self.hostileText)</pre></body></html>"
        let rendered = try Self.message(text: Self.hostileText, html: html).rendered()
        let parsed = try ParsedMessage.parse(rendered.bytes)
        #expect(parsed.defects == [])
        try #require(parsed.parts.count == 2)
        // Lines end in CRLF on the wire (RFC 5322); otherwise every character is as written.
        #expect(parsed.parts[0].content == Self.hostileText.replacingOccurrences(of: "\n", with: "\r\n"))
        #expect(parsed.parts[1].content == html.replacingOccurrences(of: "\n", with: "\r\n"))
        Self.expectWellFormedLines(rendered.bytes)
    }

    @Test(arguments: [
        "Tietoturvaloukkaus – mitä tapahtui",
        "Dataintrång – vad som hände och vad du kan göra nu",
        "Notice of Data Breach",
        "A plain ASCII subject that is long enough to need folding onto more than one line of the header block",
        String(repeating: "Pitkä otsikko, jossa on ääkkösiä ja – viivoja. ", count: 6),
        "<script>alert(1)</script> Robert'); DROP TABLE customers;--",
        "=?UTF-8?B?SGk=?= is not an encoded word here",
        "  leading and  double  spaces ",
        "🔐 Emoji 👩‍👩‍👧 subject",
        String(repeating: "x", count: 200),
        "",
    ])
    func subjectsDecodeExactly(subject: String) throws {
        let rendered = try Self.message(subject: subject).rendered()
        let parsed = try ParsedMessage.parse(rendered.bytes)
        #expect(parsed.subject == subject)
        #expect(parsed.defects == [])
        Self.expectWellFormedLines(rendered.bytes)
    }

    @Test(arguments: [
        "Åsa Öberg", "Robert'); DROP TABLE customers;--", "Doe, John", "\"Quoted\" and \\ backslash",
        "<script>alert(1)</script>", "Åsa Öberg-Jääskeläinen",
        "Jääskeläinen-Kärkkäinen, Eeva-Liisa Ülle Åkerblom-Öhman och några fler namn",
        String(repeating: "Long Ascii Name ", count: 8), "🔐 Turva", "a@b.example", "=?UTF-8?Q?fake?=",
        // One word longer than a line: encoded, never a line past 998 octets for a relay to break.
        String(repeating: "x", count: 1100), String(repeating: "x", count: 990) + "Bcc: evil@example.com",
    ])
    func displayNamesDecodeExactly(name: String) throws {
        let message = Self.message(
            from: MailAddress("security@example.com", displayName: name),
            to: MailAddress("asa@example.org", displayName: name)
        )
        let rendered = try message.rendered()
        let parsed = try ParsedMessage.parse(rendered.bytes)
        // RFC 2047 §6.2: the space between two adjacent encoded-words is not part of the text. Python's modern
        // address parser keeps it (a CPython bug), so a name that needs several words is checked with the
        // package's RFC-conformant `decode_header`; a name that fits one word (most names) with both.
        #expect(parsed.rfc2047From == name)
        #expect(parsed.rfc2047To == name)
        #expect(parsed.from.map(\.address) == ["security@example.com"])
        #expect(parsed.to.map(\.address) == ["asa@example.org"])
        if !Self.needsSeveralEncodedWords(name) {
            #expect(parsed.from == [.init(name: name, address: "security@example.com")])
            #expect(parsed.to == [.init(name: name, address: "asa@example.org")])
        }
        #expect(parsed.defects == [])
        Self.expectWellFormedLines(rendered.bytes)
    }

    @Test func anAddressWithoutADisplayNameIsWrittenBare() throws {
        let rendered = try Self.message(to: MailAddress("asa@example.org")).rendered()
        let parsed = try ParsedMessage.parse(rendered.bytes)
        #expect(parsed.to == [.init(name: "", address: "asa@example.org")])
    }

    @Test func eachHeaderAppearsOnce() throws {
        let parsed = try ParsedMessage.parse(try Self.message().rendered().bytes)
        #expect(
            parsed.headerNames == [
                "From", "To", "Subject", "Date", "Message-ID", "X-Kilpi-Notice", "MIME-Version", "Content-Type",
            ]
        )
    }

    @Test func theEnvelopeSenderIsTheNoticesVERPAddress() throws {
        let rendered = try Self.message().rendered()
        #expect(rendered.envelopeSender == "bounces+\(Self.outboxID.value)@example.com")
        #expect(rendered.recipient == "asa@example.org")
        #expect(OutboxID(bounceAddress: rendered.envelopeSender, domain: "example.com") == Self.outboxID)
        #expect(OutboxID(bounceAddress: rendered.envelopeSender, domain: "example.net") == nil)
        #expect(OutboxID(bounceAddress: "postmaster@example.com", domain: "example.com") == nil)

        var elsewhere = Self.message()
        elsewhere.bounceDomain = "bounces.example.net"
        #expect(try elsewhere.rendered().envelopeSender == "bounces+\(Self.outboxID.value)@bounces.example.net")
    }

    @Test func messageIDsAndBoundariesAreFreshEachTime() throws {
        let first = try Self.message().rendered()
        let second = try Self.message().rendered()
        #expect(first.messageID != second.messageID)
        #expect(first.messageID.hasPrefix("<") && first.messageID.hasSuffix("@example.com>"))
        func boundary(_ bytes: [UInt8]) -> String? {
            String(decoding: bytes, as: UTF8.self).components(separatedBy: "boundary=\"").dropFirst().first?
                .components(separatedBy: "\"").first
        }
        let boundaries = [boundary(first.bytes), boundary(second.bytes)]
        #expect(boundaries.allSatisfy { ($0?.count ?? 0) > 20 })
        #expect(boundaries[0] != boundaries[1])
    }

    @Test func outboxIDsMustBeSafeInALocalPart() throws {
        for bad in ["", "a b", "x@y", "a+b", "a.b", "ä", "a\r\nBcc: x", String(repeating: "a", count: 41)] {
            #expect(throws: MailMessageError.self) { try OutboxID(bad) }
        }
        let uuid = UUID()
        #expect(OutboxID(uuid).value == uuid.uuidString.lowercased())
        #expect(try OutboxID("12345").value == "12345")
        // A bounce whose local part came back upper-cased still names its notice.
        let id = try OutboxID("Notice-7A")
        #expect(id.value == "notice-7a")
        #expect(OutboxID(bounceAddress: "BOUNCES+NOTICE-7A@Example.com", domain: "example.com") == id)
    }

    @Test func datesAreRFC5322InUTC() throws {
        let cases: [(TimeInterval, String)] = [
            (0, "Thu, 01 Jan 1970 00:00:00 +0000"),
            (1_709_208_000, "Thu, 29 Feb 2024 12:00:00 +0000"),
            (951_825_599, "Tue, 29 Feb 2000 11:59:59 +0000"),
            (4_102_444_799, "Thu, 31 Dec 2099 23:59:59 +0000"),
        ]
        for (seconds, expected) in cases {
            var message = Self.message()
            message.date = Date(timeIntervalSince1970: seconds)
            let parsed = try ParsedMessage.parse(try message.rendered().bytes)
            #expect(parsed.date == expected)
        }
    }

    static func needsSeveralEncodedWords(_ name: String) -> Bool {
        let encoded = String(
            decoding: try! message(to: MailAddress("a@example.org", displayName: name)).rendered().bytes,
            as: UTF8.self
        )
        let to = encoded.components(separatedBy: "\r\nTo: ")[1].components(separatedBy: "\r\nSubject:")[0]
        return to.components(separatedBy: "=?UTF-8?").count > 2
    }

    /// CRLF everywhere, header lines within 78 characters, body lines within quoted-printable's 76.
    static func expectWellFormedLines(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains(where: { $0 == "\r" || $0 == "\n" }))
        let lines = text.components(separatedBy: "\r\n")
        let blank = lines.firstIndex(of: "") ?? lines.endIndex
        for line in lines[..<blank] {
            #expect(line.utf8.count <= 78, "header line too long: \(line)", sourceLocation: sourceLocation)
        }
        for line in lines[blank...] {
            #expect(line.utf8.count <= 76, "body line too long: \(line)", sourceLocation: sourceLocation)
            #expect(!line.hasPrefix("From ") && !line.hasPrefix("."), sourceLocation: sourceLocation)
        }
    }
}
