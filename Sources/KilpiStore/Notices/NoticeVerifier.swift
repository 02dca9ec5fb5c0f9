import Foundation
import KilpiCore

/// The trust center's "Is this message from us?": whether a reference code someone typed is one of our notices'
/// (see `NoticeOutboxRepository.isGenuine`), and nothing else about it. Each well-formed check takes a slot of its
/// source's window first (`SupportLimits.referenceChecksPerSource`), genuine or not, so a script cannot walk the
/// code space for a real code to print on a fake notice; a malformed code is answered without a slot or a read.
public struct NoticeVerifier: Sendable {
    let outbox: NoticeOutboxRepository
    let throttle: SupportThrottle

    public enum Answer: Sendable, Equatable {
        /// A notice we handed to a mail server carries this code.
        case genuine
        /// No notice of ours does.
        case notOurs
        /// Not eight symbols of the code's alphabet: a typo, or a code we would never print.
        case malformed
        /// The source checked too many codes in this window; `retryAfter` seconds until the next one.
        case throttled(retryAfter: Int)
    }

    /// Longest input looked at: a code with generous spaces and dashes.
    public static let maximumInputLength = 40

    public func check(code: String, ip: String, now: Date) async throws -> Answer {
        guard code.count <= Self.maximumInputLength, NoticeReferenceCode(typed: code) != nil else {
            return .malformed
        }
        let key = "chk:" + IPAddress.throttleKey(for: ip)
        guard try await throttle.take([(key, throttle.limits.referenceChecksPerSource)], now: now) != nil else {
            let windowEnd = throttle.windowStart(now) + Int64(throttle.limits.window * 1000)
            return .throttled(retryAfter: max(1, Int((windowEnd - now.epochMilliseconds + 999) / 1000)))
        }
        return try await outbox.isGenuine(code: code) ? .genuine : .notOurs
    }
}

extension Store {
    /// The reference-code check, counted in the support channel's attempt table under its limits.
    public var verifier: NoticeVerifier {
        NoticeVerifier(
            outbox: outbox,
            throttle: SupportThrottle(database: database, limits: supportLinks.settings.limits)
        )
    }
}
