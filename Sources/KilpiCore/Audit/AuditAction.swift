/// What an audit entry records, as a dotted verb (`incident.declare`). A type rather than string literals at each
/// call site, so a typo is a compile error and every action Kilpi writes is listed here.
public struct AuditAction: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
}

extension AuditAction {
    // Incidents
    public static let incidentDeclare = AuditAction(rawValue: "incident.declare")
    public static let incidentUpdate = AuditAction(rawValue: "incident.update")
    public static let incidentStatus = AuditAction(rawValue: "incident.status")
    public static let incidentRole = AuditAction(rawValue: "incident.role")
    public static let incidentTimeline = AuditAction(rawValue: "incident.timeline")
    public static let incidentTask = AuditAction(rawValue: "incident.task")
    public static let incidentLessons = AuditAction(rawValue: "incident.lessons")
    public static let impactUpdate = AuditAction(rawValue: "impact.update")
    public static let scopeCreate = AuditAction(rawValue: "scope.create")
    // Response plan
    public static let planUpdate = AuditAction(rawValue: "plan.update")
    public static let playbookUpdate = AuditAction(rawValue: "playbook.update")
    // Data map
    /// `import.systems`, `import.customers`, `import.holdings`.
    public static func dataImport(_ kind: String) -> AuditAction { AuditAction(rawValue: "import.\(kind)") }
    public static let categoryUpdate = AuditAction(rawValue: "category.update")
}

extension AuditEvent {
    /// An event from typed parts.
    public init(_ actor: Actor, _ action: AuditAction, target: String = "", ip: String = "", detail: String = "") {
        self.init(actor: actor.description, action: action.rawValue, target: target, ip: ip, detail: detail)
    }
}
