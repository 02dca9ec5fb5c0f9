import Foundation
import KilpiCore
import SQLKit

/// Sign-in attempt slots, taken before a password or code is checked.
///
/// Each slot is one conditional statement (`INSERT … ON CONFLICT DO UPDATE … WHERE <under the limit>
/// RETURNING`, or `UPDATE … WHERE <not locked> RETURNING`): the database counts the attempt and says whether
/// it fits in the same step, so a burst of parallel posts gets exactly as many checks as the limits allow,
/// across every `serve` process on the database. An attempt is counted as a failure from the moment it takes
/// its slot, its lock included; a success gives it back.
public struct LoginThrottleRepository: Sendable {
    let database: Database

    public init(database: Database) { self.database = database }

    /// A slot of a source's window, to give back when the attempt succeeds.
    public struct SourceSlot: Sendable, Equatable {
        public let source: String
        public let windowStart: Int64
        /// This window's attempts, this one included.
        public let attempts: Int
    }

    /// What the account's two counters said when the attempt took its slot.
    public struct AccountSlot: Sendable, Equatable {
        /// Failures in a row from this source, this attempt included.
        public let fromSource: Int
        /// Failures from all sources since the last sign-in, this attempt included.
        public let overall: Int

        public init(fromSource: Int, overall: Int) {
            self.fromSource = fromSource
            self.overall = overall
        }
    }

    /// One account's lockout from one source.
    public struct Lockout: Sendable, Equatable {
        public let failures: Int
        public let lockedUntil: Date?

        public init(failures: Int, lockedUntil: Date?) {
            self.failures = failures
            self.lockedUntil = lockedUntil
        }
    }

    /// Counts an attempt from `source` in its fixed window, or returns nil (counting nothing) when the window
    /// already holds `limit` attempts.
    public func takeSourceSlot(
        source: String,
        now: Date,
        limit: Int,
        window: TimeInterval
    ) async throws
        -> SourceSlot?
    {
        let windowMilliseconds = max(Int64(window * 1000), 1)
        let start = now.epochMilliseconds - now.epochMilliseconds % windowMilliseconds
        return try await database.withConnection { sql in
            try await sql.raw(
                """
                INSERT INTO login_source_attempts (source, window_start, attempts)
                VALUES (\(bind: source), \(bind: start), 1)
                ON CONFLICT (source, window_start) DO UPDATE SET attempts = login_source_attempts.attempts + 1
                WHERE login_source_attempts.attempts < \(bind: limit)
                RETURNING attempts
                """
            ).first().map {
                SourceSlot(
                    source: source,
                    windowStart: start,
                    attempts: try $0.decode(column: "attempts", as: Int.self)
                )
            }
        }
    }

    /// Gives a slot back: the attempt turned out right, so it does not count against its source.
    public func giveBack(_ slot: SourceSlot) async throws {
        try await database.withConnection { sql in
            try await sql.raw(
                """
                UPDATE login_source_attempts SET attempts = attempts - 1
                WHERE source = \(bind: slot.source) AND window_start = \(bind: slot.windowStart) AND attempts > 0
                """
            ).run()
        }
    }

    /// Counts a failure of `userID` from `source` and across all sources, setting each lock its schedule gives
    /// for the new count, or returns nil (counting nothing) when either is locked now. Both or neither: a
    /// source locked out of an account does not use up the account's ceiling, and the reverse.
    public func takeAccountSlot(
        userID: Int64,
        source: String,
        now: Date,
        limits: SignInLimits
    ) async throws -> AccountSlot? {
        struct Locked: Error {}
        let at = now.epochMilliseconds
        let first = limits.perSource.delay(afterFailures: 1).map { at + Int64($0 * 1000) }
        do {
            return try await database.transaction { sql in
                guard
                    let fromSource = try await sql.raw(
                        """
                        INSERT INTO login_lockouts (user_id, source, failures, locked_until, updated_at)
                        VALUES (\(bind: userID), \(bind: source), 1, \(bind: first), \(bind: at))
                        ON CONFLICT (user_id, source) DO UPDATE SET
                            failures = login_lockouts.failures + 1,
                            locked_until = \(unsafeRaw: limits.perSource.lockedUntilSQL(count: "login_lockouts.failures + 1", now: now)),
                            updated_at = \(bind: at)
                        WHERE login_lockouts.locked_until IS NULL OR login_lockouts.locked_until <= \(bind: at)
                        RETURNING failures
                        """
                    ).first().map({ try $0.decode(column: "failures", as: Int.self) })
                else { throw Locked() }
                guard
                    let overall = try await sql.raw(
                        """
                        UPDATE staff_users SET
                            failed_logins = failed_logins + 1,
                            locked_until = \(unsafeRaw: limits.perAccount.lockedUntilSQL(count: "failed_logins + 1", now: now)),
                            updated_at = \(bind: at)
                        WHERE id = \(bind: userID) AND (locked_until IS NULL OR locked_until <= \(bind: at))
                        RETURNING failed_logins
                        """
                    ).first().map({ try $0.decode(column: "failed_logins", as: Int.self) })
                else { throw Locked() }
                return AccountSlot(fromSource: fromSource, overall: overall)
            }
        } catch is Locked {
            return nil
        }
    }

    /// After a successful sign-in from `source`: its run of failures is over. (The account-wide count is reset
    /// by `StaffUserRepository.recordSuccessfulLogin`.)
    public func clear(userID: Int64, source: String) async throws {
        try await database.withConnection { sql in
            try await sql.raw(
                "DELETE FROM login_lockouts WHERE user_id = \(bind: userID) AND source = \(bind: source)"
            ).run()
        }
    }

    /// `userID`'s lockout from `source`, if any attempt from there has counted since the last success.
    public func lockout(userID: Int64, source: String) async throws -> Lockout? {
        try await database.withConnection { sql in
            try await sql.raw(
                """
                SELECT failures, locked_until FROM login_lockouts
                WHERE user_id = \(bind: userID) AND source = \(bind: source)
                """
            ).first().map {
                Lockout(
                    failures: try $0.decode(column: "failures", as: Int.self),
                    lockedUntil: try $0.decode(column: "locked_until", as: Int64?.self).map(
                        Date.init(epochMilliseconds:)
                    )
                )
            }
        }
    }

    /// Removes windows that have ended and lockouts untouched for a day whose lock has passed; returns how many
    /// rows went. For the periodic sweeper.
    @discardableResult
    public func prune(now: Date, window: TimeInterval) async throws -> Int {
        let at = now.epochMilliseconds
        let windowEnded = at - Int64(window * 1000)
        let stale = at - 24 * 60 * 60 * 1000
        return try await database.transaction { sql in
            let windows = try await sql.raw(
                "DELETE FROM login_source_attempts WHERE window_start <= \(bind: windowEnded) RETURNING window_start"
            ).all().count
            let lockouts = try await sql.raw(
                """
                DELETE FROM login_lockouts
                WHERE updated_at < \(bind: stale) AND (locked_until IS NULL OR locked_until < \(bind: at))
                RETURNING user_id
                """
            ).all().count
            return windows + lockouts
        }
    }

    /// The sweeper's chore that removes ended windows and stale lockouts (`window`: the per-source window).
    public func pruneChore(window: TimeInterval) -> Sweeper.Chore {
        Sweeper.Chore(name: "sign-in counters") { now in try await prune(now: now, window: window) }
    }
}
