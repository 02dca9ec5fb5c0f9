/// The machine-readable part of a delivery status notification (RFC 3464 §2.2, 2.3): the body of a
/// `message/delivery-status` part, one block of per-message fields and then one block per recipient, blocks
/// separated by empty lines.
public struct DeliveryStatusReport: Sendable, Equatable {
    public struct Recipient: Sendable, Equatable {
        /// `Action`, lowercased, without a comment: failed, delayed, delivered, relayed or expanded.
        public let action: String?
        /// `Status`: an RFC 3463 code such as `5.1.1`, without a comment.
        public let status: String?
        /// `Final-Recipient` without its address type (`rfc822;`). Personal data: never log it.
        public let finalRecipient: String?
        /// `Original-Recipient` without its address type. Personal data: never log it.
        public let originalRecipient: String?
        /// `Diagnostic-Code` without its type (`smtp;`), unfolded: the remote server's reply, as it wrote it.
        public let diagnosticCode: String?
        /// `Remote-MTA` without its type (`dns;`).
        public let remoteMTA: String?

        public init(
            action: String?,
            status: String?,
            finalRecipient: String?,
            originalRecipient: String?,
            diagnosticCode: String?,
            remoteMTA: String?
        ) {
            self.action = action
            self.status = status
            self.finalRecipient = finalRecipient
            self.originalRecipient = originalRecipient
            self.diagnosticCode = diagnosticCode
            self.remoteMTA = remoteMTA
        }
    }

    /// `Reporting-MTA` without its type.
    public let reportingMTA: String?
    /// `Original-Envelope-Id`, when the sender gave one (ENVID).
    public let originalEnvelopeID: String?
    public let recipients: [Recipient]

    /// Reads the (transfer-decoded) body of a `message/delivery-status` part. Unknown fields are skipped; a
    /// block is a recipient's when it has `Final-Recipient`, `Original-Recipient`, `Action` or `Status`.
    public init(parsing body: some Collection<UInt8>) {
        var reportingMTA: String? = nil
        var envelopeID: String? = nil
        var recipients: [Recipient] = []
        for block in Self.blocks(Array(body)) {
            let field = { (name: String) in block.first { $0.name == name }?.value }
            if let value = field("reporting-mta") { reportingMTA = reportingMTA ?? Self.withoutType(value) }
            if let value = field("original-envelope-id") { envelopeID = envelopeID ?? BounceText.collapse(value) }
            let recipientFields = ["final-recipient", "original-recipient", "action", "status"]
            guard recipientFields.contains(where: { field($0) != nil }) else { continue }
            recipients.append(
                Recipient(
                    action: field("action").flatMap(Self.firstWord)?.lowercased(),
                    status: field("status").flatMap { BounceText.enhancedStatus(in: $0) ?? Self.firstWord($0) },
                    finalRecipient: field("final-recipient").map(Self.address),
                    originalRecipient: field("original-recipient").map(Self.address),
                    diagnosticCode: field("diagnostic-code").map(Self.withoutType),
                    remoteMTA: field("remote-mta").map(Self.withoutType)
                )
            )
        }
        self.reportingMTA = reportingMTA
        self.originalEnvelopeID = envelopeID
        self.recipients = recipients
    }

    /// The field blocks, each field unfolded. Some generators leave no empty line between the per-message block
    /// and the first recipient's: a second `Final-Recipient` or `Action` in one block also starts a new one.
    static func blocks(_ bytes: [UInt8]) -> [[MIMEEntity.Field]] {
        var blocks: [[MIMEEntity.Field]] = []
        var rest = bytes[...]
        while !rest.isEmpty {
            // Leading empty lines between blocks.
            while let first = rest.first, first == 0x0A || first == 0x0D { rest = rest.dropFirst() }
            if rest.isEmpty { break }
            let (fields, bodyStart, _) = MIMEEntity.header(rest)
            var block: [MIMEEntity.Field] = []
            for field in fields {
                let starts = field.name == "final-recipient" || field.name == "action"
                if starts, block.contains(where: { $0.name == field.name }) {
                    blocks.append(block)
                    block = []
                }
                block.append(field)
            }
            if !block.isEmpty { blocks.append(block) }
            guard bodyStart > rest.startIndex else { break }
            rest = rest[bodyStart...]
        }
        return blocks
    }

    /// `rfc822; user@example.com` → `user@example.com` (angle brackets removed too).
    static func address(_ value: String) -> String {
        var address = withoutType(value)
        if address.hasPrefix("<"), address.hasSuffix(">") { address = String(address.dropFirst().dropLast()) }
        return address
    }

    /// `type; value` → `value`, unfolded; a value without a type is kept whole.
    static func withoutType(_ value: String) -> String {
        let collapsed = BounceText.collapse(value)
        guard let semicolon = collapsed.firstIndex(of: ";") else { return collapsed }
        // The type is an atom (`smtp`, `rfc822`, `X-Postfix`); text without one may hold a semicolon of its own.
        let type = collapsed[..<semicolon]
        guard let first = type.first, first.isLetter, type.count <= 32,
            type.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") })
        else { return collapsed }
        return BounceText.trim(collapsed[collapsed.index(after: semicolon)...])
    }

    static func firstWord(_ value: String) -> String? {
        BounceText.collapse(value).split(separator: " ").first.map(String.init)
    }
}
