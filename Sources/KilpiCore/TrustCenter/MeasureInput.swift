import Foundation

/// A security measure as typed in the console, checked field by field: an area and a status from their lists,
/// a language, a single-line title and a summary within limits, real days, findings where closed ≤ total, and
/// ids that are numbers (the store checks they exist). Whether the public sees it is not part of it: only a
/// trust-center keeper changes that, on its own form.
public struct MeasureInput: Sendable, Equatable {
    public var area: SecurityMeasure.Area
    public var language: Language
    public var title: String
    public var summary: String
    public var status: SecurityMeasure.Status
    public var ownerID: Int64?
    public var dueOn: Date?
    public var lastReviewedOn: Date?
    public var performedOn: Date?
    public var findings: SecurityMeasure.Findings?
    public var evidence: String
    public var incidentID: Int64?
    public var taskID: Int64?

    public init(
        area: SecurityMeasure.Area,
        language: Language,
        title: String,
        summary: String,
        status: SecurityMeasure.Status,
        ownerID: Int64? = nil,
        dueOn: Date? = nil,
        lastReviewedOn: Date? = nil,
        performedOn: Date? = nil,
        findings: SecurityMeasure.Findings? = nil,
        evidence: String = "",
        incidentID: Int64? = nil,
        taskID: Int64? = nil
    ) {
        self.area = area
        self.language = language
        self.title = title
        self.summary = summary
        self.status = status
        self.ownerID = ownerID
        self.dueOn = dueOn
        self.lastReviewedOn = lastReviewedOn
        self.performedOn = performedOn
        self.findings = findings
        self.evidence = evidence
        self.incidentID = incidentID
        self.taskID = taskID
    }

    public static let titleLimit = 200
    public static let summaryLimit = 2_000
    public static let evidenceLimit = 1_000
    public static let findingsLimit = 100_000

    /// The form's field names, in the order the form shows them.
    public static let fieldNames = [
        "area", "language", "title", "summary", "status", "owner", "due_on", "last_reviewed_on", "performed_on",
        "findings_total", "findings_closed", "evidence", "incident", "task",
    ]

    /// The input cleaned, or every problem with it (keyed by the names in `fieldNames`).
    public static func checked(_ fields: [String: String]) -> (input: MeasureInput?, problems: [FieldProblem]) {
        var form = FormFields(fields)
        let area = form.choice("area", SecurityMeasure.Area.self)
        let language = form.choice("language", Language.self)
        let status = form.choice("status", SecurityMeasure.Status.self)
        for name in ["area", "language", "status"] where form.value(name) == nil { form.required(name) }
        let title = form.line("title", limit: titleLimit)
        if form.value("title") == nil { form.required("title") }
        let summary = form.text("summary", limit: summaryLimit)
        if form.value("summary") == nil {
            form.problem(
                "summary",
                .l(
                    "say what it does for the customers: the public reads it",
                    "kerro, mitä se tekee asiakkaille: yleisö lukee sen"
                )
            )
        }
        let owner = form.number("owner")
        let due = form.day("due_on")
        let reviewed = form.day("last_reviewed_on")
        let performed = form.day("performed_on")
        let total = form.count("findings_total", in: 0...findingsLimit)
        let closed = form.count("findings_closed", in: 0...findingsLimit)
        var findings: SecurityMeasure.Findings?
        switch (total, closed) {
        case (let total?, let closed?):
            if closed > total {
                form.problem(
                    "findings_closed",
                    .l("more findings closed than found", "suljettuja havaintoja on enemmän kuin havaintoja")
                )
            }
            findings = SecurityMeasure.Findings(total: total, closed: closed)
        case (_?, nil) where form.value("findings_closed") == nil:
            form.problem("findings_closed", .l("say how many are closed", "kerro, montako on suljettu"))
        case (nil, _?) where form.value("findings_total") == nil:
            form.problem("findings_total", .l("say how many were found", "kerro, montako havaittiin"))
        default:
            break
        }
        let evidence = form.text("evidence", limit: evidenceLimit) ?? ""
        let incident = form.number("incident")
        let task = form.number("task")
        if task != nil, incident == nil, form.value("incident") == nil {
            form.problem(
                "incident",
                .l("a task belongs to an incident: name it", "tehtävä kuuluu tapaukseen: nimeä se")
            )
        }
        if status == .inPlace, reviewed == nil, form.value("last_reviewed_on") == nil {
            form.problem(
                "last_reviewed_on",
                .l(
                    "a measure in place says when it was last reviewed",
                    "käytössä olevasta toimesta kerrotaan, milloin se viimeksi tarkistettiin"
                )
            )
        }
        guard form.problems.isEmpty, let area, let language, let status, let title, let summary else {
            return (nil, form.problems)
        }
        return (
            MeasureInput(
                area: area,
                language: language,
                title: title,
                summary: summary,
                status: status,
                ownerID: owner,
                dueOn: due,
                lastReviewedOn: reviewed,
                performedOn: performed,
                findings: findings,
                evidence: evidence,
                incidentID: incident,
                taskID: task
            ),
            []
        )
    }
}
