import Synchronization
import Testing

@testable import KilpiWeb

@Suite struct ShortLivedCacheTests {
    /// A clock the test moves by hand.
    final class HandClock: Sendable {
        let start = ContinuousClock.now
        let offset = Mutex<Duration>(.zero)
        func advance(_ by: Duration) { offset.withLock { $0 += by } }
        var now: ContinuousClock.Instant { start + offset.withLock { $0 } }
    }

    /// Counts the loads and answers with the count.
    final class Loader: Sendable {
        let loads = Mutex(0)
        func load() -> Int {
            loads.withLock {
                $0 += 1
                return $0
            }
        }
    }

    @Test func aValueIsHeldForItsLifetimeAndReadAgainAfter() async throws {
        let clock = HandClock()
        let cache = ShortLivedCache<String, Int>(lifetime: .seconds(1), clock: { clock.now })
        let loader = Loader()
        #expect(try await cache.value("a") { loader.load() } == 1)
        clock.advance(.milliseconds(999))
        #expect(try await cache.value("a") { loader.load() } == 1, "still fresh: not read again")
        #expect(try await cache.value("b") { loader.load() } == 2, "another key is read on its own")
        clock.advance(.milliseconds(1))
        #expect(try await cache.value("a") { loader.load() } == 3, "a second old: read again")
        #expect(loader.loads.withLock { $0 } == 3)
    }

    @Test func zeroLifetimeReadsEveryTimeAndHoldsNothing() async throws {
        let cache = ShortLivedCache<String, Int>(lifetime: .zero)
        let loader = Loader()
        for expected in 1...3 { #expect(try await cache.value("a") { loader.load() } == expected) }
        #expect(cache.count == 0)
    }

    @Test func nilIsNotHeldAndDropsWhatWasHeld() async throws {
        let clock = HandClock()
        let cache = ShortLivedCache<String, Int>(lifetime: .seconds(60), clock: { clock.now })
        let loader = Loader()
        #expect(try await cache.value("a") { loader.load() } == 1)
        clock.advance(.seconds(61))
        #expect(try await cache.value("a") { nil } == nil, "gone now: nil, not the old value")
        #expect(cache.count == 0)
        #expect(try await cache.value("a") { loader.load() } == 2)
    }

    @Test func aFailedReadHoldsNothingAndTheOldValueIsNotServedPastItsLifetime() async throws {
        struct Failure: Error {}
        let clock = HandClock()
        let cache = ShortLivedCache<String, Int>(lifetime: .seconds(1), clock: { clock.now })
        #expect(try await cache.value("a") { 7 } == 7)
        clock.advance(.seconds(2))
        await #expect(throws: Failure.self) { try await cache.value("a") { throw Failure() } }
        #expect(try await cache.value("a") { 8 } == 8)
    }

    @Test func expiredKeysArePrunedPastTheBound() async throws {
        let clock = HandClock()
        let cache = ShortLivedCache<Int, Int>(lifetime: .seconds(1), clock: { clock.now })
        for key in 0..<ShortLivedCache<Int, Int>.pruneAbove { _ = try await cache.value(key) { key } }
        #expect(cache.count == ShortLivedCache<Int, Int>.pruneAbove)
        clock.advance(.seconds(2))
        _ = try await cache.value(-1) { -1 }
        #expect(cache.count == 1, "the expired keys went when the bound was reached")
    }
}
