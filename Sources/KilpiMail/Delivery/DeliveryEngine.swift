import Foundation
import KilpiCore
import KilpiStore
import Logging
import Synchronization

/// Drains the outbox: each of `settings.connections` lanes claims a batch, composes and signs it, sends it over
/// its own SMTP connection and records every outcome, then claims the next. Lanes share the per-domain holds and
/// the campaigns' rates.
///
/// Nothing is held only in memory: a claimed row is `sending` under this worker's lease until its outcome is
/// recorded, so a kill at any moment leaves rows another worker (or this one, restarted) takes over once the lease
/// runs out. Each acceptance is recorded before the connection sends its next message, so the only notice that can
/// go out twice after a kill is the one per connection whose SMTP transaction was in flight.
public final class DeliveryEngine: Sendable {
    let store: Store
    let settings: DeliverySettings
    let composer: NoticeComposer
    let client: SMTPClient
    let logger: Logger
    let now: Now
    let shared: Mutex<Shared>
    let acceptances: AcceptanceRecorder

    struct Shared {
        var domains: DomainThrottle
        var rates: [Int64: RateLimiter] = [:]
    }

    public init(
        store: Store,
        settings: DeliverySettings,
        composer: NoticeComposer,
        logger: Logger,
        now: @escaping Now = { Date() }
    ) {
        self.store = store
        self.settings = settings
        self.composer = composer
        self.client = SMTPClient(configuration: settings.smtp)
        self.logger = logger
        self.now = now
        self.shared = Mutex(Shared(domains: DomainThrottle(limits: settings.domains)))
        self.acceptances = AcceptanceRecorder(store: store, now: now)
    }

    /// Connects once and says goodbye: `notices send` checks the relay this way before it claims anything, so a
    /// wrong URL or password is one clear error rather than a campaign of deferred notices.
    public func checkRelay() async throws {
        let connection = try await client.connect()
        await connection.close()
    }

