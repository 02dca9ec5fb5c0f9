import Foundation
import KilpiCore
import NIOCore
import Testing

@testable import KilpiMail

/// Parsing `--smtp URL`: the defaults, percent-encoded credentials that never show, and refusals that name the part.
@Suite struct SMTPConfigurationTests {
    @Test func defaultsPortsAndSecurity() throws {
        let submission = try SMTPConfiguration(url: "smtp://mail.example.com")
        #expect(submission.host == "mail.example.com")
        #expect(submission.port == 587)
        #expect(submission.security == .startTLS)
        #expect(!submission.hasCredentials)
        #expect(!submission.isLoopback)
        let implicit = try SMTPConfiguration(url: "SMTPS://Mail.Example.com")
        #expect(implicit.port == 465)
        #expect(implicit.security == .implicitTLS)
        #expect(implicit.host == "mail.example.com")
        let relay = try SMTPConfiguration(url: "smtp://127.0.0.1:2525/")
        #expect(relay.port == 2525)
        #expect(relay.isLoopback)
        #expect(try SMTPConfiguration(url: "smtp://[::1]:25").host == "::1")
        #expect(try SMTPConfiguration(url: "smtp://[::1]:25").isLoopback)
        #expect(try SMTPConfiguration(url: "smtp://localhost").isLoopback)
        #expect(try SMTPConfiguration(url: "smtp://127.8.9.10").isLoopback)
        #expect(try !SMTPConfiguration(url: "smtp://128.0.0.1").isLoopback)
        #expect(try !SMTPConfiguration(url: "smtp://127.0.0.1.example.com").isLoopback)
    }

    @Test func credentialsAreDecodedAndNeverShown() throws {
        let configuration = try SMTPConfiguration(
            url: "smtp://notices%40kilpi.example:p%40ss%3Aw%2Frd@mail.example.com:587"
        )
        #expect(configuration.credentials == SMTPCredentials(user: "notices@kilpi.example", password: "p@ss:w/rd"))
        #expect(configuration.hasCredentials)
        #expect(String(describing: configuration) == "smtp://***@mail.example.com:587")
        #expect(String(reflecting: configuration) == "smtp://***@mail.example.com:587")
        var dumped = ""
        dump(configuration, to: &dumped)
        #expect(!dumped.contains("p@ss"))
        #expect(!dumped.contains("notices@"))
        var credentials = ""
        dump(configuration.credentials, to: &credentials)
        #expect(!credentials.contains("p@ss"))
        #expect(String(describing: configuration.credentials) == "Optional((credentials))")
    }

    @Test(arguments: [
        ("http://mail.example.com", "scheme"),
        ("mail.example.com:587", "url"),
        ("smtp://mail.example.com:587 ", "url"),
        ("smtp://mail.example.com\r\n:587", "url"),
        ("smtp://", "host"),
        ("smtp://:587", "host"),
        ("smtp://user:pw@", "host"),
        ("smtp://mail_.exa mple.com", "url"),
        ("smtp://-mail.example.com", "host"),
        ("smtp://mail..example.com", "host"),
        ("smtp://[zz::1]:25", "host"),
        ("smtp://[::1", "host"),
        ("smtp://mail.example.com:", "port"),
        ("smtp://mail.example.com:0", "port"),
        ("smtp://mail.example.com:65536", "port"),
        ("smtp://mail.example.com:25x", "port"),
        ("smtp://mail.example.com:+25", "port"),
        ("smtp://user@mail.example.com", "password"),
        ("smtp://user:@mail.example.com", "password"),
        ("smtp://:secret@mail.example.com", "user"),
        ("smtp://us%zzer:secret@mail.example.com", "user"),
        ("smtp://user:sec%0D%0Aret@mail.example.com", "password"),
        ("smtp://user:sec%00ret@mail.example.com", "password"),
        ("smtp://mail.example.com/relay", "path"),
        ("smtp://mail.example.com?tls=off", "path"),
    ])
    func refusalsNameThePart(url: String, field: String) throws {
        let error = #expect(throws: SMTPConfigurationError.self) { try SMTPConfiguration(url: url) }
        #expect(error?.field == field, "\(url): \(String(describing: error))")
        // Every message has its Finnish and Swedish (the Swedish comes from the catalogue, not the English).
        if let message = error?.message {
            #expect(message.fi != message.en)
            #expect(message.text(.sv) != message.en, "no Swedish for \(message.en)")
        }
        #expect(String(describing: error).contains("secret") == false)
    }

