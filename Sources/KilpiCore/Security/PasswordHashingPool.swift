import Foundation

/// A few dedicated threads for scrypt, so that password hashing never runs on Swift's cooperative pool.
///
/// One scrypt verification takes a core for a large fraction of a second. On the cooperative pool (one thread
/// per core) a handful of sign-in posts a second kept every other request waiting. Here at most `threads`
/// hashes run at once, on threads of their own, and at most `queueLimit` more wait; anything beyond that is
/// refused at once (`admit()` returns nil) so the caller can answer "busy, retry later" instead of queueing
/// without bound.
///
/// Threads are started when work arrives and end when the queue is empty, so an idle pool holds none.
public final class PasswordHashingPool: @unchecked Sendable {
    /// Hashes that may run at the same time.
    public let threads: Int
    /// Hashes that may wait for a thread.
    public let queueLimit: Int
    /// What a refused caller is told to wait before retrying, in seconds.
    public let retryAfter: Int
    /// The name of the pool's threads, as debuggers and `top -H` show it.
    public static let threadName = "kilpi-hashing"
    /// Set in each pool thread's dictionary: a reliable way to tell a pool thread (Linux Foundation sometimes reads
    /// back another thread name).
    public static let threadMarker = "kilpi.hashing-pool"

    /// True on one of the pool's threads.
    public static var isPoolThread: Bool { Thread.current.threadDictionary[threadMarker] as? Bool == true }

    // Guarded by `condition`.
    private let condition = NSCondition()
    /// A job does its work and returns what hands the result over, which runs once the pool's counts are
    /// updated (so a caller that resumes sees `inFlight` and `finished` already include its job).
    private typealias Job = @Sendable () -> @Sendable () -> Void
    private var queue: [Job] = []
    private var queueHead = 0
    private var running = 0
    private var admitted = 0
    private var busiest = 0
    private var active = 0
    private var done = 0

    /// - Parameters:
    ///   - threads: hashes that run at once (at least 1).
    ///   - queueLimit: hashes that may wait (0 or more).
    public init(threads: Int, queueLimit: Int, retryAfter: Int = 2) {
        self.threads = max(1, threads)
        self.queueLimit = max(0, queueLimit)
        self.retryAfter = max(1, retryAfter)
    }

    /// Half the cores (at least one) and eight waiting per thread: the rest of the machine stays free for
    /// requests, and a waiting sign-in is answered within a few seconds.
    public static func standard() -> PasswordHashingPool {
        let threads = max(1, ProcessInfo.processInfo.activeProcessorCount / 2)
        return PasswordHashingPool(threads: threads, queueLimit: threads * 8)
    }

    /// Hashes admitted and not yet finished (running or waiting).
    public var inFlight: Int { condition.withLock { admitted } }

    /// The most hashes that have ever run at the same time in this pool.
    public var mostAtOnce: Int { condition.withLock { busiest } }

    /// Hashes this pool has run to the end.
    public var finished: Int { condition.withLock { done } }

    /// A place in the pool, or nil when every thread and every queue place is taken.
    public func admit() -> Admission? {
        condition.withLock {
            guard admitted < threads + queueLimit else { return nil }
            admitted += 1
            return Admission(pool: self)
        }
    }

    /// Runs `work` on a pool thread, or throws `Busy` at once when the pool is full.
    public func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async throws(Busy) -> T {
        guard let admission = admit() else { throw Busy(retryAfter: retryAfter) }
        return await admission.run(work)
    }

    /// The pool was full.
    public struct Busy: Error, Equatable, CustomStringConvertible {
        public let retryAfter: Int
        public init(retryAfter: Int) { self.retryAfter = retryAfter }
        public var description: String { "password hashing is busy; retry in \(retryAfter) s" }
    }

    /// A place taken by `admit()`: run one piece of work with it. A place that is never used is given back
    /// when the admission is dropped.
    public final class Admission: @unchecked Sendable {
        private let pool: PasswordHashingPool
        // Guarded by the pool's condition.
        private var used = false

        fileprivate init(pool: PasswordHashingPool) { self.pool = pool }

        /// Runs `work` on a pool thread (waiting for one if all are busy) and returns its result.
        /// An admission runs one piece of work; a second call runs on the caller's thread.
        public func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
            let first = pool.condition.withLock {
                defer { used = true }
                return !used
            }
            guard first else { return work() }
            return await withCheckedContinuation { continuation in
                pool.enqueue {
                    let result = work()
                    return { continuation.resume(returning: result) }
                }
            }
        }

        deinit {
            let pool = self.pool
            pool.condition.withLock { if !used { pool.admitted -= 1 } }
        }
    }

    private func enqueue(_ job: @escaping Job) {
        let start = condition.withLock {
            queue.append(job)
            guard running < threads else { return false }
            running += 1
            return true
        }
        guard start else { return }
        let thread = Thread { [self] in
            // Set from inside: on Linux a new thread otherwise keeps its creator's name. (15 characters at most.)
            Thread.current.name = Self.threadName
            Thread.current.threadDictionary[Self.threadMarker] = true
            work()
        }
        thread.start()
    }

    /// A pool thread: runs queued jobs until none is left, then ends.
    private func work() {
        condition.lock()
        while queueHead < queue.count {
            let job = queue[queueHead]
            queueHead += 1
            if queueHead == queue.count {
                queue.removeAll(keepingCapacity: true)
                queueHead = 0
            }
            active += 1
            busiest = max(busiest, active)
            condition.unlock()
            let handOver = job()
            condition.lock()
            active -= 1
            admitted -= 1
            done += 1
            condition.unlock()
            handOver()
            condition.lock()
        }
        running -= 1
        condition.unlock()
    }
}
