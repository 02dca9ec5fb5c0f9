import NIOCore
import NIOSSL
import Synchronization

/// Shared between a connection's handler (on its event loop) and `SMTPConnection.isOpen` (anywhere).
final class SMTPConnectionState: Sendable {
    let open = Atomic<Bool>(true)
}

/// The client's side of one SMTP connection, on its event loop: a queue of the replies it waits for, each with
/// its timeout, and the transaction state machine that sends a batch of messages (pipelined when the server offers
/// PIPELINING). Everything here runs on the channel's event loop; `SMTPClient` and `SMTPConnection` reach it
/// through `NIOLoopBound`.
final class SMTPClientHandler: ChannelInboundHandler {
    typealias InboundIn = SMTPReplyFrame
    typealias OutboundOut = ByteBuffer

    /// What the next reply answers.
    private enum Expectation {
        /// A command of the opening dialogue or QUIT; `upgrade` is added in front of the pipeline on a clean 220
        /// (STARTTLS), before another byte is read.
        case command(EventLoopPromise<SMTPReply>, upgrade: NIOSSLClientHandler?)
        case mail(Int)
        case rcpt(Int)
        case data(Int)
        case dataEnd(Int)
        case rset
    }

    /// One `send` call: its mails and what became of each.
    private struct Batch {
        let mails: [RenderedMail]
        let promise: EventLoopPromise<[SMTPOutcome]>
        var outcomes: [SMTPOutcome?]
        /// The first refusal of MAIL or RCPT, which decides the outcome whatever DATA says afterwards.
        var refusals: [SMTPReply?]
        /// Mails whose MAIL FROM was refused: that is about our sender or the relay, never the recipient, so even
        /// a 5xx there defers the notice (and, repeated, fails it for the error threshold) instead of bouncing it.
        var senderRefused: Set<Int> = []
        var unresolved: Int
        /// The next mail whose envelope has not been written.
        var nextToStart = 0
        /// Called with each accepted mail's index; the next mail's content waits for the returned future, so no
        /// second acceptance can happen before the first is recorded.
        let onAccepted: SMTPConnection.AcceptanceHook?
        /// The recording of the last acceptance, while it runs.
        var pendingMark: EventLoopFuture<Void>?
        /// Tells a batch from the one before it when a deferred write comes back.
        let serial: Int

        func outcome(_ index: Int, refusal: SMTPReply) -> SMTPOutcome {
            refusal.code >= 500 && !senderRefused.contains(index) ? .rejected(refusal) : .deferred(refusal)
        }

        init(
            mails: [RenderedMail],
            promise: EventLoopPromise<[SMTPOutcome]>,
            onAccepted: SMTPConnection.AcceptanceHook?,
            serial: Int
        ) {
            self.mails = mails
            self.promise = promise
            self.onAccepted = onAccepted
            self.serial = serial
            outcomes = Array(repeating: nil, count: mails.count)
            refusals = Array(repeating: nil, count: mails.count)
            unresolved = mails.count
        }
    }

    private let timeouts: SMTPTimeouts
    private let state: SMTPConnectionState
    private var context: ChannelHandlerContext?
    private var expectations = CircularBuffer<(expectation: Expectation, timeout: TimeAmount)>(initialCapacity: 8)
    private var deadline: NIODeadline?
    private var timer: Scheduled<Void>?
    private var timerDeadline: NIODeadline?
    private var batch: Batch?
    private var waitingBatches = CircularBuffer<Batch>()
    private var quitPromise: EventLoopPromise<Void>?
    /// Why the connection ended (set once); every later request fails with it.
    private var failure: SMTPError?
    /// Set after EHLO: write whole transactions at once.
    var pipelining = false
    /// Numbers the batches.
    private var batchSerial = 0
    /// The server's greeting, the first reply awaited.
    let greeting: EventLoopFuture<SMTPReply>

    init(timeouts: SMTPTimeouts, state: SMTPConnectionState, greeting: EventLoopPromise<SMTPReply>) {
        self.timeouts = timeouts
        self.state = state
        self.greeting = greeting.futureResult
        expectations.append((.command(greeting, upgrade: nil), TimeAmount(timeouts.greeting)))
    }

    // MARK: Requests (on the event loop)

    /// Writes `line` (nil: only waits, as for the greeting) and returns the reply to it.
    func command(_ line: String?, upgrade: NIOSSLClientHandler? = nil) -> EventLoopFuture<SMTPReply> {
        guard let context else { preconditionFailure("the handler is not in a pipeline") }
        let promise = context.eventLoop.makePromise(of: SMTPReply.self)
        if let failure {
            promise.fail(failure)
            return promise.futureResult
        }
        expect(.command(promise, upgrade: upgrade), timeout: TimeAmount(timeouts.reply))
        if let line {
            var buffer = context.channel.allocator.buffer(capacity: line.utf8.count + 2)
            buffer.writeString(line)
            buffer.writeStaticString("\r\n")
            context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
        }
        return promise.futureResult
    }

