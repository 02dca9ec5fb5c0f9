import Foundation
import KilpiCore
import Logging
import SQLKit
import ServiceLifecycle

/// Kilpi's background housekeeping, as a `Service` in the server's `ServiceGroup`: every `interval` (and once at
/// start) it runs its chores, each one statement that removes what nobody can use any more. Later periodic work
/// (delivery retries, retention) joins as further chores.
///
/// Removing an expired row changes nothing anyone can see (an expired session or link is refused anyway), so a
/// pass writes no audit entry; it logs how many rows went, at debug level.
public struct Sweeper: Service {
    /// One kind of housekeeping: it removes (or closes) what is due at the given time and returns how many rows.
    public struct Chore: Sendable {
        public let name: String
        private let body: Body

        private enum Body: Sendable {
            /// One statement on a connection the sweeper holds.
            case statement(@Sendable (any SQLDatabase, Date) async throws -> Int)
            /// Work that opens its own transaction (it must not run inside a held connection: SQLite's single
            /// writer would wait on itself).
            case ownTransaction(@Sendable (Date) async throws -> Int)
        }

        public init(name: String, run: @escaping @Sendable (any SQLDatabase, Date) async throws -> Int) {
            self.name = name
            self.body = .statement(run)
        }

        public init(name: String, ownTransaction: @escaping @Sendable (Date) async throws -> Int) {
            self.name = name
            self.body = .ownTransaction(ownTransaction)
        }

        /// Runs the chore against `database` at `now`.
        public func perform(on database: Database, at now: Date) async throws -> Int {
            switch body {
            case .statement(let run): try await database.withConnection { try await run($0, now) }
            case .ownTransaction(let run): try await run(now)
            }
        }
    }

    /// What one pass removed, by chore name; a chore that failed is missing (and logged).
    public typealias Pass = [String: Int]

    let database: Database
    let chores: [Chore]
    let now: Now
    let interval: Duration
    let logger: Logger
    let onPass: @Sendable (Pass) -> Void

    /// - Parameters:
    ///   - sessionIdleTimeout: the web app's idle timeout: a session not used for this long is over.
    ///   - onPass: called after every pass (tests watch passes with it).
    public init(
        database: Database,
        sessionIdleTimeout: TimeInterval,
        now: @escaping Now = { Date() },
        interval: Duration = .seconds(5 * 60),
        logger: Logger = Logger(label: "kilpi.sweeper"),
        more: [Chore] = [],
        onPass: @escaping @Sendable (Pass) -> Void = { _ in }
    ) {
        self.database = database
        self.chores = [Self.expiredSessions(idleTimeout: sessionIdleTimeout), Self.expiredLinks] + more
        self.now = now
        self.interval = interval
        self.logger = logger
        self.onPass = onPass
    }

    /// A sweeper that runs only `chores`, for work due more often than housekeeping (releasing held posts).
    public init(
        database: Database,
        only chores: [Chore],
        now: @escaping Now = { Date() },
        interval: Duration,
        logger: Logger = Logger(label: "kilpi.sweeper")
    ) {
        self.database = database
        self.chores = chores
        self.now = now
        self.interval = interval
        self.logger = logger
        self.onPass = { _ in }
    }

    /// Sessions past their absolute lifetime or idle for longer than `idleTimeout` (the rule sign-in applies).
    public static func expiredSessions(idleTimeout: TimeInterval) -> Chore {
        Chore(name: "sessions") { sql, now in
            let idleSince = now.addingTimeInterval(-idleTimeout).epochMilliseconds
            return try await sql.raw(
                """
                DELETE FROM staff_sessions
                WHERE expires_at <= \(bind: now.epochMilliseconds) OR last_seen_at < \(bind: idleSince)
                RETURNING user_id
                """
            ).all().count
        }
    }

    /// Setup and enrolment links past their expiry, used or not (a used one is refused all the same).
    public static let expiredLinks = Chore(name: "links") { sql, now in
        try await sql.raw(
            "DELETE FROM one_time_links WHERE expires_at <= \(bind: now.epochMilliseconds) RETURNING token_hash"
        ).all().count
    }

    /// One pass: every chore in a statement of its own, at the clock's current time. A failing chore is logged
    /// and left for the next pass; the others still run.
    @discardableResult
    public func sweep() async -> Pass {
        let at = now()
        var pass: Pass = [:]
        for chore in chores {
            do {
                pass[chore.name] = try await chore.perform(on: database, at: at)
            } catch {
                logger.error(
                    "housekeeping failed; retried at the next pass",
                    metadata: ["chore": "\(chore.name)", "error": "\(String(describing: type(of: error)))"]
                )
            }
        }
        logger.debug("housekeeping pass", metadata: pass.mapValues { "\($0)" })
        return pass
    }

    /// A pass at once, then one every `interval`, until graceful shutdown or cancellation. A pass that has
    /// begun is finished first; the wait between passes ends at once.
    public func run() async throws {
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            onPass(await sweep())
            do {
                try await cancelWhenGracefulShutdown { [interval] in try await Task.sleep(for: interval) }
            } catch {
                return
            }
        }
    }
}
