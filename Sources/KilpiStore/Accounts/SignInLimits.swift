import Foundation
import KilpiCore

/// How long a run of failures locks: nothing before the `startsAt`-th failure, then `delays` in turn, the last
/// one for every failure after.
public struct LockoutSchedule: Sendable, Equatable {
    /// The failure count whose attempt first locks.
    public let startsAt: Int
    /// The lock after failure `startsAt`, `startsAt + 1`, ...; the last applies to all later ones.
    public let delays: [TimeInterval]

    public init(startsAt: Int, delays: [TimeInterval]) {
        precondition(startsAt >= 1 && !delays.isEmpty && delays.allSatisfy { $0 > 0 }, "a lockout schedule")
        self.startsAt = startsAt
        self.delays = delays
    }

    /// The lock after `failures` failures in a row, or nil when that many are still free.
    public func delay(afterFailures failures: Int) -> TimeInterval? {
        guard failures >= startsAt else { return nil }
        return delays[min(failures - startsAt, delays.count - 1)]
    }

    /// An SQL expression for `locked_until` once the count has become `count` (an SQL expression), at `now`.
    /// Only integers this type made go into it.
    func lockedUntilSQL(count: String, now: Date) -> String {
        let at = now.epochMilliseconds
        var cases = "CASE WHEN \(count) < \(startsAt) THEN NULL"
        for (index, delay) in delays.enumerated().dropLast() {
            cases += " WHEN \(count) = \(startsAt + index) THEN \(at + Int64(delay * 1000))"
        }
        return cases + " ELSE \(at + Int64(delays.last! * 1000)) END"
    }
}

/// Every limit on sign-in attempts. Each attempt takes a slot of all three before its password or code is
/// checked (see `LoginThrottleRepository`); a success gives the slots back.
///
/// The defaults:
/// - per source (an IPv4 address, or an IPv6 /64): 20 attempts in each fixed 15-minute window, answered 429
///   beyond that, whichever accounts they try: this stops one address trying passwords across many accounts;
/// - per account and source: the 5th failure in a row locks that account *from that source* for 30 s, each
///   further one twice as long up to 15 min, so a guesser at one address cannot lock the owner out elsewhere;
/// - per account across all sources: the 50th failure since the last successful sign-in locks the account
///   everywhere for an hour, and so does each failure after it, so guesses spread over many addresses stay few.
public struct SignInLimits: Sendable, Equatable {
    public var sourceAttempts: Int
    public var sourceWindow: TimeInterval
    public var perSource: LockoutSchedule
    public var perAccount: LockoutSchedule

    public init(
        sourceAttempts: Int = 20,
        sourceWindow: TimeInterval = 15 * 60,
        perSource: LockoutSchedule = LockoutSchedule(startsAt: 5, delays: [30, 60, 120, 240, 480, 900]),
        perAccount: LockoutSchedule = LockoutSchedule(startsAt: 50, delays: [60 * 60])
    ) {
        precondition(sourceAttempts >= 1 && sourceWindow >= 1, "sign-in limits")
        self.sourceAttempts = sourceAttempts
        self.sourceWindow = sourceWindow
        self.perSource = perSource
        self.perAccount = perAccount
    }

    public static let standard = SignInLimits()
}
