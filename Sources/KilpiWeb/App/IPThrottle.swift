import Foundation

/// Counts failed sign-ins per IP address in a sliding window, so one address cannot try passwords across
/// many accounts (credential stuffing) even though each account's own delay has not kicked in.
/// In memory: each `serve` process counts its own; the per-account delay in the database is the shared guard.
actor IPThrottle {
    private let limit: Int
    private let window: TimeInterval
    private var failures: [String: [Date]] = [:]

    init(limit: Int, window: TimeInterval) {
        self.limit = limit
        self.window = window
    }

    func isBlocked(_ ip: String, now: Date) -> Bool {
        prune(ip, now: now)
        return (failures[ip]?.count ?? 0) >= limit
    }

    func recordFailure(_ ip: String, now: Date) {
        prune(ip, now: now)
        failures[ip, default: []].append(now)
        if failures.count > 100_000 { failures = failures.filter { !$0.value.isEmpty } }
    }

    private func prune(_ ip: String, now: Date) {
        guard let list = failures[ip] else { return }
        let kept = list.filter { now.timeIntervalSince($0) < window }
        failures[ip] = kept.isEmpty ? nil : kept
    }
}
