import Foundation

/// A token bucket: at most `rate` messages per second on average, in bursts of at most one second's worth.
///
/// Used per campaign so that a company can hold a campaign to what its mail provider allows (many limit
/// messages per second or per hour) without slowing other campaigns.
public struct RateLimiter: Sendable {
    public let rate: Double
    private var tokens: Double
    private var updated: Date

    /// `rate` messages per second; 0 or less means unlimited.
    public init(rate: Double, now: Date) {
        self.rate = rate
        self.tokens = max(rate, 1)
        self.updated = now
    }

    public var isUnlimited: Bool { rate <= 0 }

    /// Takes up to `wanted` tokens now and says how many were given; none are when the bucket is empty.
    public mutating func take(_ wanted: Int, now: Date) -> Int {
        guard !isUnlimited else { return wanted }
        refill(now)
        let given = min(wanted, Int(tokens))
        tokens -= Double(given)
        return given
    }

    /// How long until at least one token is there again.
    public mutating func wait(now: Date) -> TimeInterval {
        guard !isUnlimited else { return 0 }
        refill(now)
        return tokens >= 1 ? 0 : (1 - tokens) / rate
    }

    private mutating func refill(_ now: Date) {
        let elapsed = max(0, now.timeIntervalSince(updated))
        tokens = min(max(rate, 1), tokens + elapsed * rate)
        updated = now
    }
}
