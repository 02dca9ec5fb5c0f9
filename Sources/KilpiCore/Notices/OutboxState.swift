/// Where one customer's notice is on its way out. A row is created `queued` (or `skipped` when the customer has no
/// usable address) and ends in one of the final states; `deferred` comes back to `sending` when its retry time
/// has come, and `sending` goes back to being claimable when its worker's lease runs out (the worker died).
public enum OutboxState: String, Sendable, CaseIterable, Codable {
    case queued
    case sending
    case sent
    case deferred
    case bounced
    case failed
    case skipped

    /// Nothing more will happen to the row unless someone asks for it (retry failed, a late bounce).
    public var isFinal: Bool {
        switch self {
        case .sent, .bounced, .failed, .skipped: true
        case .queued, .sending, .deferred: false
        }
    }

    /// The moves the delivery workers, bounce processing and "retry failed" may make. A late bounce can turn a
    /// `sent` notice into `bounced`; "retry failed" puts `failed` and `bounced` back in the queue.
    public func canMove(to next: OutboxState) -> Bool {
        switch (self, next) {
        case (.queued, .sending), (.deferred, .sending), (.sending, .sending): true
        case (.sending, .sent), (.sending, .deferred), (.sending, .bounced), (.sending, .failed): true
        case (.queued, .skipped), (.deferred, .failed), (.deferred, .bounced): true
        case (.sent, .bounced): true
        case (.failed, .queued), (.bounced, .queued): true
        default: false
        }
    }
}
