import Foundation
import KilpiCore
import SQLKit

/// Attempt counters of the support channel: one row per (key, fixed window) in `support_attempts`. A key names
/// what is counted (`src:<address>`, `code:<index>`, `mail:<index>`); codes and addresses appear
/// only as a prefix of their blind index, never as themselves.
///
/// `take` counts before the check, each slot in one conditional statement inside one transaction, so parallel
/// attempts get no more checks than the limits allow (as sign-in does); `isOver` plus `countFailure` is the cheap
/// form for unguessable tokens, where a valid link must cost no write.
struct SupportThrottle: Sendable {
    let database: Database
    let limits: SupportLimits

    struct Slot: Sendable, Equatable {
        let key: String
        let windowStart: Int64
    }

    private struct Full: Error {}

    func windowStart(_ now: Date) -> Int64 {
        let length = max(Int64(limits.window * 1000), 1)
        return now.epochMilliseconds - now.epochMilliseconds % length
    }

    /// Counts one attempt on each key, or none (returning nil) when any key's window is full.
    func take(_ keys: [(key: String, limit: Int)], now: Date) async throws -> [Slot]? {
        let start = windowStart(now)
        do {
            return try await database.transaction { sql in
                for (key, limit) in keys {
                    let counted = try await sql.raw(
                        """
                        INSERT INTO support_attempts (attempt_key, window_start, attempts)
                        VALUES (\(bind: key), \(bind: start), 1)
                        ON CONFLICT (attempt_key, window_start) DO UPDATE SET attempts = support_attempts.attempts + 1
                        WHERE support_attempts.attempts < \(bind: limit)
                        RETURNING attempts
                        """
                    ).first()
                    if counted == nil || limit < 1 { throw Full() }
                }
                return keys.map { Slot(key: $0.key, windowStart: start) }
            }
        } catch is Full {
            return nil
        }
    }

    /// Gives slots back: the attempt was right, so it does not count.
    func giveBack(_ slots: [Slot]) async throws {
        guard !slots.isEmpty else { return }
        try await database.transaction { sql in
            for slot in slots {
                try await sql.raw(
                    """
                    UPDATE support_attempts SET attempts = attempts - 1
                    WHERE attempt_key = \(bind: slot.key) AND window_start = \(bind: slot.windowStart) AND attempts > 0
                    """
                ).run()
            }
        }
    }

    /// Whether any key's window already holds its limit (read on the reader pool).
    func isOver(_ keys: [(key: String, limit: Int)], now: Date) async throws -> Bool {
        let start = windowStart(now)
        let counts = try await database.read { sql in
            try await sql.raw(
                """
                SELECT attempt_key, attempts FROM support_attempts
                WHERE window_start = \(bind: start) AND attempt_key IN (\(binds: keys.map(\.key)))
                """
            ).all().map {
                (try $0.decode(column: "attempt_key", as: String.self), try $0.decode(column: "attempts", as: Int.self))
            }
        }
        let byKey = Dictionary(counts, uniquingKeysWith: max)
        return keys.contains { (byKey[$0.key] ?? 0) >= $0.limit }
    }

    /// Counts a failure on each key (no limit: `isOver` refuses the next attempt).
    func countFailure(_ keys: [String], now: Date) async throws {
        let start = windowStart(now)
        try await database.transaction { sql in
            for key in keys {
                try await sql.raw(
                    """
                    INSERT INTO support_attempts (attempt_key, window_start, attempts) VALUES (\(bind: key), \(bind: start), 1)
                    ON CONFLICT (attempt_key, window_start) DO UPDATE SET attempts = support_attempts.attempts + 1
                    """
                ).run()
            }
        }
    }

    /// Removes ended windows; returns how many. For the sweeper.
    @discardableResult
    func prune(now: Date) async throws -> Int {
        let ended = windowStart(now)
        return try await database.withConnection { sql in
            try await sql.raw(
                "DELETE FROM support_attempts WHERE window_start < \(bind: ended) RETURNING window_start"
            ).all().count
        }
    }

    static func source(_ ip: String) -> String { "src:" + IPAddress.throttleKey(for: ip) }
}
