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

    public static let publicCertificates = Route(
        .get,
        "/certificates",
        .publicAccess,
        "The certificates the company holds, with issuer, scope and validity"
    )
    public static let publicCertificatesAPI = Route(
        .get,
        "/api/public/v1/certificates",
        .publicAccess,
        "The published certificates as JSON"
    )

    // Console: the registers behind the public pages
    public static let certificates = Route(
        .get,
        "/console/trust/certificates",
        .console(.trustCenterManage),
        "Certificates register"
    )
    public static let certificateCreate = Route(
        .post,
        "/console/trust/certificates",
        .console(.trustCenterManage),
        "Add a certificate"
    )
    public static let certificateUpdate = Route(
        .post,
        "/console/trust/certificates/:id",
        .console(.trustCenterManage),
        "Change a certificate"
    )
    public static let certificateRemove = Route(
        .post,
        "/console/trust/certificates/:id/remove",
        .console(.trustCenterManage),
        "Remove a certificate from the register and the public site"
    )

    public static let trustCenter: [Route] =
        [
            verifyNotice, verifyNoticeCheck, publicVerifyAPI, securityTxt, publicCertificates, publicCertificatesAPI,
            certificates, certificateCreate, certificateUpdate, certificateRemove,
        ] + trustCenterPosts + trustCenterMeasures
}