    /// Runs the lanes until cancelled (the `Service`), or, with `until`, until it says the work is done.
    public func run(campaignID: Int64? = nil, until done: (@Sendable () async throws -> Bool)? = nil) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for lane in 0..<max(1, settings.connections) {
                group.addTask { try await self.runLane(lane, campaignID: campaignID, until: done) }
            }
            try await group.waitForAll()
        }
    }

    func runLane(_ lane: Int, campaignID: Int64?, until done: (@Sendable () async throws -> Bool)?) async throws {
        var connection: SMTPConnection?
        var failures = 0
        while !Task.isCancelled {
            do {
                let handled = try await round(campaignID: campaignID, lane: lane, connection: &connection)
                failures = 0
                if handled == 0 {
                    if let done, try await done() { break }
                    try await Task.sleep(for: .seconds(settings.idleDelay))
                }
            } catch is CancellationError {
                // Shutting down: what this lane had claimed and not recorded comes back when its lease runs out.
                break
            } catch {
                // A database hiccup or a row that cannot be read must not stop delivery (nor, in `serve`, the web
                // app with it): wait, longer each time, and go on; the rows come back when their lease runs out.
                failures += 1
                logger.error("notice delivery round failed (\(failures) in a row): \(type(of: error))")
                await connection?.close()
                connection = nil
                do {
                    try await Task.sleep(for: .seconds(min(60, settings.idleDelay * pow(2, Double(min(failures, 10))))))
                } catch { break }
            }
        }
        await connection?.close()
    }

    /// One batch: claim, compose, send, record. Returns how many rows it handled.
    func round(campaignID: Int64?, lane: Int, connection: inout SMTPConnection?) async throws -> Int {
        // Each lane leases under its own name, so a lane whose batch outlived its lease cannot record over the
        // lane that took the rows over.
        let worker = "\(settings.workerID)/\(lane)"
        let claims = try await store.outbox.claim(
            worker: worker,
            limit: settings.batchSize,
            leaseSeconds: settings.leaseSeconds,
            now: now(),
            campaignID: campaignID
        )
        guard !claims.isEmpty else { return 0 }
        // A batch that outlives a third of its lease (a slow relay) renews it, so no other worker takes over and
        // sends its notices a second time while they are still going out.
        let renewal = Task {
            let interval = max(0.05, settings.leaseSeconds / 3)
            while !Task.isCancelled {
                try await Task.sleep(for: .seconds(interval))
                do {
                    try await store.outbox.renewLease(
                        rowIDs: claims.map(\.rowID),
                        worker: worker,
                        leaseSeconds: settings.leaseSeconds,
                        now: now()
                    )
                } catch is CancellationError {
                    return
                } catch {
                    // A database hiccup must not end the renewals for the rest of the batch: try again next time.
                    logger.warning("could not renew the lease of a notice batch: \(type(of: error))")
                }
            }
        }
        defer { renewal.cancel() }
        var results: [(rowID: Int64, result: OutboxResult)] = []
        var sendable: [(claim: OutboxClaim, mail: RenderedMail, domain: String)] = []
        let composed = try await composer.compose(claims, now: now())
        let start = now()
        for (claim, outcome) in zip(claims, composed) {
            switch outcome {
            case .failure(let reason):
                results.append((claim.rowID, .failed(reason: reason)))
            case .mail(let mail):
                let domain = DomainThrottle.domain(of: mail.recipient)
                if let until = shared.withLock({ $0.domains.heldUntil(domain, now: start) }) {
                    results.append(
                        (claim.rowID, .deferred(reply: "held: the domain asked us to slow down", retryAt: until))
                    )
                } else {
                    sendable.append((claim, mail, domain))
                }
            }
        }
        sendable = try await withinRates(sendable, results: &results)
        if !sendable.isEmpty {
            if connection?.isOpen != true {
                do {
                    connection = try await client.connect()
                } catch {
                    // The relay is down or refuses us: every notice waits with the usual backoff (and is given up,
                    // to be listed for another channel, only after as many attempts as any other temporary fault).
                    logger.warning("SMTP connection failed: \(error)")
                    let time = now()
                    for item in sendable {
                        let reason = "could not connect to the mail server"
                        let attempts = item.claim.attempts
                        results.append(
                            (
                                item.claim.rowID,
                                settings.retry.givesUp(afterAttempts: attempts)
                                    ? .failed(reason: reason)
                                    : .deferred(
                                        reply: reason,
                                        retryAt: time.addingTimeInterval(settings.retry.delay(afterAttempts: attempts))
                                    )
                            )
                        )
                    }
                    try await store.outbox.record(results, worker: worker, now: now())
                    return claims.count
                }
            }
            let acceptances = acceptances
            let marks = sendable.map { (rowID: $0.claim.rowID, messageID: $0.mail.messageID) }
            let outcomes = await connection!.send(sendable.map(\.mail)) { index, reply in
                // Durable before the next message goes out: a kill now sends at most the one in flight again.
                try await acceptances.record(
                    OutboxAcceptance(
                        rowID: marks[index].rowID,
                        worker: worker,
                        messageID: marks[index].messageID,
                        reply: reply.text
                    )
                )
            }
            let finished = now()
            for (item, outcome) in zip(sendable, outcomes) {
                results.append(
                    (
                        item.claim.rowID,
                        result(
                            of: outcome,
                            for: item.claim,
                            messageID: item.mail.messageID,
                            domain: item.domain,
                            at: finished
                        )
                    )
                )
            }
        }
        try await store.outbox.record(results, worker: worker, now: now())
        return claims.count
    }

    /// Holds each campaign to its messages per second (shared by every lane of this process). Rows that would
    /// wait longer than a quarter of their lease go back to the queue unattempted.
    func withinRates(
        _ items: [(claim: OutboxClaim, mail: RenderedMail, domain: String)],
        results: inout [(rowID: Int64, result: OutboxResult)]
    ) async throws -> [(claim: OutboxClaim, mail: RenderedMail, domain: String)] {
        var kept: [(claim: OutboxClaim, mail: RenderedMail, domain: String)] = []
        let groups = Dictionary(grouping: items, by: \.claim.campaignID)
        for (campaignID, group) in groups.sorted(by: { $0.key < $1.key }) {
            let rate = try await composer.campaign(campaignID)?.settings.ratePerSecond ?? 0
            guard rate > 0 else {
                kept += group
                continue
            }
            var granted = 0
            var waited: TimeInterval = 0
            while granted < group.count {
                let (given, wait) = shared.withLock { shared in
                    let time = now()
                    var limiter = shared.rates[campaignID] ?? RateLimiter(rate: rate, now: time)
                    let given = limiter.take(group.count - granted, now: time)
                    let wait = limiter.wait(now: time)
                    shared.rates[campaignID] = limiter
                    return (given, wait)
                }
                granted += given
                if granted == group.count || waited + wait > settings.leaseSeconds / 4 { break }
                try await Task.sleep(for: .seconds(max(wait, 0.001)))
                waited += wait
            }
            kept += group.prefix(granted)
            for item in group.dropFirst(granted) { results.append((item.claim.rowID, .released)) }
        }
        return kept
    }

    func result(
        of outcome: SMTPOutcome,
        for claim: OutboxClaim,
        messageID: String,
        domain: String,
        at time: Date
    ) -> OutboxResult {
        switch outcome {
        case .accepted(let reply):
            shared.withLock { $0.domains.succeeded(domain) }
            return .sent(reply: reply.text, messageID: messageID)
        case .rejected(let reply):
            return .bounced(reply: reply.text)
        case .deferred(let reply):
            if settings.retry.givesUp(afterAttempts: claim.attempts) { return .failed(reason: reply.text) }
            let retryAt: Date
            if [421, 451, 452].contains(reply.code) {
                retryAt = shared.withLock { $0.domains.slowDown(domain, now: time) }
            } else {
                retryAt = time.addingTimeInterval(settings.retry.delay(afterAttempts: claim.attempts))
            }
            return .deferred(reply: reply.text, retryAt: retryAt)
        case .interrupted(let why):
            if settings.retry.givesUp(afterAttempts: claim.attempts) { return .failed(reason: why) }
            return .deferred(reply: why, retryAt: time.addingTimeInterval(settings.retry.interruptedDelay))
        }
    }
}
