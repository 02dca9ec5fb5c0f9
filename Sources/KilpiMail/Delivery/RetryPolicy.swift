import Foundation

/// When a notice that could not be delivered now is tried again, and when Kilpi stops trying.
///
/// Exponential backoff with "full jitter" (a random wait between half and all of the step), so that thousands of
/// notices deferred by one 451 do not all come back in the same second and trip the same limit again.
public struct RetryPolicy: Sendable {
    /// The wait after the first temporary failure; each further attempt doubles it, up to `maximumDelay`.
    public var baseDelay: TimeInterval
    public var maximumDelay: TimeInterval
    /// A notice still undelivered this many attempts in is given up (`failed`), and listed for another channel.
    public var maximumAttempts: Int
    /// The wait after a lost connection: short, because the fault was usually ours or the network's, not a limit.
    public var interruptedDelay: TimeInterval

    public init(
        baseDelay: TimeInterval = 60,
        maximumDelay: TimeInterval = 3600,
        maximumAttempts: Int = 12,
        interruptedDelay: TimeInterval = 5
    ) {
        self.baseDelay = baseDelay
        self.maximumDelay = maximumDelay
        self.maximumAttempts = maximumAttempts
        self.interruptedDelay = interruptedDelay
    }

    /// The wait before attempt `attempts + 1`, given that `attempts` have been made (1 or more).
    public func delay(afterAttempts attempts: Int, random: Double = Double.random(in: 0..<1)) -> TimeInterval {
        let step = min(maximumDelay, baseDelay * pow(2, Double(max(0, min(attempts - 1, 30)))))
        return step / 2 + step / 2 * random
    }

    public func givesUp(afterAttempts attempts: Int) -> Bool { attempts >= maximumAttempts }
}
