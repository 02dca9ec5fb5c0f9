import Foundation
import KilpiCore
import KilpiStore
import Logging
import ServiceLifecycle

/// Sends the support mail outbox (staff replies, contact-form codes) as a `Service` of `kilpi serve`, beside the
/// notice delivery worker: the same relay, sender, DKIM key and retry rules, its own SMTP connection.
///
/// Each round claims a few due rows under a lease, sends them one by one and records each outcome before the next
/// goes out, so a kill leaves at most the one in flight to be sent again when its lease runs out. A 4xx or a lost
/// connection defers with the retry policy's backoff; a 5xx after RCPT or DATA fails the row, which staff see
/// beside the reply. Logs name rows by id and errors by class, never an address, a text or a code.
public final class SupportMailWorker: Service, Sendable {
    let store: Store
    let settings: DeliverySettings
    let composer: SupportMailComposer
    let client: SMTPClient
    let logger: Logger
    let now: Now
    let batchSize: Int

    public init(
        store: Store,
        settings: DeliverySettings,
        composer: SupportMailComposer,
        logger: Logger,
        batchSize: Int = 10,
        now: @escaping Now = { Date() }
    ) {
        self.store = store
        self.settings = settings
        self.composer = composer
        self.client = SMTPClient(configuration: settings.smtp)
        self.logger = logger
        self.batchSize = max(1, batchSize)
        self.now = now
    }

    /// The name this worker's leases carry.
    var worker: String { "\(settings.workerID)/support" }

    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            try await self.drain()
        }
    }

    /// Sends until cancelled, or, with `until`, until it says the work is done (tests and one-off runs).
    public func drain(until done: (@Sendable () async throws -> Bool)? = nil) async throws {
        var connection: SMTPConnection?
        var failures = 0
        while !Task.isCancelled {
            do {
                let handled = try await round(connection: &connection)
                failures = 0
                if handled == 0 {
                    if let done, try await done() { break }
                    try await Task.sleep(for: .seconds(settings.idleDelay))
                }
            } catch is CancellationError {
                break
            } catch {
                // A database hiccup must not stop support mail (nor the web app with it): wait longer each time.
                failures += 1
                logger.error("support mail round failed (\(failures) in a row): \(type(of: error))")
                await connection?.close()
                connection = nil
                do {
                    try await Task.sleep(for: .seconds(min(60, settings.idleDelay * pow(2, Double(min(failures, 10))))))
                } catch { break }
            }
        }
        await connection?.close()
    }

    /// One batch: claim, then compose, send and record each. Returns how many rows it claimed.
    func round(connection: inout SMTPConnection?) async throws -> Int {
        let claims = try await store.supportMail.claim(
            worker: worker,
            limit: batchSize,
            leaseSeconds: settings.leaseSeconds,
            now: now()
        )
        guard !claims.isEmpty else { return 0 }
        var renewed = now()
        for (index, claim) in claims.enumerated() {
            if Task.isCancelled {
                // Shutting down: what was not attempted goes back to the queue at once.
                for rest in claims[index...] {
                    try? await store.supportMail.record(rowID: rest.rowID, worker: worker, .released, now: now())
                }
                throw CancellationError()
            }
            if now().timeIntervalSince(renewed) > settings.leaseSeconds / 3 {
                try await store.supportMail.renewLease(
                    rowIDs: claims[index...].map(\.rowID),
                    worker: worker,
                    leaseSeconds: settings.leaseSeconds,
                    now: now()
                )
                renewed = now()
            }
            let result = await deliver(claim, connection: &connection)
            if case .failed(let error) = result {
                logger.warning("support mail \(claim.rowID) (\(claim.kind.rawValue)) failed: \(error)")
            } else if case .deferred(let error, _) = result {
                logger.info("support mail \(claim.rowID) (\(claim.kind.rawValue)) deferred: \(error)")
            }
            try await store.supportMail.record(rowID: claim.rowID, worker: worker, result, now: now())
        }
        return claims.count
    }

    func deliver(_ claim: SupportMailClaim, connection: inout SMTPConnection?) async -> SupportMailResult {
        let mail: RenderedMail
        switch composer.compose(claim, now: now()) {
        case .failure(let reason): return .failed(error: reason)
        case .mail(let built): mail = built
        }
        if connection?.isOpen != true {
            do {
                connection = try await client.connect()
            } catch {
                connection = nil
                let kind = (error as? SMTPError).map { "\($0.kind)" } ?? "unknown"
                logger.warning("support mail: SMTP connection failed (\(kind))")
                return retry(claim, error: "connection")
            }
        }
        let outcome = await connection!.send([mail]).first ?? .interrupted("no outcome")
        switch outcome {
        case .accepted:
            return .sent(messageID: mail.messageID)
        case .rejected(let reply):
            return .failed(error: Self.errorClass(reply))
        case .deferred(let reply):
            return retry(claim, error: Self.errorClass(reply))
        case .interrupted:
            await connection?.close()
            connection = nil
            return retry(claim, error: "connection", delay: settings.retry.interruptedDelay)
        }
    }

    func retry(_ claim: SupportMailClaim, error: String, delay: TimeInterval? = nil) -> SupportMailResult {
        if settings.retry.givesUp(afterAttempts: claim.attempts) { return .failed(error: error) }
        let wait = delay ?? settings.retry.delay(afterAttempts: claim.attempts)
        return .deferred(error: error, retryAt: now().addingTimeInterval(wait))
    }

    /// "smtp 550 5.1.1": the code and the enhanced status code, never the text (it may repeat the address).
    static func errorClass(_ reply: SMTPReply) -> String {
        let first = reply.lines.first?.split(separator: " ").first.map(String.init) ?? ""
        let parts = first.split(separator: ".")
        let enhanced =
            parts.count == 3 && parts.allSatisfy { !$0.isEmpty && $0.count <= 3 && $0.allSatisfy(\.isNumber) }
        return "smtp \(reply.code)" + (enhanced ? " \(first)" : "")
    }
}
