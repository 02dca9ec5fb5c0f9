import Foundation
import KilpiCore

/// How this process delivers notices: the relay, the sender, DKIM, and how hard to push.
public struct DeliverySettings: Sendable {
    public var smtp: SMTPConfiguration
    /// The From of every notice: the company's security or privacy address, with its name.
    public var from: MailAddress
    /// The domain of the VERP bounce addresses; the From address's domain by default.
    public var bounceDomain: String?
    /// Signs every notice when set; nil leaves DKIM to the relay.
    public var dkim: DKIMSigner?
    /// Connections this process keeps open to the relay, each sending its own batches.
    public var connections: Int
    /// Notices claimed and sent per connection per round.
    public var batchSize: Int
    /// How long a claimed notice stays this worker's; after a crash another worker takes it over after this.
    public var leaseSeconds: Double
    /// Names this process in the outbox's leases (host, process id and a random part).
    public var workerID: String
    public var retry: RetryPolicy
    public var domains: DomainThrottle.Limits
    /// How long a worker with nothing to do waits before looking again.
    public var idleDelay: TimeInterval

    public init(
        smtp: SMTPConfiguration,
        from: MailAddress,
        bounceDomain: String? = nil,
        dkim: DKIMSigner? = nil,
        connections: Int = 4,
        batchSize: Int = 100,
        leaseSeconds: Double = 120,
        workerID: String = DeliverySettings.defaultWorkerID(),
        retry: RetryPolicy = RetryPolicy(),
        domains: DomainThrottle.Limits = DomainThrottle.Limits(),
        idleDelay: TimeInterval = 1
    ) {
        self.smtp = smtp
        self.from = from
        self.bounceDomain = bounceDomain
        self.dkim = dkim
        self.connections = connections
        self.batchSize = batchSize
        self.leaseSeconds = leaseSeconds
        self.workerID = workerID
        self.retry = retry
        self.domains = domains
        self.idleDelay = idleDelay
    }

    public static func defaultWorkerID() -> String {
        let host = ProcessInfo.processInfo.hostName.prefix(40)
        return "\(host):\(ProcessInfo.processInfo.processIdentifier):\(SecureRandom.token(byteCount: 6))"
    }
}
