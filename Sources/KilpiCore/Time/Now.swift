import Foundation

/// Where "now" comes from. Production uses the system clock; tests move time by hand to check expiries.
public typealias Now = @Sendable () -> Date

extension Date {
    /// Milliseconds since 1970, the form every timestamp takes in the database.
    public var epochMilliseconds: Int64 { Int64((timeIntervalSince1970 * 1000).rounded(.down)) }

    public init(epochMilliseconds: Int64) {
        self.init(timeIntervalSince1970: Double(epochMilliseconds) / 1000)
    }
}
