import Foundation

/// Per recipient domain: how long to leave it alone after it said "slow down", and how many of its notices may be
/// in one round.
///
/// A 421 or 451 from one mail provider (throttling, greylisting) must slow that provider only: its notices wait
/// with a growing backoff while every other domain's go out at full speed. A domain's first success clears its
/// backoff.
public struct DomainThrottle: Sendable {
    public struct Limits: Sendable {
        /// Notices to one domain in one delivery round, so a campaign mostly to one provider does not hit that
        /// provider with every connection at once.
        public var perRound: Int
        public var retry: RetryPolicy

        public init(perRound: Int = 500, retry: RetryPolicy = RetryPolicy(baseDelay: 30, maximumDelay: 1800)) {
            self.perRound = perRound
            self.retry = retry
        }
    }

    struct State: Sendable {
        var strikes: Int
        var until: Date
    }

    public let limits: Limits
    private var states: [String: State] = [:]

    public init(limits: Limits = Limits()) { self.limits = limits }

    /// Until when `domain` is held back, or nil when it may be tried now.
    public func heldUntil(_ domain: String, now: Date) -> Date? {
        guard let state = states[domain], state.until > now else { return nil }
        return state.until
    }

    /// `domain` answered with a temporary refusal that reads as a limit: hold it back, longer each time in a row.
    /// Returns the time the hold ends.
    @discardableResult
    public mutating func slowDown(_ domain: String, now: Date, random: Double = Double.random(in: 0..<1)) -> Date {
        let strikes = (states[domain]?.strikes ?? 0) + 1
        let until = now.addingTimeInterval(limits.retry.delay(afterAttempts: strikes, random: random))
        // Replies that come back together (one pipelined batch) do not each push the hold further out.
        if let current = states[domain], current.until >= until { return current.until }
        states[domain] = State(strikes: strikes, until: until)
        return until
    }

    /// `domain` accepted a message: forget its backoff.
    public mutating func succeeded(_ domain: String) { states[domain] = nil }

    /// The domain of an address, lowercased; "" for an address without one (the MIME builder refuses those later).
    public static func domain(of address: String) -> String {
        guard let at = address.lastIndex(of: "@") else { return "" }
        return address[address.index(after: at)...].lowercased()
    }
}