    @Test func theCAFileIsCheckedWhenTheConfigurationIsMade() throws {
        let missing = #expect(throws: SMTPConfigurationError.self) {
            try SMTPConfiguration(url: "smtp://mail.example.com", caFile: "/nonexistent/ca.pem")
        }
        #expect(missing?.field == "caFile")
        let file = try Python.temporaryFile("not-a-ca.pem", Array("hello\n".utf8))
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
        let notPEM = #expect(throws: SMTPConfigurationError.self) {
            try SMTPConfiguration(url: "smtp://mail.example.com", caFile: file.path)
        }
        #expect(notPEM?.field == "caFile")
        #expect(notPEM?.message.text(.sv) != notPEM?.message.en)
    }

    @Test func connectErrorsHaveFinnishAndSwedish() {
        let errors: [SMTPError] = [
            .connectionFailed("mail.example.com:587", detail: "refused"), .timedOut, .connectionClosed,
            .protocolViolation("x"), .refused("EHLO", reply: SMTPReply(code: 554, lines: ["no"])),
            .greetingRefused(SMTPReply(code: 554, lines: ["no"])), .tlsUnavailable, .tlsFailed("x"),
            .authenticationUnavailable, .authenticationFailed(SMTPReply(code: 535, lines: ["no"])),
        ]
        for error in errors {
            #expect(error.message.fi != error.message.en)
            #expect(error.message.text(.sv) != error.message.en, "no Swedish for \(error.message.en)")
        }
        #expect(
            SMTPError.connectionFailed("mail.example.com:587", detail: "x").message.text(.sv)
                == "kunde inte ansluta till e-postservern mail.example.com:587"
        )
    }
}

/// The bytes on the wire: dot-stuffing in one pass and the reply reader's bounds.
@Suite struct SMTPWireFormatTests {
    static func data(_ text: String) -> String {
        var buffer = ByteBufferAllocator().buffer(capacity: 0)
        SMTPWireFormat.writeData(Array(text.utf8), to: &buffer)
        return String(buffer: buffer)
    }

    @Test func dotStuffing() {
        #expect(Self.data("a\r\n.\r\nb\r\n") == "a\r\n..\r\nb\r\n.\r\n")
        #expect(Self.data(".first\r\n..second\r\nmid.dle\r\n") == "..first\r\n...second\r\nmid.dle\r\n.\r\n")
        #expect(Self.data("") == ".\r\n")
        #expect(Self.data("no end") == "no end\r\n.\r\n")
        #expect(Self.data("bare\nlf\n.x") == "bare\r\nlf\r\n..x\r\n.\r\n")
        #expect(Self.data("bare\rcr\r") == "bare\r\ncr\r\n.\r\n")
        // The smuggling shapes: "\n.\n" and "\r\n.\n" can never end the data early.
        #expect(Self.data("a\n.\nb\r\n.\nc\r\n") == "a\r\n..\r\nb\r\n..\r\nc\r\n.\r\n")
    }

    @Test func envelopeAddresses() {
        #expect(SMTPWireFormat.isSafeEnvelopeAddress("a@example.com", allowEmpty: false))
        #expect(SMTPWireFormat.isSafeEnvelopeAddress("", allowEmpty: true))
        #expect(!SMTPWireFormat.isSafeEnvelopeAddress("", allowEmpty: false))
        for bad in [
            "a@example.com\r\n", "a b@example.com", "a>@example.com", "<a@example.com", "ä@example.com",
            "a\u{7F}@example.com", String(repeating: "a", count: 250) + "@x.fi",
        ] {
            #expect(!SMTPWireFormat.isSafeEnvelopeAddress(bad, allowEmpty: true), "\(bad)")
        }
    }
}
