import Foundation
import HTTPTypes
import KilpiCore
import KilpiStore
import KilpiTestSupport
import Synchronization
import Testing

@testable import KilpiWeb

/// A flood on the public trust center over real sockets: one client beyond its burst gets 429 with Retry-After
/// while the console, the customer portal and another client behind the same proxy still answer; the in-flight
/// budget refuses beyond its size and frees its places; which paths are guarded.
@Suite("Public traffic guard: per-client limits and the in-flight budget")
struct PublicTrafficGuardTests {
    @Test func aFloodFromOneClientIsRefusedWhileTheConsoleAndOthersStillAnswer() async throws {
        try await WebTestApp.run(
            live: true,
            configure: {
                $0.trustedProxies = [try! CIDR(parsing: "127.0.0.0/8")]
                // The test clock stands still: the burst is all a client gets.
                $0.publicTraffic = PublicTrafficLimits(perClient: 5, burst: 20, inFlight: 0)
            }
        ) { app in
            let flooder: HTTPFields = [HTTPField.Name("X-Forwarded-For")!: "198.51.100.7"]
            let statuses = try await withThrowingTaskGroup(of: (String, HTTPResponse.Status, String?).self) { group in
                for index in 0..<60 {
                    group.addTask {
                        let response = try await app.get(index % 2 == 0 ? "/" : "/updates", headers: flooder)
                        return ("public", response.status, response.headers[.retryAfter])
                    }
                }
                // While the flood runs, the console and the customer portal answer as ever.
                for path in ["/healthz", Routes.login.path(), Routes.supportHome.path()] {
                    group.addTask {
                        let response = try await app.get(path, headers: flooder)
                        return (path, response.status, nil)
                    }
                }
                return try await group.reduce(into: [(String, HTTPResponse.Status, String?)]()) { $0.append($1) }
            }
            let public_ = statuses.filter { $0.0 == "public" }
            // Counted outside #expect: its expansion of a closure inside the condition counted every answer.
            let served = public_.filter { $0.1.code == 200 }.count
            #expect(served == 20, "\(public_.map { "\($0.1.code)" })")
            let refused = public_.filter { $0.1.code == 429 }
            #expect(refused.count == 40)
            #expect(refused.allSatisfy { Int($0.2 ?? "") ?? 0 >= 1 }, "every refusal says when to come back")
            for (path, status, _) in statuses where path != "public" {
                #expect(status.code == 200, "\(path) still answers during the flood")
            }
            // Another reader behind the same proxy has a bucket of their own.
            let other = try await app.get("/", headers: [HTTPField.Name("X-Forwarded-For")!: "203.0.113.9"])
            #expect(other.status == .ok)
            // The flooding client is still refused, with a short plain answer that no cache keeps.
            let again = try await app.get("/measures", headers: flooder)
            #expect(again.status == .tooManyRequests && again.headers[.cacheControl] == "no-store")
            #expect(WebTestApp.text(again).count < 100)
            // Time passes: the bucket refills at its rate.
            app.clock.advance(1)
            #expect(try await app.get("/", headers: flooder).status == .ok)
        }
    }

    @Test func theInFlightBudgetRefusesBeyondItsSizeAndFreesItsPlaces() {
        let state = PublicTrafficGuard.State()
        #expect(state.enter(limit: 2) && state.enter(limit: 2))
        #expect(!state.enter(limit: 2), "a third at once is refused")
        state.leave()
        #expect(state.enter(limit: 2), "a place freed is taken again")
        // Many at once from many threads never let more in than the places left (two are still held).
        let counts = Mutex<(current: Int, peak: Int, admitted: Int)>((0, 0, 0))
        DispatchQueue.concurrentPerform(iterations: 2_000) { _ in
            guard state.enter(limit: 4) else { return }
            counts.withLock {
                $0.current += 1
                $0.admitted += 1
                $0.peak = max($0.peak, $0.current)
            }
            counts.withLock { $0.current -= 1 }
            state.leave()
        }
        let seen = counts.withLock { $0 }
        #expect(seen.peak <= 2 && seen.admitted > 0)
    }

    @Test func bucketsOfIdleClientsDoNotPileUp() {
        let state = PublicTrafficGuard.State()
        let start = Date(timeIntervalSince1970: 1_000_000)
        for index in 0..<PublicTrafficGuard.State.maximumClients {
            _ = state.take(key: "client-\(index)", rate: 1_000_000, burst: 1, now: start)
        }
        #expect(state.clients == PublicTrafficGuard.State.maximumClients)
        // One more, a second later, finds every other bucket refilled and idle: they are dropped.
        _ = state.take(key: "late", rate: 1_000_000, burst: 1, now: start.addingTimeInterval(1))
        #expect(state.clients == 1)
    }

    @Test func onlyThePublicSideIsGuarded() {
        for path in ["/", "/updates", "/measures", "/feeds/updates.atom", "/api/public/v1/updates", "/verify", "/nope"]
        {
            #expect(PublicTrafficGuard.isGuarded(path), "\(path)")
        }
        for path in [
            "/console", "/console/login", "/support", "/support/abc", "/api/v1/incidents", "/healthz", "/metrics",
        ] {
            #expect(!PublicTrafficGuard.isGuarded(path), "\(path)")
        }
        #expect(PublicTrafficGuard.isGuarded("/consoleX") && PublicTrafficGuard.isGuarded("/supported"))
    }
}
