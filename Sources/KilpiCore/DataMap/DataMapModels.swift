import Foundation

/// A system that holds customer data: the web shop, the CRM, the payment processor, the backups.
public struct DataSystem: Sendable, Equatable, Identifiable, Codable {
    public let id: Int64
    public var name: String
    public var kind: SystemKind
    public var owner: String
    /// Hosting and location, e.g. "AWS eu-north-1 (Stockholm)".
    public var location: String
    public var encryptedAtRest: Bool
    /// Where the keys for data at rest live (matters for GDPR Art. 34(3)(a): encrypted data with a safe key).
    public var keyLocation: String

    public init(
        id: Int64,
        name: String,
        kind: SystemKind,
        owner: String,
        location: String,
        encryptedAtRest: Bool,
        keyLocation: String = ""
    ) {
        self.id = id
        self.name = name
        self.kind = kind
        self.owner = owner
        self.location = location
        self.encryptedAtRest = encryptedAtRest
        self.keyLocation = keyLocation
    }
}

/// A customer as Kilpi knows them. Personal fields are plaintext here and only here: the store seals them.
public struct Customer: Sendable, Equatable, Identifiable, Codable {
    public let id: Int64
    /// The company's own identifier for the customer.
    public var externalID: String
    public var name: String?
    public var email: String?
    public var phone: String?
    /// BCP 47 primary language for notices: "fi", "sv", "en", "de".
    public var language: String
    /// ISO 3166-1 alpha-2.
    public var country: String
    /// US state (two letters) or empty.
    public var region: String
    public var createdAt: Date
    /// Set when the customer was erased (GDPR Art. 17): personal fields are gone, holdings stay as counts.
    public var erasedAt: Date?

    public init(
        id: Int64,
        externalID: String,
        name: String?,
        email: String?,
        phone: String?,
        language: String,
        country: String,
        region: String,
        createdAt: Date,
        erasedAt: Date? = nil
    ) {
        self.id = id
        self.externalID = externalID
        self.name = name
        self.email = email
        self.phone = phone
        self.language = language
        self.country = country
        self.region = region
        self.createdAt = createdAt
        self.erasedAt = erasedAt
    }
}

/// One fact of the data map: this customer's data of this category sat in this system during this period.
public struct Holding: Sendable, Equatable, Codable {
    public var customerID: Int64
    public var systemID: Int64
    public var categoryID: String
    /// First day held (UTC midnight).
    public var heldFrom: Date
    /// Last day held, inclusive (UTC midnight); nil while still held.
    public var heldUntil: Date?

    public init(customerID: Int64, systemID: Int64, categoryID: String, heldFrom: Date, heldUntil: Date?) {
        self.customerID = customerID
        self.systemID = systemID
        self.categoryID = categoryID
        self.heldFrom = heldFrom
        self.heldUntil = heldUntil
    }
}

/// Calendar days in UTC, as the data map stores them.
public enum UTCDay {
    /// Parses `YYYY-MM-DD` (ISO 8601 calendar date) strictly: real dates only.
    public static func parse(_ text: String) -> Date? {
        if let date = parseDigits(text) { return date }
        return parseWithCalendar(text)
    }

    /// `YYYY-MM-DD` in ASCII digits from 1600 on, by arithmetic: Foundation's Calendar costs about 7 µs a date,
    /// which adds up over millions of holdings. Gives the same answer as `parseWithCalendar`, except that text
    /// it does not handle gives nil there too and is retried by the caller.
    static func parseDigits(_ text: String) -> Date?? {
        var text = text
        return text.withUTF8 { bytes -> Date?? in
            guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
            func number(_ range: Range<Int>) -> Int? {
                var value = 0
                for index in range {
                    let digit = Int(bytes[index]) - 48
                    guard (0...9).contains(digit) else { return nil }
                    value = value * 10 + digit
                }
                return value
            }
            // The Gregorian calendar only from 1600: before 1582 Foundation's calendar is Julian.
            guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), year >= 1600 else {
                return nil
            }
            let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
            let monthDays = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
            guard (1...12).contains(month), (1...monthDays[month - 1]).contains(day) else { return .some(nil) }
            // Days since 1970-01-01 (Howard Hinnant's days_from_civil).
            let y = month <= 2 ? year - 1 : year
            let era = y / 400
            let yearOfEra = y - era * 400
            let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
            let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
            let days = era * 146_097 + dayOfEra - 719_468
            return .some(Date(timeIntervalSince1970: Double(days) * 86_400))
        }
    }

    static func parseWithCalendar(_ text: String) -> Date? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let components = DateComponents(year: year, month: month, day: day)
        guard let date = calendar.date(from: components),
            calendar.component(.day, from: date) == day, calendar.component(.month, from: date) == month
        else { return nil }
        return date
    }

    public static func format(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0)
    }
}
