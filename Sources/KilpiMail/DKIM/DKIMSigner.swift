import Crypto
import Foundation

/// Signs built messages with DKIM (RFC 6376): rsa-sha256, relaxed/relaxed.
public struct DKIMSigner: Sendable {
    public let key: DKIMKey
    /// `d=`: the signing domain, whose DNS holds the public key.
    public let domain: String
    /// `s=`: the selector, so keys can be rotated (`<selector>._domainkey.<domain>`).
    public let selector: String

    /// The headers signed, in this order. Each name is listed once more than the message carries it
    /// ("over-signing", RFC 6376 §8.15), also when it carries none: a second From or Subject, or a Reply-To or Cc
    /// the notice never had, added in transit then breaks the signature instead of riding along with a valid one
    /// (a forged Reply-To would send customers' questions to a phisher).
    public static let signedHeaders = [
        "from", "to", "subject", "date", "message-id", "mime-version", "content-type", "x-kilpi-notice",
        "reply-to", "sender", "cc", "in-reply-to", "references", "list-id", "list-unsubscribe",
        "list-unsubscribe-post", "content-transfer-encoding",
    ]

    public init(key: DKIMKey, domain: String, selector: String) throws(DKIMError) {
        guard MailAddress.isHostname(domain.utf8) else { throw .invalidName("--dkim-domain") }
        // A selector may be a single label, unlike a domain.
        guard MailAddress.isHostname((selector + ".x").utf8) else { throw .invalidName("--dkim-selector") }
        self.key = key
        self.domain = domain
        self.selector = selector
    }

    /// `message` with a DKIM-Signature header in front. `time` is the `t=` tag.
    public func sign(_ message: [UInt8], at time: Date = Date()) throws(DKIMError) -> [UInt8] {
        guard let split = Self.headerEnd(message) else { throw .unsignable("has no blank line after its header") }
        let fields = Self.fields(message[..<split])
        let bodyHash = SHA256.hash(data: DKIMCanonicalization.body(message[(split + 2)...]))

        var names: [String] = []
        var data: [UInt8] = []
        for name in Self.signedHeaders {
            let instances = fields.filter { $0.name == name }
            // Every instance, from the bottom up (§5.4.2), then the name once more: a verifier hashes nothing for
            // a listed name with no instance left, so one more added anywhere breaks the signature.
            for instance in instances.reversed() {
                data += DKIMCanonicalization.header(instance.field) + DKIMCanonicalization.crlf
            }
            names += Array(repeating: name, count: instances.count + 1)
        }

        let seconds = Int(time.timeIntervalSince1970.rounded(.down))
        // Folded at tag boundaries to stay within 78 characters; relaxed canonicalisation makes each fold one
        // space on both sides, so a relay that re-folds the field does not break it.
        let headerList = Self.folded(names.joined(separator: ":"), after: 68)
        var field =
            "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed;\r\n"
            + "\td=\(domain); s=\(selector); t=\(seconds);\r\n\th=\(headerList);\r\n"
            + "\tbh=\(Data(bodyHash).base64EncodedString());\r\n\tb="
        // The signature covers this very field with an empty b= (§3.7), with no CRLF after it.
        data += DKIMCanonicalization.header(ArraySlice(field.utf8))

        // rsa-sha256 is defined as RSASSA-PKCS1-v1_5 with SHA-256 (RFC 6376 §3.3.1, RFC 8017 §8.2): verifiers
        // accept nothing else. v1.5 signatures have no practical forgery attack; PSS is only preferred for new
        // protocols. OpenSSL's reason for a failure is not passed on (it could name key internals).
        guard let signature = key.key.signSHA256(data) else { throw .unsignable("the RSA signature failed") }
        field += Self.folded(Data(signature).base64EncodedString(), after: 70) + "\r\n"
        return Array(field.utf8) + message
    }

    /// Index of the CRLF CRLF that ends the header.
    static func headerEnd(_ message: [UInt8]) -> Int? {
        guard message.count >= 4 else { return nil }
        for index in 0...(message.count - 4)
        where message[index] == 0x0D && message[index + 1] == 0x0A && message[index + 2] == 0x0D
            && message[index + 3] == 0x0A
        {
            return index + 2
        }
        return nil
    }

    /// The header's fields, continuation lines kept with their field, each with its lowercased name.
    static func fields(_ header: ArraySlice<UInt8>) -> [(name: String, field: ArraySlice<UInt8>)] {
        var fields: [(name: String, field: ArraySlice<UInt8>)] = []
        var start = header.startIndex
        var index = header.startIndex
        while index < header.endIndex {
            let lineEnd = header[index...].firstIndex(of: 0x0A).map { $0 + 1 } ?? header.endIndex
            let continues = lineEnd < header.endIndex && DKIMCanonicalization.isWhitespace(header[lineEnd])
            if !continues {
                let field = header[start..<lineEnd]
                let colon = field.firstIndex(of: UInt8(ascii: ":")) ?? field.endIndex
                let name = String(decoding: field[..<colon], as: UTF8.self).trimmingCharacters(in: .whitespaces)
                fields.append((name.lowercased(), field.dropLast(2)))
                start = lineEnd
            }
            index = lineEnd
        }
        return fields
    }

    /// Long tag values broken into lines; whitespace inside `h=` and `b=` is ignored by verifiers (§3.2).
    static func folded(_ value: String, after length: Int) -> String {
        guard length > 0 else { return value }
        if value.contains(":") {
            // h= is folded at a colon once a line holds `length` characters of names.
            var lines: [String] = []
            var line = ""
            for name in value.split(separator: ":") {
                if !line.isEmpty, line.count + 1 + name.count > length {
                    lines.append(line)
                    line = ""
                }
                line += (line.isEmpty ? "" : ":") + name
            }
            lines.append(line)
            return lines.joined(separator: ":\r\n\t  ")
        }
        let characters = Array(value)
        return stride(from: 0, to: characters.count, by: length)
            .map { String(characters[$0..<min($0 + length, characters.count)]) }
            .joined(separator: "\r\n\t  ")
    }
}