    /// Sends `mails` after any batch already in progress; the promise gets one outcome per mail, in order.
    func send(
        _ mails: [RenderedMail],
        onAccepted: SMTPConnection.AcceptanceHook?,
        promise: EventLoopPromise<[SMTPOutcome]>
    ) {
        if let failure {
            promise.succeed(Array(repeating: .interrupted(Self.interruption(failure)), count: mails.count))
            return
        }
        batchSerial += 1
        let next = Batch(mails: mails, promise: promise, onAccepted: onAccepted, serial: batchSerial)
        if batch == nil, quitPromise == nil {
            start(next)
        } else {
            waitingBatches.append(next)
        }
    }

    /// QUIT after the batches already asked for, then close.
    func quit(promise: EventLoopPromise<Void>) {
        guard let context, failure == nil else {
            promise.succeed(())
            return
        }
        context.channel.closeFuture.cascade(to: promise)
        if quitPromise == nil {
            quitPromise = promise
            if batch == nil { writeQuit() }
        }
    }

    // MARK: Channel events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { armTimer() }
    }

    func channelActive(context: ChannelHandlerContext) {
        armTimer()
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        guard failure == nil else { return }
        guard let (expectation, _) = expectations.popFirst() else {
            if frame.reply.code == 421 {
                fail(.connectionClosed)
            } else {
                fail(.protocolViolation("a reply nobody asked for: \(frame.reply.code)"))
            }
            return
        }
        armTimer()
        switch expectation {
        case .command(let promise, let upgrade):
            if let upgrade, frame.reply.code == 220 {
                guard !frame.moreBuffered else {
                    let error = SMTPError.protocolViolation("data after the STARTTLS reply (an injection attempt?)")
                    promise.fail(error)
                    fail(error)
                    return
                }
                do {
                    try context.pipeline.syncOperations.addHandler(upgrade, position: .first)
                } catch {
                    promise.fail(SMTPError.tlsFailed(String(describing: error)))
                    fail(.tlsFailed(String(describing: error)))
                    return
                }
            }
            promise.succeed(frame.reply)
        case .mail(let index): handleEnvelopeReply(frame.reply, index: index, isRecipient: false)
        case .rcpt(let index): handleEnvelopeReply(frame.reply, index: index, isRecipient: true)
        case .data(let index): handleDataReply(frame.reply, index: index)
        case .dataEnd(let index): handleDataEndReply(frame.reply, index: index)
        case .rset:
            if !pipelining { startNextEnvelope() }
        }
        finishBatchIfDone()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        switch error {
        case let error as SMTPDecodingError: fail(.protocolViolation(error.description))
        case NIOSSLError.uncleanShutdown: fail(.connectionClosed)
        case let error as NIOSSLError: fail(.tlsFailed(Self.describe(error)))
        case let error as BoringSSLError: fail(.tlsFailed(Self.describe(error)))
        case let error as NIOSSLExtraError: fail(.tlsFailed(Self.describe(error)))
        case let error as SMTPError: fail(error)
        default: fail(SMTPError(.connectionClosed, SMTPError.connectionClosed.message, detail: Self.describe(error)))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(.connectionClosed)
        context.fireChannelInactive()
    }

    // MARK: Transactions

    private func start(_ newBatch: Batch) {
        batch = newBatch
        startNextEnvelope()
        finishBatchIfDone()
    }

    /// Writes the next sendable envelope: MAIL, RCPT, DATA in one write when pipelining, else MAIL alone.
    private func startNextEnvelope(into pending: ByteBuffer? = nil) {
        guard let context, batch != nil else { return }
        var buffer = pending ?? context.channel.allocator.buffer(capacity: 0)
        // `batch!` is changed in place: a copy of the batch would copy its arrays on every message.
        while batch!.nextToStart < batch!.mails.count {
            let index = batch!.nextToStart
            batch!.nextToStart += 1
            let mail = batch!.mails[index]
            guard SMTPWireFormat.isSafeEnvelopeAddress(mail.envelopeSender, allowEmpty: true),
                SMTPWireFormat.isSafeEnvelopeAddress(mail.recipient, allowEmpty: false)
            else {
                resolve(index, .rejected(Self.unsafeAddress))
                continue
            }
            if pipelining {
                SMTPWireFormat.writeEnvelope(mail, to: &buffer)
                expect(.mail(index), timeout: TimeAmount(timeouts.reply))
                expect(.rcpt(index), timeout: TimeAmount(timeouts.reply))
                expect(.data(index), timeout: TimeAmount(timeouts.reply))
            } else {
                buffer.writeStaticString("MAIL FROM:<")
                buffer.writeString(mail.envelopeSender)
                buffer.writeStaticString(">\r\n")
                expect(.mail(index), timeout: TimeAmount(timeouts.reply))
            }
            break
        }
        if buffer.readableBytes > 0 { context.writeAndFlush(wrapOutboundOut(buffer), promise: nil) }
    }

    private func handleEnvelopeReply(_ reply: SMTPReply, index: Int, isRecipient: Bool) {
        if reply.code == 421 { return closing(reply, index: index) }
        guard reply.isPositive else {
            guard (400..<600).contains(reply.code) else {
                return fail(.protocolViolation("a \(reply.code) reply to \(isRecipient ? "RCPT" : "MAIL")"))
            }
            if batch!.refusals[index] == nil {
                batch!.refusals[index] = reply
                if !isRecipient { batch!.senderRefused.insert(index) }
            }
            if !pipelining {
                resolve(index, batch!.outcome(index, refusal: reply))
                // After a refused MAIL there is no transaction; after a refused RCPT, RSET ends it.
                if isRecipient { writeRSET() } else { startNextEnvelope() }
            }
            return
        }
        if !pipelining {
            guard let context else { return }
            var buffer = context.channel.allocator.buffer(capacity: 64)
            if isRecipient {
                buffer.writeStaticString("DATA\r\n")
                expect(.data(index), timeout: TimeAmount(timeouts.reply))
            } else {
                buffer.writeStaticString("RCPT TO:<")
                buffer.writeString(batch!.mails[index].recipient)
                buffer.writeStaticString(">\r\n")
                expect(.rcpt(index), timeout: TimeAmount(timeouts.reply))
            }
            context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
        }
    }

    private func handleDataReply(_ reply: SMTPReply, index: Int) {
        guard let context else { return }
        if reply.code == 421 { return closing(reply, index: index) }
        if reply.code == 354 {
            if batch!.refusals[index] == nil, let mark = batch!.pendingMark {
                // The message before this one was accepted: its content goes out once that is recorded.
                batch!.pendingMark = nil
                let serial = batch!.serial
                mark.hop(to: context.eventLoop).assumeIsolated().whenComplete { result in
                    guard self.failure == nil, self.batch?.serial == serial else { return }
                    switch result {
                    case .success: self.writeContent(index)
                    case .failure: self.fail(.acceptanceNotRecorded)
                    }
                }
                return
            }
            writeContent(index)
            return
        }
        if let refusal = batch!.refusals[index] {
            resolve(index, batch!.outcome(index, refusal: refusal))
        } else if (400..<600).contains(reply.code) {
            resolve(index, batch!.outcome(index, refusal: reply))
        } else {
            return fail(.protocolViolation("a \(reply.code) reply to DATA"))
        }
        writeRSET()
    }

    /// After a 354: the message's content and its end of data (or, for a refused recipient, the end at once).
    private func writeContent(_ index: Int) {
        guard let context else { return }
        var buffer: ByteBuffer
        if batch!.refusals[index] != nil {
            // A server that says 354 without a valid recipient: end the (empty) data at once.
            buffer = context.channel.allocator.buffer(capacity: 3)
            buffer.writeStaticString(".\r\n")
        } else {
            let body = batch!.mails[index].bytes
            buffer = context.channel.allocator.buffer(capacity: body.count + body.count / 32 + 200)
            SMTPWireFormat.writeData(body, to: &buffer)
        }
        expect(.dataEnd(index), timeout: TimeAmount(timeouts.dataEnd))
        if pipelining, batch!.refusals[index] == nil {
            // RFC 2920: message content may begin a group; the next transaction's commands follow the dot.
            startNextEnvelope(into: buffer)
        } else {
            context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
        }
    }

    private func handleDataEndReply(_ reply: SMTPReply, index: Int) {
        if reply.code == 421 { return closing(reply, index: index) }
        if let refusal = batch!.refusals[index] {
            resolve(index, batch!.outcome(index, refusal: refusal))
            writeRSET()
            return
        }
        guard let outcome = SMTPOutcome(finalReply: reply) else {
            return fail(.protocolViolation("a \(reply.code) reply to the end of data"))
        }
        resolve(index, outcome)
        if case .accepted(let accepted) = outcome, let onAccepted = batch!.onAccepted {
            batch!.pendingMark = onAccepted(index, accepted)
        }
        if !pipelining { startNextEnvelope() }
    }

    /// RSET after a failed transaction, then (pipelined: in the same write) the next envelope.
    private func writeRSET() {
        guard let context else { return }
        var buffer = context.channel.allocator.buffer(capacity: 128)
        buffer.writeStaticString("RSET\r\n")
        expect(.rset, timeout: TimeAmount(timeouts.reply))
        if pipelining {
            startNextEnvelope(into: buffer)
        } else {
            context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
        }
    }

    /// A 421: the server is closing. This message and every one not yet answered is deferred with that reply
    /// (none of them was accepted), then the connection closes.
    private func closing(_ reply: SMTPReply, index: Int) {
        guard var current = batch else { return }
        batch = nil
        for position in current.outcomes.indices where current.outcomes[position] == nil {
            current.outcomes[position] =
                current.refusals[position].map { current.outcome(position, refusal: $0) } ?? .deferred(reply)
        }
        current.promise.succeed(current.outcomes.map { $0! })
        fail(.connectionClosed)
    }

    private func resolve(_ index: Int, _ outcome: SMTPOutcome) {
        guard batch!.outcomes[index] == nil else { return }
        batch!.outcomes[index] = outcome
        batch!.unresolved -= 1
    }

    private func finishBatchIfDone() {
        guard let current = batch, current.unresolved == 0, expectations.isEmpty else { return }
        batch = nil
        current.promise.succeed(current.outcomes.map { $0! })
        if let next = waitingBatches.popFirst() {
            start(next)
        } else if quitPromise != nil {
            writeQuit()
        }
    }

    private func writeQuit() {
        guard let context else { return }
        let channel = context.channel
        command("QUIT").whenComplete { _ in channel.close(promise: nil) }
    }

    // MARK: Timeouts and failure

    private func expect(_ expectation: Expectation, timeout: TimeAmount) {
        expectations.append((expectation, timeout))
        if expectations.count == 1 { armTimer() }
    }

    /// Gives the reply now awaited its full timeout; one scheduled task re-arms itself instead of one per reply.
    private func armTimer() {
        guard let context, let first = expectations.first, context.channel.isActive else {
            deadline = nil
            return
        }
        let newDeadline = NIODeadline.now() + first.timeout
        deadline = newDeadline
        // A later deadline waits for the scheduled task (which re-arms itself); an earlier one replaces it.
        if let timerDeadline, timer != nil, timerDeadline <= newDeadline { return }
        timer?.cancel()
        schedule(at: newDeadline, on: context.eventLoop)
    }

    private func schedule(at time: NIODeadline, on eventLoop: any EventLoop) {
        let bound = NIOLoopBound(self, eventLoop: eventLoop)
        timerDeadline = time
        timer = eventLoop.scheduleTask(deadline: time) { bound.value.timerFired() }
    }

    private func timerFired() {
        timer = nil
        guard let deadline, let context, failure == nil else { return }
        if NIODeadline.now() >= deadline {
            fail(.timedOut)
        } else {
            schedule(at: deadline, on: context.eventLoop)
        }
    }

    /// Ends the connection: every awaited reply fails with `error`, every unresolved message is interrupted
    /// (unless a refusal already decided it), and the channel closes.
    private func fail(_ error: SMTPError) {
        guard failure == nil else { return }
        failure = error
        state.open.store(false, ordering: .relaxed)
        timer?.cancel()
        timer = nil
        deadline = nil
        let reason = Self.interruption(error)
        while let (expectation, _) = expectations.popFirst() {
            if case .command(let promise, _) = expectation { promise.fail(error) }
        }
        if var current = batch {
            batch = nil
            for position in current.outcomes.indices where current.outcomes[position] == nil {
                current.outcomes[position] =
                    current.refusals[position].map { current.outcome(position, refusal: $0) } ?? .interrupted(reason)
            }
            current.promise.succeed(current.outcomes.map { $0! })
        }
        while let waiting = waitingBatches.popFirst() {
            waiting.promise.succeed(Array(repeating: .interrupted(reason), count: waiting.mails.count))
        }
        context?.close(promise: nil)
    }

    // MARK: Helpers

    static let unsafeAddress = SMTPReply(
        code: 501,
        lines: ["5.1.3 not sent by Kilpi: the envelope address contains a space, a control character or <>"]
    )

    static func interruption(_ error: SMTPError) -> String {
        switch error.kind {
        case .timedOut: "timed out waiting for the server's reply"
        case .connectionClosed: "the connection was lost before the server's reply"
        default: "the connection failed before the server's reply: \(error.description)"
        }
    }

    static func describe(_ error: any Error) -> String {
        String(String(describing: error).split(whereSeparator: \.isNewline).joined(separator: " ").prefix(300))
    }
}

extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
