import Foundation

/// One stretch of a day during which the support team is at work, in wall-clock minutes after midnight
/// (`closes` may be 24:00). Wall-clock rather than a duration so that a DST night still opens at 08:00.
///
/// Encoded as `"08:00-16:00"`, the form a settings page shows and takes back.
public struct OpeningHours: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Minutes after midnight, 0 to 1439.
    public let opens: Int
    /// Minutes after midnight, after `opens`, at most 1440 (24:00).
    public let closes: Int

    /// Hours from `opens` to `closes`; refused naming `field` unless `0 ≤ opens < closes ≤ 24:00`.
    public init(opens: Int, closes: Int, field: String = "hours") throws {
        guard (0...OpeningHours.endOfDay).contains(opens), (0...OpeningHours.endOfDay).contains(closes) else {
            throw ValidationFailed([
                FieldProblem(field, .l("use times from 00:00 to 24:00", "käytä aikoja väliltä 00.00–24.00"))
            ])
        }
        guard opens < closes else {
            throw ValidationFailed([
                FieldProblem(
                    field,
                    .l("the closing time must be after the opening time", "sulkemisajan on oltava avaamisajan jälkeen")
                )
            ])
        }
        self.opens = opens
        self.closes = closes
    }

    /// `opens`–`closes` as hours and minutes: `try OpeningHours(8, 0, to: 16, 0)`.
    public init(
        _ openHour: Int,
        _ openMinute: Int = 0,
        to closeHour: Int,
        _ closeMinute: Int = 0,
        field: String = "hours"
    )
        throws
    {
        guard (0...59).contains(openMinute), (0...59).contains(closeMinute) else {
            throw ValidationFailed([
                FieldProblem(field, .l("use times from 00:00 to 24:00", "käytä aikoja väliltä 00.00–24.00"))
            ])
        }
        try self.init(opens: openHour * 60 + openMinute, closes: closeHour * 60 + closeMinute, field: field)
    }

    /// `"08:00-16:00"` (an en dash or `08.00` as Finns write it also do); refused naming `field`.
    public init(parsing text: String, field: String = "hours") throws {
        let normalised = text.replacingOccurrences(of: "–", with: "-").replacingOccurrences(of: ".", with: ":")
            .replacingOccurrences(of: " ", with: "")
        let ends = normalised.split(separator: "-", omittingEmptySubsequences: false)
        guard ends.count == 2, let opens = OpeningHours.minutes(ends[0]), let closes = OpeningHours.minutes(ends[1])
        else {
            throw ValidationFailed([
                FieldProblem(
                    field,
                    .l(
                        "write the hours as HH:MM-HH:MM, for example 08:00-16:00",
                        "kirjoita ajat muodossa HH:MM-HH:MM, esimerkiksi 08:00-16:00"
                    )
                )
            ])
        }
        try self.init(opens: opens, closes: closes, field: field)
    }

    /// How long the stretch lasts on a day without a DST change.
    public var length: TimeInterval { TimeInterval(closes - opens) * 60 }

    public var description: String { "\(OpeningHours.clock(opens))-\(OpeningHours.clock(closes))" }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            try self.init(parsing: text)
        } catch let failure as ValidationFailed {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: failure.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    static let endOfDay = 24 * 60

    private static func minutes(_ text: Substring) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...2).contains(parts[0].count), parts[1].count == 2,
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            let hour = Int(parts[0]), let minute = Int(parts[1]), minute < 60
        else { return nil }
        return hour * 60 + minute
    }

    private static func clock(_ minutes: Int) -> String {
        String(format: "%02d:%02d", minutes / 60, minutes % 60)
    }
}
