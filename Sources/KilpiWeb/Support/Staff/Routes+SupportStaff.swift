import KilpiCore

/// The staff side of the support channel: the inbox, threads, FAQ and canned answers, and the inquiries API.
/// Reading needs `supportView`, answering (reply, note, status, assign) `supportAnswer`, the FAQ `supportManage`.
extension Routes {
    public static let supportInbox = Route(
        .get,
        "/console/support",
        .console(.supportView),
        "Support inbox: inquiries by incident, status and assignee, with response-time targets"
    )
    public static let supportMetrics = Route(
        .get,
        "/console/support-metrics",
        .console(.supportView),
        "Support metrics: first-response times, share within target, open backlog"
    )
    public static let supportInquiry = Route(
        .get,
        "/console/support/:id",
        .console(.supportView),
        "An inquiry's thread, with the customer's exposure for a role that sees customers"
    )
    public static let supportReply = Route(
        .post,
        "/console/support/:id/reply",
        .console(.supportAnswer),
        "Reply to the customer (emailed)"
    )
    public static let supportNote = Route(
        .post,
        "/console/support/:id/note",
        .console(.supportAnswer),
        "Add an internal note"
    )
    public static let supportStatus = Route(
        .post,
        "/console/support/:id/status",
        .console(.supportAnswer),
        "Change an inquiry's status"
    )
    public static let supportAssign = Route(
        .post,
        "/console/support/:id/assign",
        .console(.supportAnswer),
        "Assign an inquiry"
    )
    public static let supportNoticeRevoke = Route(
        .post,
        "/console/support/:id/revoke-notice",
        .console(.supportManage),
        "Close the page of the notice an inquiry came from: revoke its links and its reference code"
    )
    public static let campaignLinksRevoke = Route(
        .post,
        "/console/campaigns/:id/revoke-links",
        .console(.supportManage),
        "Revoke every personal support link and reference code of a campaign"
    )
    public static let supportAnswers = Route(
        .get,
        "/console/incidents/:id/support-answers",
        .console(.supportView),
        "An incident's FAQ and canned answers"
    )
    public static let supportAnswerCreate = Route(
        .post,
        "/console/incidents/:id/support-answers",
        .console(.supportManage),
        "Add an FAQ or canned answer"
    )
    public static let supportAnswerUpdate = Route(
        .post,
        "/console/support-answers/:id",
        .console(.supportManage),
        "Change an FAQ or canned answer"
    )
    public static let supportAnswerDelete = Route(
        .post,
        "/console/support-answers/:id/delete",
        .console(.supportManage),
        "Delete an FAQ or canned answer"
    )

    public static let apiInquiries = Route(
        .get,
        "/api/v1/inquiries",
        .api(.supportView),
        "Inquiries, newest first, with their response-time targets"
    )
    public static let apiInquiry = Route(
        .get,
        "/api/v1/inquiries/:id",
        .api(.supportView),
        "An inquiry with its thread (notes included); audited"
    )
    public static let apiInquiryReply = Route(
        .post,
        "/api/v1/inquiries/:id/replies",
        .api(.supportAnswer),
        "Reply to the customer (emailed)"
    )
    public static let apiInquiryUpdate = Route(
        .patch,
        "/api/v1/inquiries/:id",
        .api(.supportAnswer),
        "Change an inquiry's status or assignee"
    )

    public static let supportStaff: [Route] = [
        supportInbox, supportMetrics, supportInquiry, supportReply, supportNote, supportStatus, supportAssign,
        supportNoticeRevoke, campaignLinksRevoke,
        supportAnswers, supportAnswerCreate, supportAnswerUpdate, supportAnswerDelete,
        apiInquiries, apiInquiry, apiInquiryReply, apiInquiryUpdate,
    ]
}
