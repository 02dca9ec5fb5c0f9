import Foundation
import KilpiMail
import Testing

/// A line break (or any control character) in a name, an address or a subject must never become a header of
/// its own: building the message fails with an error that names the header and does not repeat the value.
@Suite struct HeaderInjectionTests {
    static let payloads = [
        "Hello\r\nBcc: victim@example.net", "Hello\nBcc: victim@example.net", "Hello\rBcc: victim@example.net",
        "Hello\r\n\r\n<html>body</html>", "nul\u{0}byte", "tab\there", "escape\u{1B}[31m", "delete\u{7F}",
        "next line\u{85}", "line\u{2028}separator", "paragraph\u{2029}separator",
    ]

    @Test(arguments: payloads)
    func aSubjectWithAControlCharacterIsRefused(payload: String) {
        let error = #expect(throws: MailMessageError.self) {
            try MailMessageTests.message(subject: payload).rendered()
        }
        #expect(error?.field == "Subject")
        #expect(error.map { !$0.description.contains("Bcc") && !$0.description.contains("victim") } ?? false)
    }

    @Test(arguments: payloads)
    func aDisplayNameWithAControlCharacterIsRefused(payload: String) {
        let to = #expect(throws: MailMessageError.self) {
            try MailMessageTests.message(to: MailAddress("asa@example.org", displayName: payload)).rendered()
        }
        #expect(to?.field == "To")
        let from = #expect(throws: MailMessageError.self) {
            try MailMessageTests.message(from: MailAddress("a@example.com", displayName: payload)).rendered()
        }
        #expect(from?.field == "From")
    }

    @Test(arguments: [
        "asa@example.org\r\nBcc: victim@example.net", "asa@example.org\n", "asa@exa\u{0}mple.org",
        "asa@example.org>, victim@example.net", "\"quoted\"@example.org", "asa @example.org", "asa@example",
        "åsa@example.org", "asa@exämple.org", "asa@-example.org", "asa@example..org", ".asa@example.org",
        "asa@@example.org", "", "asa", "@example.org", String(repeating: "a", count: 65) + "@example.org",
    ])
    func anAddressThatIsNotAPlainMailboxIsRefused(address: String) {
        let error = #expect(throws: MailMessageError.self) {
            try MailMessageTests.message(to: MailAddress(address, displayName: "Åsa")).rendered()
        }
        #expect(error?.field == "To")
        #expect(error.map { address.isEmpty || !$0.description.contains(address) } ?? false)
    }

    @Test func theWholeMessageIsRefusedNotPartlyBuilt() throws {
        // No bytes come back at all: the caller cannot send a message with the dangerous header left out.
        let message = MailMessageTests.message(subject: "ok", text: "fine", html: "<p>fine</p>")
        #expect(throws: Never.self) { try message.rendered() }
        var broken = message
        broken.to = MailAddress("asa@example.org", displayName: "Åsa\r\nBcc: victim@example.net")
        #expect(throws: MailMessageError.self) { try broken.rendered() }
    }
}
