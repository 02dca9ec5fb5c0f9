import Foundation
import KilpiCore

/// What a resolved link (or reference code and email address) opens: one customer's notice of one campaign.
/// Carries ids only; the page loads what it shows from them.
public struct SupportAccess: Sendable, Equatable {
    /// The link used; nil when the page was opened by reference code and email address.
    public let linkID: Int64?
    public let outboxID: Int64
    public let campaignID: Int64
    public let customerID: Int64
    public let incidentID: Int64
    /// The notice's language (the customer's, or English when theirs had no template).
    public let language: Language
    /// The customer's exposed category ids, as their notice named them.
    public let categories: [String]
    public let channel: InquiryChannel
    /// When the notice's page was last opened, as read with the link or code (nil: never). It spares the page a
    /// second read: `recordOpening` writes only when this is older than `openingResolution`.
    public var lastOpenedAt: Date? = nil
}

/// Why a link or a code did not open a page: each gets its own kind explanation.
public enum SupportRefusal: String, Sendable, Equatable, CaseIterable {
    /// No such link, or the code and the address do not belong to one notice (never which of them is wrong).
    case unknown
    case expired
    case revoked
    /// Too many failed attempts lately from this source, or on this code or address.
    case throttled
}

/// The answer to "what does this link open?".
public enum SupportResolution: Sendable, Equatable {
    case granted(SupportAccess)
    case refused(SupportRefusal)

    public var access: SupportAccess? {
        if case .granted(let access) = self { return access }
        return nil
    }
}

/// A notice's openings: times only, so staff see who has read their notice.
public struct SupportOpening: Sendable, Equatable {
    public let outboxID: Int64
    public let firstOpenedAt: Date
    public let lastOpenedAt: Date
    /// Visits, an opening within `SupportLinkRepository.openingResolution` of the last one not counted again.
    public let count: Int
}

/// A newly issued link's token: shown once (put into the notice), never stored.
public struct IssuedSupportLink: Sendable, Equatable {
    public let linkID: Int64
    public let outboxID: Int64
    public let token: String
    public let expiresAt: Date
}
