import Foundation

/// The outbox row a message was sent for, carried in `X-Kilpi-Notice` and in the bounce address
/// (`bounces+<id>@domain`, VERP), so a bounce or a complaint names its notice without any lookup table. Only
/// letters, digits and "-" are allowed: every one of them is safe unquoted in a local part and in a header.
public struct OutboxID: Sendable, Hashable, CustomStringConvertible {
    public let value: String

    /// Bounce addresses must fit a 64-octet local part: "bounces+" leaves 56; 40 is plenty for a UUID (36).
    static let maximumLength = 40
    static let bouncePrefix = "bounces+"

    public init(_ value: String) throws(MailMessageError) {
        guard (1...Self.maximumLength).contains(value.utf8.count),
            value.utf8.allSatisfy(MailAddress.isHostnameByte)
        else { throw .invalidOutboxID("X-Kilpi-Notice") }
        // Lowercase, because a bounce may come back with its local part's case changed.
        self.value = value.lowercased()
    }

    public init(_ uuid: UUID) { self.value = uuid.uuidString.lowercased() }

    public var description: String { value }

    /// The VERP envelope sender for this notice: `bounces+<id>@domain`.
    public func bounceAddress(domain: String) throws(MailMessageError) -> String {
        guard MailAddress.isHostname(domain.utf8) else { throw .invalidDomain("bounce domain") }
        return "\(Self.bouncePrefix)\(value)@\(domain)"
    }

    /// The notice a bounce was addressed to, or nil when `address` is not one of our bounce addresses at
    /// `domain` (DSN parsing matches recipients of returned mail this way).
    public init?(bounceAddress address: String, domain: String) {
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[1].lowercased() == domain.lowercased(),
            parts[0].lowercased().hasPrefix(Self.bouncePrefix),
            let id = try? OutboxID(String(parts[0].dropFirst(Self.bouncePrefix.count)))
        else { return nil }
        self = id
    }
}
