import Synchronization

/// Values held for a short `lifetime` after they were read, for content many requests share and that may be a
/// moment old (never for anything a revocation or a permission decides). A zero lifetime holds nothing.
final class ShortLivedCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct Entry: Sendable {
        let value: Value
        let loadedAt: ContinuousClock.Instant
    }

    let lifetime: Duration
    private let clock: @Sendable () -> ContinuousClock.Instant
    private let entries = Mutex<[Key: Entry]>([:])
    /// Past this many keys the expired ones are dropped (the keys here are few: campaigns × languages).
    static var pruneAbove: Int { 256 }

    init(lifetime: Duration, clock: @escaping @Sendable () -> ContinuousClock.Instant = { .now }) {
        self.lifetime = lifetime
        self.clock = clock
    }

    /// The value held for `key` while it is fresh, else what `load` reads now (held, unless nil). Requests that
    /// miss at the same moment each read: a few reads at most, never a queue behind one of them.
    func value(_ key: Key, load: () async throws -> Value?) async throws -> Value? {
        guard lifetime > .zero else { return try await load() }
        let now = clock()
        if let held = entries.withLock({ $0[key] }), held.loadedAt.duration(to: now) < lifetime {
            return held.value
        }
        guard let value = try await load() else {
            entries.withLock { _ = $0.removeValue(forKey: key) }
            return nil
        }
        let lifetime = lifetime
        entries.withLock { entries in
            if entries.count >= Self.pruneAbove {
                entries = entries.filter { $0.value.loadedAt.duration(to: now) < lifetime }
            }
            entries[key] = Entry(value: value, loadedAt: now)
        }
        return value
    }

    /// How many keys are held (expired ones included until they are pruned).
    var count: Int { entries.withLock { $0.count } }
}
