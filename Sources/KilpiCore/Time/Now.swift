import Foundation

/// Where "now" comes from. Production uses the system clock; tests move time by hand to check expiries.
public typealias Now = @Sendable () -> Date

extension Date {
    /// Milliseconds since 1970, the form every timestamp takes in the database.
    /// Rounded to the nearest millisecond, so `Date(epochMilliseconds: n).epochMilliseconds == n` always holds
    /// (rounding down turned 1800000000123 into ...122 through floating point, breaking audit hashes).
    public var epochMilliseconds: Int64 { Int64((timeIntervalSince1970 * 1000).rounded()) }

    public init(epochMilliseconds: Int64) {
        self.init(timeIntervalSince1970: Double(epochMilliseconds) / 1000)
    }
}
