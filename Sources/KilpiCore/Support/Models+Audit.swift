extension AuditAction {
    // Customer support (issue 11). Details name ids, counts and states, never a customer's text or address.
    public static let supportLinkIssue = AuditAction(rawValue: "support.link_issue")
    public static let supportLinkRevoke = AuditAction(rawValue: "support.link_revoke")
    public static let supportCampaignLinksRevoke = AuditAction(rawValue: "support.campaign_links_revoke")
    /// The first time a customer opened their notice's page (later openings are only counted).
    public static let supportNoticeOpened = AuditAction(rawValue: "support.notice_opened")
    public static let supportInquiryCreate = AuditAction(rawValue: "support.inquiry_create")
    public static let supportCustomerMessage = AuditAction(rawValue: "support.customer_message")
    public static let supportReply = AuditAction(rawValue: "support.reply")
    public static let supportNote = AuditAction(rawValue: "support.note")
    public static let supportStatus = AuditAction(rawValue: "support.status")
    public static let supportAssign = AuditAction(rawValue: "support.assign")
    /// A staff member read a thread: customers write personal data into it.
    public static let supportInquiryView = AuditAction(rawValue: "support.inquiry_view")
    public static let supportVerificationStart = AuditAction(rawValue: "support.verification_start")
    public static let supportVerificationFailed = AuditAction(rawValue: "support.verification_failed")
}
