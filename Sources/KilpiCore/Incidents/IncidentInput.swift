import Foundation

/// Reads incident fields typed by people: console forms and API bodies go through the same rules, so the two
/// cannot drift apart. Each bad value becomes a problem that names its field and says what would be accepted.
public enum IncidentInput {
    /// How a time may be written.
    public enum TimeForm: Sendable {
        /// ISO 8601 with a zone (`2026-11-25T08:00:00Z`, `…+02:00`), as JSON bodies carry them.
        case zoned
        /// Also what an `<input type="datetime-local">` sends (`2026-11-25T08:30`) or a day (`2026-11-25`), read
        /// as UTC: the console says so on the form, so a responder abroad cannot shift the legal clocks.
        case utcOrZoned
    }

    /// Threat kinds by name; repeats are dropped, unknown names are problems.
    public static func kinds(
        _ names: some Sequence<String>,
        field: String = "kinds",
        into problems: inout [FieldProblem]
    ) -> [ThreatKind] {
        var kinds: [ThreatKind] = []
        for name in names {
            let trimmed = name.trimmingCharacters(in: .whitespaces)
            if let kind = ThreatKind(rawValue: trimmed) {
                if !kinds.contains(kind) { kinds.append(kind) }
            } else {
                let value = name.prefix(80)
                let choices = ThreatKind.allCases.map(\.rawValue).joined(separator: ", ")
                problems.append(
                    FieldProblem(
                        field,
                        .l(
                            "unknown threat kind \"\(value)\"; use \(choices)",
                            "tuntematon uhkatyyppi \"\(value)\"; käytä jotakin näistä: \(choices)"
                        )
                    )
                )
            }
        }
        return kinds
    }

    /// `SEV1` … `SEV4`, in any case.
    public static func severity(
        _ text: String?,
        field: String = "severity",
        into problems: inout [FieldProblem]
    ) -> Severity? {
        guard let text, let severity = Severity(rawValue: text.trimmingCharacters(in: .whitespaces).uppercased())
        else {
            let choices = Severity.allCases.map(\.rawValue).joined(separator: ", ")
            problems.append(FieldProblem(field, .l("choose one of \(choices)", "valitse jokin näistä: \(choices)")))
            return nil
        }
        return severity
    }

    /// A lifecycle status by name.
    public static func status(
        _ text: String?,
        field: String = "status",
        into problems: inout [FieldProblem]
    ) -> IncidentStatus? {
        guard let text, let status = IncidentStatus(rawValue: text.trimmingCharacters(in: .whitespaces)) else {
            let choices = IncidentStatus.allCases.map(\.rawValue).joined(separator: ", ")
            problems.append(FieldProblem(field, .l("use one of \(choices)", "käytä jotakin näistä: \(choices)")))
            return nil
        }
        return status
    }

    /// An optional time: nil or blank is nil, a bad one a problem naming the field.
    public static func time(
        _ text: String?,
        field: String,
        form: TimeForm,
        into problems: inout [FieldProblem]
    ) -> Date? {
        guard let text, !text.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        guard let date = parseTime(text, form: form) else {
            let value = text.prefix(80)
            if parseTime(text, form: form, anyYear: true) != nil {
                problems.append(
                    FieldProblem(
                        field,
                        .l(
                            "\"\(value)\" is not between 1970 and 9999: check the year",
                            "\"\(value)\" ei ole vuosien 1970 ja 9999 välillä: tarkista vuosi"
                        )
                    )
                )
                return nil
            }
            let reason: LocalizedMessage =
                switch form {
                case .zoned:
                    .l(
                        "\"\(value)\" is not an ISO 8601 time such as 2026-11-25T08:00:00Z",
                        "\"\(value)\" ei ole ISO 8601 -aika, kuten 2026-11-25T08:00:00Z"
                    )
                case .utcOrZoned:
                    .l(
                        "\"\(value)\" is not a time (YYYY-MM-DDTHH:MM, UTC)",
                        "\"\(value)\" ei ole aika (VVVV-KK-PPTHH:MM, UTC)"
                    )
                }
            problems.append(FieldProblem(field, reason))
            return nil
        }
        return date
    }

    /// The times an incident's fields take: 1970-01-01 to 9999-12-31 (UTC). Before 1582 the parser's calendar
    /// (Julian) and the console's display (proleptic Gregorian) would disagree by days, so a mistyped year would
    /// move on every save; no incident happened before computers kept logs.
    public static let timeRange = Date(timeIntervalSince1970: 0)...Date(timeIntervalSince1970: 253_402_300_799)

    /// Parses a time written in `form`; nil when it is not one, or (unless `anyYear`) outside `timeRange`.
    public static func parseTime(_ text: String, form: TimeForm, anyYear: Bool = false) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.count <= 40 else { return nil }
        func bounded(_ date: Date?) -> Date? {
            guard let date else { return nil }
            return anyYear || timeRange.contains(date) ? date : nil
        }
        if let date = zoned(trimmed) { return bounded(date) }
        guard form == .utcOrZoned else { return nil }
        for format in ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm"] {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "UTC")
            formatter.dateFormat = format
            // Only what formats back the same: Foundation reads "12000-01-01" as the year 2000.
            if let date = formatter.date(from: trimmed), formatter.string(from: date) == trimmed {
                return bounded(date)
            }
        }
        return bounded(UTCDay.parse(trimmed))
    }

    private static func zoned(_ text: String) -> Date? {
        let plain = ISO8601DateFormatter()
        if let date = plain.date(from: text) { return date }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: text)
    }
}
