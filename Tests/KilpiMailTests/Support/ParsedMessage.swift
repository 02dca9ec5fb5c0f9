import Foundation
import Testing

/// A built message as Python's `email` package (policy.default, the strict modern parser) reads it back.
struct ParsedMessage: Decodable {
    struct Mailbox: Decodable, Equatable {
        let name: String
        let address: String
    }

    struct Part: Decodable {
        let type: String
        let charset: String?
        let transferEncoding: String?
        let content: String
    }

    let subject: String
    let from: [Mailbox]
    let to: [Mailbox]
    let notice: String?
    let messageID: String?
    let date: String?
    /// The Date header as an ISO 8601 instant, as `email.utils` parses it.
    let dateISO: String
    let contentType: String
    let headerNames: [String]
    let defects: [String]
    let parts: [Part]
    /// The From and To display names decoded by `email.header.decode_header` (RFC 2047 §6.2 conformant).
    let rfc2047From: String
    let rfc2047To: String

    static let script = #"""
        import sys, json, email, email.utils
        from email import policy
        message = email.message_from_bytes(open(sys.argv[1], 'rb').read(), policy=policy.default)
        def mailboxes(name):
            return [{"name": a.display_name, "address": a.addr_spec} for a in message[name].addresses]
        defects = [repr(d) for d in message.defects]
        parts = []
        for part in message.iter_parts():
            defects += [repr(d) for d in part.defects]
            parts.append({"type": part.get_content_type(), "charset": part.get_content_charset(),
                          "transferEncoding": part["content-transfer-encoding"], "content": part.get_content()})
        for name in ("from", "to", "subject"):
            defects += [repr(d) for d in message[name].defects]
        from email.header import decode_header, make_header
        legacy = email.message_from_bytes(open(sys.argv[1], 'rb').read(), policy=policy.compat32)
        def rfc2047(name):
            display, _ = email.utils.parseaddr(legacy[name])
            return str(make_header(decode_header(display)))
        print(json.dumps({
            "rfc2047From": rfc2047("from"), "rfc2047To": rfc2047("to"),
            "subject": str(message["subject"]), "from": mailboxes("from"), "to": mailboxes("to"),
            "notice": message["x-kilpi-notice"], "messageID": message["message-id"], "date": message["date"],
            "dateISO": email.utils.parsedate_to_datetime(message["date"]).isoformat(),
            "contentType": message.get_content_type(), "headerNames": list(message.keys()),
            "defects": defects, "parts": parts}))
        """#

    /// Writes `bytes` to a temporary file and parses it with python3.
    static func parse(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) throws -> ParsedMessage {
        let file = try Python.temporaryFile("message.eml", bytes)
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
        let (status, output) = try Python.run(script, [file.path], sourceLocation: sourceLocation)
        try #require(status == 0, "python email parser: \(output)", sourceLocation: sourceLocation)
        return try JSONDecoder().decode(ParsedMessage.self, from: Data(output.utf8))
    }
}
