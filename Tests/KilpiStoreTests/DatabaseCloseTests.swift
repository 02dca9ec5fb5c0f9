import Foundation
import Synchronization
import Testing

@testable import KilpiStore

/// Closing a PostgreSQL database never hangs a command or a test on a pool that does not end (see `Database.stop`).
@Suite("Database close")
struct DatabaseCloseTests {
    @Test("a task that ends is waited for; one that never ends is given up after the limit")
    func waitingIsBounded() async throws {
        let quick = Task<Void, Never> { try? await Task.sleep(for: .milliseconds(50)) }
        #expect(await Database.wait(for: quick, atMost: .seconds(30)))

        // A task that ignores cancellation and never ends, like the pool's lost timer child.
        let stuck = Task<Void, Never> {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                StuckContinuations.keep(continuation)
            }
        }
        stuck.cancel()
        let started = ContinuousClock.now
        #expect(await Database.wait(for: stuck, atMost: .milliseconds(300)) == false)
        #expect(ContinuousClock.now - started >= .milliseconds(300))
        StuckContinuations.releaseAll()
        #expect(await Database.wait(for: stuck, atMost: .seconds(30)))
    }
}

/// Holds continuations a test resumes later (so none is leaked); one kept after `releaseAll` is resumed at once.
enum StuckContinuations {
    private static let held = Mutex<(released: Bool, waiting: [CheckedContinuation<Void, Never>])>((false, []))

    static func keep(_ continuation: CheckedContinuation<Void, Never>) {
        let released = held.withLock { state in
            if !state.released { state.waiting.append(continuation) }
            return state.released
        }
        if released { continuation.resume() }
    }

    static func releaseAll() {
        let waiting = held.withLock { state in
            state.released = true
            defer { state.waiting = [] }
            return state.waiting
        }
        for continuation in waiting { continuation.resume() }
    }
}
