/// Every repository over one database: what the web app and the command line are handed.
public struct Store: Sendable {
    public let database: Database
    public let users: any StaffUserRepository
    /// Sign-in attempt slots per source and per account (see `SignInLimits`).
    public let loginThrottle: LoginThrottleRepository
    public let links: any OneTimeLinkRepository
    public let recoveryCodes: any RecoveryCodeRepository
    public let sessions: any SessionRepository
    public let tokens: any APITokenRepository
    public let audit: any AuditLog
    /// Seals and indexes personal data; every customer read and write goes through it.
    public let vault: Vault
    public let customers: CustomerRepository
    public let dataMap: DataMapRepository
    public let incidents: IncidentRepository
    public let playbooks: PlaybookRepository
    public let scopes: ScopeRepository
    /// Customer notices: templates, campaigns and the outbox the delivery workers drain.
    public let noticeTemplates: NoticeTemplateRepository
    public let campaigns: NoticeCampaignRepository
    public let outbox: NoticeOutboxRepository
    /// Customer support (issue 11): personal links and their openings, and inquiries with their threads.
    public let supportLinks: SupportLinkRepository
    public let inquiries: InquiryRepository
    /// The FAQ and canned answers per incident and language.
    public let supportAnswers: SupportAnswerRepository
    /// Staff replies and contact-form codes waiting for the support mail worker, and their delivery states.
    public let supportMail: SupportMailRepository
    /// Public posts: the trust center's updates, advisories, public communications and edited guides.
    public let posts: PublicPostRepository
    /// The trust center's certificates register.
    public let certificates: CertificateRepository
    /// The trust center's security measures register.
    public let measures: MeasureRepository

    public init(database: Database, vault: Vault) {
        self.database = database
        self.vault = vault
        self.customers = CustomerRepository(database: database, vault: vault)
        self.dataMap = DataMapRepository(database: database)
        self.incidents = IncidentRepository(database: database)
        self.playbooks = PlaybookRepository(database: database)
        self.scopes = ScopeRepository(database: database, customers: customers)
        self.users = SQLStaffUserRepository(database: database, vault: vault)
        self.loginThrottle = LoginThrottleRepository(database: database)
        self.links = SQLOneTimeLinkRepository(database: database)
        self.recoveryCodes = SQLRecoveryCodeRepository(database: database)
        self.sessions = SQLSessionRepository(database: database)
        self.tokens = SQLAPITokenRepository(database: database)
        self.audit = SQLAuditLog(database: database, key: vault.ring.audit)
        self.noticeTemplates = NoticeTemplateRepository(database: database)
        self.campaigns = NoticeCampaignRepository(database: database, audit: audit)
        self.outbox = NoticeOutboxRepository(database: database, vault: vault, audit: audit)
        self.supportLinks = SupportLinkRepository(database: database, vault: vault, audit: audit)
        self.inquiries = InquiryRepository(database: database, vault: vault)
        self.supportAnswers = SupportAnswerRepository(database: database, audit: audit)
        self.supportMail = SupportMailRepository(database: database, vault: vault, audit: audit)
        self.posts = PublicPostRepository(database: database, audit: audit)
        self.certificates = CertificateRepository(database: database, audit: audit)
        self.measures = MeasureRepository(database: database, audit: audit)
    }
}
