import Foundation
import KilpiCore
import Testing

/// A gate a pool job waits at until the test opens it, so the tests decide what is running when.
private final class Gate: @unchecked Sendable {
    private let condition = NSCondition()
    private var open = false
    private var arrived = 0

    func wait() {
        condition.lock()
        arrived += 1
        condition.broadcast()
        while !open { condition.wait() }
        condition.unlock()
    }

    /// Returns once `count` jobs are waiting at the gate (polling, so no cooperative thread is blocked).
    func awaitArrivals(_ count: Int) async throws {
        while condition.withLock({ arrived }) < count { try await Task.sleep(for: .milliseconds(1)) }
    }

    func release() {
        condition.lock()
        open = true
        condition.broadcast()
        condition.unlock()
    }
}

@Suite struct PasswordHashingPoolTests {
    @Test func workRunsOnThePoolAndNotOnTheCaller() async throws {
        let pool = PasswordHashingPool(threads: 1, queueLimit: 0)
        let onPool = try await pool.run { PasswordHashingPool.isPoolThread }
        #expect(onPool)
        #expect(!PasswordHashingPool.isPoolThread, "the caller is not a pool thread")
        #expect(pool.inFlight == 0)
        #expect(pool.finished == 1)
    }

    @Test func beyondThreadsAndQueueTheNextIsRefusedAtOnce() async throws {
        let pool = PasswordHashingPool(threads: 1, queueLimit: 1, retryAfter: 3)
        let gate = Gate()
        let running = Task { try await pool.run { gate.wait() } }
        try await gate.awaitArrivals(1)
        // The thread is taken: one more may wait in the queue...
        let queued = try #require(pool.admit())
        #expect(pool.inFlight == 2)
        // ...and the next is refused without waiting, telling when to retry.
        #expect(pool.admit() == nil)
        await #expect(throws: PasswordHashingPool.Busy(retryAfter: 3)) { try await pool.run { 1 } }
        #expect(pool.finished == 0, "the refused work never ran")

        gate.release()
        try await running.value
        #expect(await queued.run { 42 } == 42)
        #expect(pool.inFlight == 0)
        #expect(pool.finished == 2)
        #expect(pool.admit() != nil, "places come back once the work is done")
    }

    @Test func anAdmissionThatIsNeverUsedGivesItsPlaceBack() throws {
        let pool = PasswordHashingPool(threads: 1, queueLimit: 0)
        do {
            let taken = try #require(pool.admit())
            #expect(pool.inFlight == 1)
            #expect(pool.admit() == nil)
            _ = taken
        }
        #expect(pool.inFlight == 0)
        #expect(pool.admit() != nil)
    }

    @Test func neverMoreThanTheCapRunAtOnce() async throws {
        let pool = PasswordHashingPool(threads: 2, queueLimit: 30)
        let gate = Gate()
        let results = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<32 {
                group.addTask {
                    try await pool.run { () -> Int in
                        gate.wait()
                        return index
                    }
                }
            }
            // Both threads are held at the gate with 30 jobs queued behind them: the pool is full.
            try await gate.awaitArrivals(2)
            while pool.inFlight < 32 { try await Task.sleep(for: .milliseconds(1)) }
            #expect(pool.admit() == nil)
            gate.release()
            var results: [Int] = []
            for try await result in group { results.append(result) }
            return results
        }
        #expect(results.sorted() == Array(0..<32))
        #expect(pool.mostAtOnce == 2)
        #expect(pool.finished == 32)
    }

    @Test func hashAndVerifyRunOnThePool() async throws {
        let pool = PasswordHashingPool(threads: 1, queueLimit: 1)
        let hasher = PasswordHasher(logN: 4, r: 8, p: 1)
        let hash = try await hasher.hash("correct horse", on: pool)
        #expect(await hasher.verify("correct horse", against: hash, on: try #require(pool.admit())))
        #expect(!(await hasher.verify("wrong horse", against: hash, on: try #require(pool.admit()))))
        #expect(!(await hasher.verify("correct horse", against: hasher.timingDummy, on: try #require(pool.admit()))))
        #expect(pool.finished == 4)
    }
}
