import KilpiCore

/// The public trust center's routes (issue 12). All public: no account, no token.
extension Routes {
    public static let verifyNotice = Route(
        .get,
        NoticeCompany.verifyPath,
        .publicAccess,
        "Is this message from us? Type a notice's reference code"
    )
    public static let verifyNoticeCheck = Route(
        .post,
        NoticeCompany.verifyPath,
        .publicAccess,
        "Check a notice's reference code (rate-limited)"
    )
    public static let publicVerifyAPI = Route(
        .get,
        "/api/public/v1/notices/verify",
        .publicAccess,
        "Whether a reference code is a genuine notice of ours: {\"genuine\": true|false} (rate-limited)"
    )
    public static let securityTxt = Route(
        .get,
        "/.well-known/security.txt",
        .publicAccess,
        "Security contact (RFC 9116), from the server's settings"
    )

    public static let trustCenter: [Route] = [verifyNotice, verifyNoticeCheck, publicVerifyAPI, securityTxt]
}
