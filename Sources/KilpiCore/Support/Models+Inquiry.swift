/// Where an inquiry is in its handling. Only the moves `canMove(to:)` allows happen; each leaves a time in the
/// inquiry's history, which is what the response-time targets are measured from.
public enum InquiryStatus: String, Sendable, CaseIterable, Codable {
    /// Nobody on the staff has looked at it yet.
    case new
    case open
    /// A reply asked the customer something: the resolution clock waits while it is here.
    case waitingForCustomer = "waiting_for_customer"
    /// Done; a customer who writes again opens it again.
    case resolved

    /// Whether the status may go from this one to `next` (never to itself, never back to `new`).
    public func canMove(to next: InquiryStatus) -> Bool {
        switch (self, next) {
        case (.new, .open), (.new, .waitingForCustomer), (.new, .resolved): true
        case (.open, .waitingForCustomer), (.open, .resolved): true
        case (.waitingForCustomer, .open), (.waitingForCustomer, .resolved): true
        case (.resolved, .open): true
        default: false
        }
    }
}

/// Who wrote a message of an inquiry's thread, and so who may read it.
public enum InquiryMessageKind: String, Sendable, CaseIterable, Codable {
    /// The customer, from their page or the contact form.
    case customer
    /// A staff member's answer, shown to the customer and emailed to them.
    case reply
    /// A staff member's internal note: never shown to the customer.
    case note

    /// Whether the customer sees it on their page.
    public var isVisibleToCustomer: Bool { self != .note }
}

/// How a customer reached the support channel.
public enum InquiryChannel: String, Sendable, CaseIterable, Codable {
    /// The personal link in their notice.
    case link
    /// The notice's reference code and their email address, typed on the support page.
    case code
    /// The public contact form, after a one-time code proved the email address.
    case contactForm = "contact_form"
}
