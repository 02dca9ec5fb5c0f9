import NIOCore

/// One open SMTP session, ready for mail: many messages, one after another, on one TCP connection. Calls to `send`
/// may overlap; their batches go out in the order they were made. Once the connection is lost (or the server said
/// 421) every later `send` returns `.interrupted` at once and `isOpen` is false: open a new connection.
public final class SMTPConnection: Sendable {
    private let channel: any Channel
    private let handler: NIOLoopBound<SMTPClientHandler>
    private let state: SMTPConnectionState
    /// Whether the server offered PIPELINING (RFC 2920), so whole transactions go out in one write.
    public let pipelining: Bool

    init(channel: any Channel, handler: NIOLoopBound<SMTPClientHandler>, state: SMTPConnectionState, pipelining: Bool) {
        self.channel = channel
        self.handler = handler
        self.state = state
        self.pipelining = pipelining
    }

    /// What the handler calls, on the event loop, when a mail was accepted.
    typealias AcceptanceHook = @Sendable (Int, SMTPReply) -> EventLoopFuture<Void>

    /// Whether the connection can still take mail (false after a loss, a timeout, a 421 or `close`).
    public var isOpen: Bool { state.open.load(ordering: .relaxed) }

    /// Sends each mail in its own transaction and returns one outcome per mail, in the same order. With
    /// PIPELINING a transaction's MAIL, RCPT and DATA go in one write, and the next one's follow the end of data of
    /// the one before; a refused recipient is followed by RSET. Never throws: a lost connection makes every mail
    /// without a final reply `.interrupted`.
    ///
    /// `accepted`, when given, is called with each accepted mail's index and reply, and the next mail's content
    /// is not sent until it returns: the caller records the acceptance durably there, so a crash can leave at most
    /// one accepted mail unrecorded. When it throws, nothing more is sent on this connection.
    public func send(
        _ mails: [RenderedMail],
        accepted: (@Sendable (Int, SMTPReply) async throws -> Void)? = nil
    ) async -> [SMTPOutcome] {
        guard !mails.isEmpty else { return [] }
        let eventLoop = channel.eventLoop
        let promise = eventLoop.makePromise(of: [SMTPOutcome].self)
        let handler = handler
        var hook: AcceptanceHook?
        if let accepted {
            hook = { @Sendable (index: Int, reply: SMTPReply) -> EventLoopFuture<Void> in
                let done = eventLoop.makePromise(of: Void.self)
                done.completeWithTask { try await accepted(index, reply) }
                return done.futureResult
            }
        }
        eventLoop.execute { [hook] in handler.value.send(mails, onAccepted: hook, promise: promise) }
        do {
            return try await promise.futureResult.get()
        } catch {
            return Array(repeating: .interrupted("the connection failed: \(error)"), count: mails.count)
        }
    }

    /// Sends QUIT once the batches already asked for are done, then closes the connection.
    public func close() async {
        let promise = channel.eventLoop.makePromise(of: Void.self)
        let handler = handler
        channel.eventLoop.execute { handler.value.quit(promise: promise) }
        try? await promise.futureResult.get()
        try? await channel.close()
    }
}
