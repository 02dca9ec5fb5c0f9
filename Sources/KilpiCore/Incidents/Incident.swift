import Foundation

/// The moments an incident's metrics and legal clocks are measured from.
public struct KeyTimes: Sendable, Equatable, Codable {
    /// When the attack began (often learnt later, from logs).
    public var occurredAt: Date?
    /// When something first noticed it (a detector, a customer, an employee).
    public var detectedAt: Date?
    /// When the company became aware that personal data was affected: GDPR Art. 33's 72 hours start here.
    public var awareAt: Date?
    public var containedAt: Date?
    public var resolvedAt: Date?

    public init(
        occurredAt: Date? = nil,
        detectedAt: Date? = nil,
        awareAt: Date? = nil,
        containedAt: Date? = nil,
        resolvedAt: Date? = nil
    ) {
        self.occurredAt = occurredAt
        self.detectedAt = detectedAt
        self.awareAt = awareAt
        self.containedAt = containedAt
        self.resolvedAt = resolvedAt
    }

    /// Each named field with its value, in the order of an incident's life.
    public var fields: [(name: String, value: Date?)] {
        [
            ("occurred_at", occurredAt), ("detected_at", detectedAt), ("aware_at", awareAt),
            ("contained_at", containedAt), ("resolved_at", resolvedAt),
        ]
    }

    /// Problems with the order of the times, each naming its field.
    public func problems() -> [FieldProblem] {
        var problems: [FieldProblem] = []
        func check(_ later: Date?, _ laterName: String, after earlier: Date?, _ earlierName: String) {
            if let later, let earlier, later < earlier {
                problems.append(
                    FieldProblem(
                        laterName,
                        .l("must not be before \(earlierName)", "ei voi olla ennen kenttää \(earlierName)")
                    )
                )
            }
        }
        check(detectedAt, "detected_at", after: occurredAt, "occurred_at")
        check(awareAt, "aware_at", after: detectedAt, "detected_at")
        check(containedAt, "contained_at", after: occurredAt, "occurred_at")
        check(resolvedAt, "resolved_at", after: containedAt, "contained_at")
        return problems
    }
}

/// A bad value in a form or API body, named by its field so the caller can point at it.
///
/// The reason is a `LocalizedMessage`, so a form can say it in the reader's language (`reason(in:)`); `reason` is
/// the English, for logs and callers that have no reader. In JSON a problem is `{"field": …, "reason": English}`.
public struct FieldProblem: Sendable, Equatable, Codable, CustomStringConvertible, Error {
    public let field: String
    public let message: LocalizedMessage

    /// A problem with its reason in English and Finnish, as `.l("must be zero or more", "oltava nolla tai enemmän")`.
    public init(_ field: String, _ message: LocalizedMessage) {
        self.field = field
        self.message = message
    }

    /// A problem whose reason exists in English only (it is shown in English to every reader).
    public init(_ field: String, _ reason: String) { self.init(field, .english(reason)) }

    /// The reason in English.
    public var reason: String { message.en }
    /// The reason for a reader of `language`.
    public func reason(in language: Language) -> String { message.text(language) }

    /// `field: reason`, in English.
    public var description: String { "\(field): \(reason)" }
    /// `field: reason` for a reader of `language`: the field keeps its form name, so it can be found on the page.
    public func description(in language: Language) -> String { "\(field): \(reason(in: language))" }

    private enum CodingKeys: String, CodingKey { case field, reason }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(try container.decode(String.self, forKey: .field), try container.decode(String.self, forKey: .reason))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(field, forKey: .field)
        try container.encode(reason, forKey: .reason)
    }
}

/// One or more field problems; nothing was saved.
public struct ValidationFailed: Error, Sendable, CustomStringConvertible {
    public let problems: [FieldProblem]
    public init(_ problems: [FieldProblem]) { self.problems = problems }
    public var description: String { problems.map(\.description).joined(separator: "; ") }
}

/// An incident as the response team sees it.
public struct Incident: Sendable, Equatable, Identifiable, Codable {
    public let id: Int64
    public var title: String
    public var summary: String
    public var kinds: [ThreatKind]
    public var severity: Severity
    public var status: IncidentStatus
    public var times: KeyTimes
    /// Staff user id per role; the commander is always set.
    public var roles: [IncidentRole: Int64]
    public var declaredAt: Date
    public var declaredBy: String
    /// The post-incident review's lessons learnt (free text, written after recovery).
    public var lessons: String

    public init(
        id: Int64,
        title: String,
        summary: String,
        kinds: [ThreatKind],
        severity: Severity,
        status: IncidentStatus,
        times: KeyTimes,
        roles: [IncidentRole: Int64],
        declaredAt: Date,
        declaredBy: String,
        lessons: String = ""
    ) {
        self.id = id
        self.title = title
        self.summary = summary
        self.kinds = kinds
        self.severity = severity
        self.status = status
        self.times = times
        self.roles = roles
        self.declaredAt = declaredAt
        self.declaredBy = declaredBy
        self.lessons = lessons
    }

    /// Human reference used in the console, mail subjects and exports: `INC-7`.
    public var reference: String { "INC-\(id)" }
}

/// What a responder submits to declare an incident or change one; ``validate()`` names every bad field.
public struct IncidentDraft: Sendable, Equatable, Codable {
    public var title: String
    public var summary: String
    public var kinds: [ThreatKind]
    public var severity: Severity
    public var times: KeyTimes

    public static let maximumTitle = 200
    public static let maximumSummary = 10_000

    public init(
        title: String,
        summary: String = "",
        kinds: [ThreatKind],
        severity: Severity,
        times: KeyTimes = KeyTimes()
    ) {
        self.title = title
        self.summary = summary
        self.kinds = kinds
        self.severity = severity
        self.times = times
    }

    public func validate() throws(ValidationFailed) {
        var problems: [FieldProblem] = []
        let title = title.trimmingCharacters(in: .whitespacesAndNewlines)
        if title.isEmpty || title.count > Self.maximumTitle {
            let maximum = Self.maximumTitle
            problems.append(
                FieldProblem("title", .l("enter 1 to \(maximum) characters", "kirjoita 1–\(maximum) merkkiä"))
            )
        }
        if summary.count > Self.maximumSummary {
            let maximum = Self.maximumSummary
            problems.append(FieldProblem("summary", .l("at most \(maximum) characters", "enintään \(maximum) merkkiä")))
        }
        if kinds.isEmpty {
            problems.append(
                FieldProblem("kinds", .l("choose at least one threat kind", "valitse vähintään yksi uhkatyyppi"))
            )
        }
        problems += times.problems()
        if !problems.isEmpty { throw ValidationFailed(problems) }
    }
}
