import Foundation

/// The limits of the support channel's public doors, counted per fixed window in `support_attempts`.
///
/// The defaults, per 15-minute window:
/// - tokens: 20 wrong links per source, after which that source's misses are refused without a write (a valid
///   link is never refused: see `SupportLinkRepository.resolve`);
/// - reference code and email: 10 attempts per source, 5 per code, 5 per address, so neither a known code nor a
///   known address can be paired with many guesses of the other;
/// - contact-form codes: 5 requests per address and 10 per source (no mail bombing), 5 wrong codes per request;
/// - customers' messages (questions and follow-ups): 10 per notice and 30 per source, so a leaked link or a script
///   cannot flood the support inbox;
/// - the trust center's "Is this message from us?": 30 checks per source, so nobody can walk the code space to
///   find a genuine code to print on a fake notice (a person checks one or two codes).
public struct SupportLimits: Sendable, Equatable {
    public var window: TimeInterval
    public var tokenFailuresPerSource: Int
    public var codeAttemptsPerSource: Int
    public var codeAttemptsPerCode: Int
    public var codeAttemptsPerEmail: Int
    public var verificationsPerSource: Int
    public var verificationsPerEmail: Int
    /// Wrong codes a verification takes before it is spent.
    public var verificationAttempts: Int
    public var messagesPerNotice: Int
    public var messagesPerSource: Int
    public var referenceChecksPerSource: Int

    public init(
        window: TimeInterval = 15 * 60,
        tokenFailuresPerSource: Int = 20,
        codeAttemptsPerSource: Int = 10,
        codeAttemptsPerCode: Int = 5,
        codeAttemptsPerEmail: Int = 5,
        verificationsPerSource: Int = 10,
        verificationsPerEmail: Int = 5,
        verificationAttempts: Int = 5,
        messagesPerNotice: Int = 10,
        messagesPerSource: Int = 30,
        referenceChecksPerSource: Int = 30
    ) {
        self.window = window
        self.tokenFailuresPerSource = tokenFailuresPerSource
        self.codeAttemptsPerSource = codeAttemptsPerSource
        self.codeAttemptsPerCode = codeAttemptsPerCode
        self.codeAttemptsPerEmail = codeAttemptsPerEmail
        self.verificationsPerSource = verificationsPerSource
        self.verificationsPerEmail = verificationsPerEmail
        self.verificationAttempts = verificationAttempts
        self.messagesPerNotice = messagesPerNotice
        self.messagesPerSource = messagesPerSource
        self.referenceChecksPerSource = referenceChecksPerSource
    }

    public static let standard = SupportLimits()
}

/// How long links and contact-form codes live.
public struct SupportSettings: Sendable, Equatable {
    /// A personal link's lifetime from when it is issued.
    public var linkLifetime: TimeInterval
    /// A contact-form code's lifetime.
    public var verificationLifetime: TimeInterval
    public var limits: SupportLimits

    public init(
        linkLifetime: TimeInterval = 90 * 24 * 60 * 60,
        verificationLifetime: TimeInterval = 15 * 60,
        limits: SupportLimits = .standard
    ) {
        self.linkLifetime = linkLifetime
        self.verificationLifetime = verificationLifetime
        self.limits = limits
    }

    public static let standard = SupportSettings()
}
