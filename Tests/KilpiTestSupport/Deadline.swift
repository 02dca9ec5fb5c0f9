import Foundation

/// A wait in a test took longer than any run could need: the test fails instead of hanging the whole suite.
public struct DeadlineExceeded: Error, CustomStringConvertible {
    public let what: String
    public let seconds: Double
    public var description: String { "\(what) did not finish within \(Int(seconds)) s" }
}

/// Runs `body` and throws `DeadlineExceeded` if it has not finished after `seconds` (it is cancelled then, so it
/// must end on cancellation, as a delivery loop's sleep does). For loops that wait for a state that a bug, or a
/// clock a test holds still, could keep from ever coming.
public func withDeadline<T: Sendable>(
    _ seconds: Double,
    _ what: String,
    _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: .seconds(seconds))
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else {
            throw DeadlineExceeded(what: what, seconds: seconds)
        }
        return value
    }
}
