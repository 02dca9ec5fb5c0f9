import Foundation
import KilpiCore

/// One customer question and its handling, as the inbox lists it: ids and times, no text.
public struct Inquiry: Sendable, Equatable {
    public let id: Int64
    public let incidentID: Int64
    /// Nil for a contact-form inquiry whose address matched no customer.
    public let customerID: Int64?
    /// The notice it was asked from (link or code); nil from the contact form.
    public let outboxID: Int64?
    public let channel: InquiryChannel
    public let language: Language
    public let status: InquiryStatus
    public let assigneeID: Int64?
    public let createdAt: Date
    public let updatedAt: Date
    /// The first staff reply (notes do not count): the first-response target's end.
    public let firstResponseAt: Date?
    /// The latest move to resolved; nil while it is not resolved.
    public let resolvedAt: Date?
    /// Set while the status is `waitingForCustomer`.
    public let waitingSince: Date?
    /// Time spent waiting for the customer in earlier intervals (the current one is `waitingSince`).
    public let waitingTotal: TimeInterval
    public let lastCustomerMessageAt: Date
}

/// One message of a thread, opened.
public struct InquiryMessage: Sendable, Equatable {
    public let id: Int64
    public let kind: InquiryMessageKind
    /// `anonymous` for the customer; else the staff actor (`user:7`, `token:3`).
    public let actor: String
    /// The staff member who wrote a reply or note (a token's creator for a token).
    public let authorID: Int64?
    public let text: String
    public let createdAt: Date
}

/// An inquiry with its messages, oldest first.
public struct InquiryThread: Sendable, Equatable {
    public let inquiry: Inquiry
    public let messages: [InquiryMessage]
}

/// One status move, for the response-time clocks (waiting intervals pause the resolution target).
public struct InquiryStatusChange: Sendable, Equatable {
    /// Nil for the creation.
    public let from: InquiryStatus?
    public let to: InquiryStatus
    public let actor: String
    public let at: Date
}

/// What the inbox lists. Every set field must match.
public struct InquiryFilter: Sendable, Equatable {
    public var incidentID: Int64?
    public var statuses: [InquiryStatus]?
    public var assigneeID: Int64?
    /// Only inquiries nobody is assigned to.
    public var unassigned: Bool
    /// Paging backwards: inquiries with an id below this one.
    public var beforeID: Int64?
    public var limit: Int

    public init(
        incidentID: Int64? = nil,
        statuses: [InquiryStatus]? = nil,
        assigneeID: Int64? = nil,
        unassigned: Bool = false,
        beforeID: Int64? = nil,
        limit: Int = 50
    ) {
        self.incidentID = incidentID
        self.statuses = statuses
        self.assigneeID = assigneeID
        self.unassigned = unassigned
        self.beforeID = beforeID
        self.limit = limit
    }
}

/// What the contact form's sender learns: that their question was received. Nothing says whether their address
/// belongs to a customer.
public struct ContactInquiryReceipt: Sendable, Equatable {
    public let inquiryID: Int64
    public let createdAt: Date
}

/// A started email verification: the challenge goes back to the browser (a hidden field), the code only into the
/// email sent to `email`.
public struct ContactVerification: Sendable, Equatable {
    public let challenge: String
    public let code: String
    /// The address as typed, trimmed: where the mail layer sends the code.
    public let email: String
    public let expiresAt: Date
}
