import Foundation
import Testing

@testable import KilpiMail

/// The pure rules of delivery: backoff with jitter, per-domain holds, the campaign's rate.
@Suite struct DeliveryPolicyTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func backoffDoublesWithinItsJitterAndStopsAtTheMaximum() {
        let policy = RetryPolicy(baseDelay: 10, maximumDelay: 100, maximumAttempts: 5)
        #expect(policy.delay(afterAttempts: 1, random: 0) == 5)
        #expect(policy.delay(afterAttempts: 1, random: 0.999) > 9.9)
        #expect(policy.delay(afterAttempts: 2, random: 0) == 10)
        #expect(policy.delay(afterAttempts: 3, random: 0) == 20)
        #expect(policy.delay(afterAttempts: 30, random: 1) == 100)
        #expect(policy.delay(afterAttempts: Int.max, random: 0) == 50)
        #expect(!policy.givesUp(afterAttempts: 4))
        #expect(policy.givesUp(afterAttempts: 5))
    }

    @Test func aDomainThatSaysSlowDownIsHeldAloneAndLongerEachTime() {
        var throttle = DomainThrottle(
            limits: .init(perRound: 10, retry: RetryPolicy(baseDelay: 30, maximumDelay: 1000))
        )
        #expect(throttle.heldUntil("example.net", now: start) == nil)
        let first = throttle.slowDown("example.net", now: start, random: 0)
        #expect(first == start.addingTimeInterval(15))
        #expect(throttle.heldUntil("example.net", now: start) == first)
        #expect(throttle.heldUntil("example.org", now: start) == nil)
        // After the hold the domain may be tried; a second refusal holds it twice as long.
        let later = start.addingTimeInterval(16)
        #expect(throttle.heldUntil("example.net", now: later) == nil)
        let second = throttle.slowDown("example.net", now: later, random: 0)
        #expect(second == later.addingTimeInterval(30))
        throttle.succeeded("example.net")
        #expect(throttle.heldUntil("example.net", now: later) == nil)
        #expect(throttle.slowDown("example.net", now: later, random: 0) == later.addingTimeInterval(15))
    }

    @Test func refusalsFromOneBatchDoNotStackTheHold() {
        var throttle = DomainThrottle()
        let first = throttle.slowDown("example.net", now: start, random: 1)
        let again = throttle.slowDown("example.net", now: start, random: 0)
        #expect(again == first)
    }

    @Test func domainsAreComparedInLowerCase() {
        #expect(DomainThrottle.domain(of: "Anna.Virtanen@Example.FI") == "example.fi")
        #expect(DomainThrottle.domain(of: "no-domain") == "")
    }

    @Test func theRateLimiterGivesOneSecondsWorthThenRefills() {
        var limiter = RateLimiter(rate: 10, now: start)
        #expect(limiter.take(25, now: start) == 10)
        #expect(limiter.take(1, now: start) == 0)
        #expect(abs(limiter.wait(now: start) - 0.1) < 1e-9)
        #expect(limiter.take(25, now: start.addingTimeInterval(0.5)) == 5)
        #expect(limiter.take(25, now: start.addingTimeInterval(60)) == 10)
        var unlimited = RateLimiter(rate: 0, now: start)
        #expect(unlimited.take(1_000_000, now: start) == 1_000_000)
        #expect(unlimited.wait(now: start) == 0)
    }
}
