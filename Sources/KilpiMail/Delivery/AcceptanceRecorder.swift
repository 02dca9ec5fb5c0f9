import Foundation
import KilpiCore
import KilpiStore
import Synchronization

/// Records acceptances for every lane of a process with group commit: a lane hands its mark in and waits; the
/// first waiting lane writes every mark handed in so far in one transaction, then the next group. A lane waits for
/// one write at most, and the database sees one write per group rather than one per message.
final class AcceptanceRecorder: Sendable {
    let store: Store
    let now: Now
    private let state = Mutex(State())

    struct State {
        var pending: [(mark: OutboxAcceptance, done: CheckedContinuation<Void, any Error>)] = []
        var writing = false
    }

    init(store: Store, now: @escaping Now) {
        self.store = store
        self.now = now
    }

    /// Returns once `mark` is durable (or throws when the write failed).
    func record(_ mark: OutboxAcceptance) async throws {
        try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, any Error>) in
            let leads = state.withLock { state in
                state.pending.append((mark, done))
                guard !state.writing else { return false }
                state.writing = true
                return true
            }
            if leads { Task { await self.writeGroups() } }
        }
    }

    private func writeGroups() async {
        while true {
            let group = state.withLock { state in
                let group = state.pending
                state.pending = []
                if group.isEmpty { state.writing = false }
                return group
            }
            guard !group.isEmpty else { return }
            do {
                try await store.outbox.markAccepted(group.map(\.mark), now: now())
                for item in group { item.done.resume() }
            } catch {
                for item in group { item.done.resume(throwing: error) }
            }
        }
    }
}
