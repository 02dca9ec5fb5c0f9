import Foundation

/// A certificate or attestation the company holds (ISO/IEC 27001, SOC 2, PCI DSS…), as the trust center lists it:
/// who issued it, what it covers and for how long. Valid from and until are days (UTC); a certificate is valid
/// through the whole of its last day.
public struct Certificate: Sendable, Equatable, Codable {
    public let id: Int64
    /// The standard or scheme, as the certificate names it ("ISO/IEC 27001:2022").
    public var standard: String
    /// The certification body or assessor ("DNV", "a QSA firm").
    public var issuer: String
    /// What it covers, in the certificate's words ("the web shop and its payment processing").
    public var scope: String
    public var validFrom: Date
    public var validUntil: Date
    /// Shown on the public trust center; an unpublished one is tracked in the console only.
    public var published: Bool
    public var updatedBy: String
    public var updatedAt: Date

    public init(
        id: Int64,
        standard: String,
        issuer: String,
        scope: String,
        validFrom: Date,
        validUntil: Date,
        published: Bool,
        updatedBy: String,
        updatedAt: Date
    ) {
        self.id = id
        self.standard = standard
        self.issuer = issuer
        self.scope = scope
        self.validFrom = validFrom
        self.validUntil = validUntil
        self.published = published
        self.updatedBy = updatedBy
        self.updatedAt = updatedAt
    }

    /// Where a certificate stands on a day.
    public enum Status: Sendable, Equatable {
        case notYetValid
        case valid
        /// Valid, but its last day is at most `Certificate.reminderDays` away: admins are reminded.
        case expiringSoon(daysLeft: Int)
        case expired

        public var isCurrent: Bool {
            switch self {
            case .valid, .expiringSoon: true
            case .notYetValid, .expired: false
            }
        }
    }

    /// Days before the last valid day from which the dashboard reminds admins.
    public static let reminderDays = 30

    public func status(now: Date) -> Status {
        let today = Self.day(of: now)
        if today < validFrom { return .notYetValid }
        if today > validUntil { return .expired }
        let daysLeft = Int((validUntil.timeIntervalSince(today) / 86_400).rounded())
        return daysLeft <= Self.reminderDays ? .expiringSoon(daysLeft: daysLeft) : .valid
    }

    /// UTC midnight of `date`'s day.
    public static func day(of date: Date) -> Date {
        let seconds = (date.timeIntervalSince1970 / 86_400).rounded(.down) * 86_400
        return Date(timeIntervalSince1970: seconds)
    }
}

/// A certificate as typed in the console, checked: trimmed single-line text within limits, real `YYYY-MM-DD`
/// days from 1970 to 9999, and a last day on or after the first.
public struct CertificateInput: Sendable, Equatable {
    public var standard: String
    public var issuer: String
    public var scope: String
    public var validFrom: Date
    public var validUntil: Date
    public var published: Bool

    public init(
        standard: String,
        issuer: String,
        scope: String,
        validFrom: Date,
        validUntil: Date,
        published: Bool
    ) {
        self.standard = standard
        self.issuer = issuer
        self.scope = scope
        self.validFrom = validFrom
        self.validUntil = validUntil
        self.published = published
    }

    public static let textLimit = 200
    public static let scopeLimit = 1_000

    public static func checked(
        standard: String,
        issuer: String,
        scope: String,
        validFrom: String,
        validUntil: String,
        published: Bool
    ) -> (input: CertificateInput?, problems: [FieldProblem]) {
        var problems: [FieldProblem] = []
        func text(_ value: String, _ field: String, limit: Int) -> String {
            let line = value.split(whereSeparator: \.isNewline).joined(separator: " ")
                .trimmingCharacters(in: .whitespaces)
            if line.isEmpty {
                problems.append(FieldProblem(field, .l("fill this in", "täytä tämä")))
            } else if line.count > limit {
                problems.append(
                    FieldProblem(field, .l("at most \(limit) characters", "enintään \(limit) merkkiä"))
                )
            }
            return line
        }
        func day(_ value: String, _ field: String) -> Date? {
            let trimmed = value.trimmingCharacters(in: .whitespaces)
            guard let date = UTCDay.parse(trimmed), IncidentInput.timeRange.contains(date) else {
                let shown = String(trimmed.prefix(40))
                problems.append(
                    FieldProblem(
                        field,
                        .l(
                            "\"\(shown)\" is not a day between 1970 and 9999 (YYYY-MM-DD)",
                            "\"\(shown)\" ei ole päivä vuosien 1970 ja 9999 väliltä (VVVV-KK-PP)"
                        )
                    )
                )
                return nil
            }
            return date
        }
        let standard = text(standard, "standard", limit: textLimit)
        let issuer = text(issuer, "issuer", limit: textLimit)
        let scope = text(scope, "scope", limit: scopeLimit)
        let from = day(validFrom, "valid_from")
        let until = day(validUntil, "valid_until")
        if let from, let until, until < from {
            problems.append(
                FieldProblem(
                    "valid_until",
                    .l("the last valid day comes before the first", "viimeinen voimassaolopäivä on ennen ensimmäistä")
                )
            )
        }
        guard problems.isEmpty, let from, let until else { return (nil, problems) }
        return (
            CertificateInput(
                standard: standard,
                issuer: issuer,
                scope: scope,
                validFrom: from,
                validUntil: until,
                published: published
            ),
            []
        )
    }
}

extension AuditAction {
    public static let certificateCreate = AuditAction(rawValue: "certificate.create")
    public static let certificateUpdate = AuditAction(rawValue: "certificate.update")
    public static let certificateRemove = AuditAction(rawValue: "certificate.remove")
}
