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

extension AuditAction {
    // Own account
    public static let accountPasswordChangeRefused = AuditAction(rawValue: "account.password_change_refused")
    public static let accountPasswordChanged = AuditAction(rawValue: "account.password_changed")
    public static let accountRecoveryCodesRefused = AuditAction(rawValue: "account.recovery_codes_refused")
    public static let accountRecoveryCodesRegenerated = AuditAction(rawValue: "account.recovery_codes_regenerated")
    public static let accountSecondFactorChangeRefused = AuditAction(rawValue: "account.second_factor_change_refused")
    public static let accountSecondFactorEnabled = AuditAction(rawValue: "account.second_factor_enabled")
    public static let accountSecondFactorReplaced = AuditAction(rawValue: "account.second_factor_replaced")
    public static let accountTotpSecretsSealed = AuditAction(rawValue: "account.totp_secrets_sealed")

    // Audit log
    public static let auditChainKeyed = AuditAction(rawValue: "audit.chain_keyed")
    public static let auditKeyAdded = AuditAction(rawValue: "audit.key_added")

    // Customers (data subject rights and look-ups)
    public static let customerErase = AuditAction(rawValue: "customer.erase")
    public static let customerExport = AuditAction(rawValue: "customer.export")
    public static let customerSearch = AuditAction(rawValue: "customer.search")
    public static let customerView = AuditAction(rawValue: "customer.view")

    // Demo data
    public static let demoSeed = AuditAction(rawValue: "demo.seed")
    public static let demoSeedDataMap = AuditAction(rawValue: "demo.seed_data_map")

    // Exposure (who was affected)
    public static let exposureExport = AuditAction(rawValue: "exposure.export")
    public static let exposureView = AuditAction(rawValue: "exposure.view")

    // Vault keys
    public static let keysRetire = AuditAction(rawValue: "keys.retire")
    public static let keysRotate = AuditAction(rawValue: "keys.rotate")

    // Customer notices (issue 10)
    public static let noticeTemplateSave = AuditAction(rawValue: "notice.template_save")
    public static let noticeTemplateApprove = AuditAction(rawValue: "notice.template_approve")
    public static let noticeTemplatesInstall = AuditAction(rawValue: "notice.templates_install")
    public static let noticeCampaignCreate = AuditAction(rawValue: "notice.campaign_create")
    /// `notice.campaign_start`, `_pause`, `_resume`, `_cancel`, `_complete` (by `system`), `_auto_pause`.
    public static func noticeCampaign(_ move: String) -> AuditAction {
        AuditAction(rawValue: "notice.campaign_\(move)")
    }
    public static let noticeCampaignRetry = AuditAction(rawValue: "notice.campaign_retry")
    /// A preview of a notice as one customer would get it: a view of that customer's data.
    public static let noticePreview = AuditAction(rawValue: "notice.preview")

    // Refused requests
    public static let securityCsrfRejected = AuditAction(rawValue: "security.csrf_rejected")

    // Signing in and out
    public static let sessionLogin = AuditAction(rawValue: "session.login")
    public static let sessionLoginFailed = AuditAction(rawValue: "session.login_failed")
    public static let sessionLoginThrottled = AuditAction(rawValue: "session.login_throttled")
    public static let sessionLogout = AuditAction(rawValue: "session.logout")
    public static let sessionLogoutEverywhere = AuditAction(rawValue: "session.logout_everywhere")
    public static let sessionSecondFactorFailed = AuditAction(rawValue: "session.second_factor_failed")

    // First-admin setup
    public static let setupFirstAdmin = AuditAction(rawValue: "setup.first_admin")
    public static let setupLinkIssued = AuditAction(rawValue: "setup.link_issued")

    // API tokens
    public static let tokenCreate = AuditAction(rawValue: "token.create")
    public static let tokenRevoke = AuditAction(rawValue: "token.revoke")

    // Staff accounts
    public static let userCreate = AuditAction(rawValue: "user.create")
    public static let userDisable = AuditAction(rawValue: "user.disable")
    public static let userEnable = AuditAction(rawValue: "user.enable")
    public static let userEnrolled = AuditAction(rawValue: "user.enrolled")
    public static let userEnrolmentReissued = AuditAction(rawValue: "user.enrolment_reissued")
    public static let userList = AuditAction(rawValue: "user.list")
    public static let userRoleChanged = AuditAction(rawValue: "user.role_changed")
}

extension AuditEvent {
    /// An event from typed parts (the actor too).
    public init(_ actor: Actor, _ action: AuditAction, target: String = "", ip: String = "", detail: String = "") {
        self.init(actor: actor.description, action: action, target: target, ip: ip, detail: detail)
    }
}
