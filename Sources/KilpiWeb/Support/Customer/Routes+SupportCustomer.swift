import KilpiCore

/// The customers' side of the support channel: their personal page, the way in by reference code and email
/// address, questions and the public contact form. All public (the link, the code or the email is the key).
///
/// The personal link's token is in the path of the `/support/:token` routes only: that is the link the notice
/// carries. A page opened by code and address lives at `/support/notice` and is kept by a sealed cookie (see
/// `SupportCodeSession`), so neither the code nor the address ever appears in a URL.
extension Routes {
    public static let supportHome = Route(
        .get,
        "/support",
        .publicAccess,
        "Support: type the notice's reference code and your email address"
    )
    public static let supportOpen = Route(
        .post,
        "/support",
        .publicAccess,
        "Open the personal support page by reference code and email address"
    )
    public static let supportCodePage = Route(
        .get,
        "/support/notice",
        .publicAccess,
        "The personal support page opened by reference code (kept by a short-lived cookie)"
    )
    public static let supportCodeQuestion = Route(
        .post,
        "/support/notice/questions",
        .publicAccess,
        "Ask a question from the page opened by reference code"
    )
    public static let supportCodeMessage = Route(
        .post,
        "/support/notice/inquiries/:id/messages",
        .publicAccess,
        "Write again in an inquiry from the page opened by reference code"
    )
    public static let supportCodeLeave = Route(
        .post,
        "/support/notice/leave",
        .publicAccess,
        "Close the page opened by reference code on this device"
    )
    public static let supportContact = Route(
        .get,
        "/support/contact",
        .publicAccess,
        "Contact form for people without a link or code"
    )
    public static let supportContactStart = Route(
        .post,
        "/support/contact",
        .publicAccess,
        "Contact form: email a one-time code to the address"
    )
    public static let supportContactVerify = Route(
        .post,
        "/support/contact/verify",
        .publicAccess,
        "Contact form: the emailed code and the question"
    )
    public static let supportPage = Route(
        .get,
        "/support/:token",
        .publicAccess,
        "A customer's personal support page (the notice's link)"
    )
    public static let supportQuestion = Route(
        .post,
        "/support/:token/questions",
        .publicAccess,
        "Ask a question from the personal page"
    )
    public static let supportMessage = Route(
        .post,
        "/support/:token/inquiries/:id/messages",
        .publicAccess,
        "Write again in one's own inquiry"
    )

    public static let supportCustomer: [Route] = [
        supportHome, supportOpen, supportCodePage, supportCodeQuestion, supportCodeMessage, supportCodeLeave,
        supportContact, supportContactStart, supportContactVerify, supportPage, supportQuestion, supportMessage,
    ]
}
