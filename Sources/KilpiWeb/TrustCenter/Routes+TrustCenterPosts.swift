import KilpiCore

/// The trust center's posts: public pages, Atom feeds and JSON, and the console where communicators write them
/// and a second person approves them.
extension Routes {
    public static let publicUpdates = Route(.get, "/updates", .publicAccess, "Updates, newest first")
    public static let publicUpdate = Route(.get, "/updates/:id", .publicAccess, "One public post, with its history")
    public static let publicAdvisories = Route(.get, "/advisories", .publicAccess, "Security advisories")
    public static let publicIncident = Route(
        .get,
        "/incidents/:id",
        .publicAccess,
        "An incident's public page: its status and its updates"
    )
    public static let publicGuides = Route(.get, "/guides", .publicAccess, "Guides to recognising attacks")
    public static let publicGuide = Route(.get, "/guides/:id", .publicAccess, "One guide")
    public static let feedUpdates = Route(.get, "/feeds/updates.atom", .publicAccess, "Atom feed of all updates")
    public static let feedAdvisories = Route(
        .get,
        "/feeds/advisories.atom",
        .publicAccess,
        "Atom feed of security advisories"
    )
    public static let feedIncident = Route(
        .get,
        "/feeds/incidents/:id",
        .publicAccess,
        "Atom feed of one incident's updates"
    )
    public static let publicUpdatesAPI = Route(
        .get,
        "/api/public/v1/updates",
        .publicAccess,
        "The public updates as JSON"
    )
    public static let publicAdvisoriesAPI = Route(
        .get,
        "/api/public/v1/advisories",
        .publicAccess,
        "The public advisories as JSON"
    )

    // Console
    public static let posts = Route(.get, "/console/trust/posts", .console(.incidentView), "Trust-center posts")
    public static let postCreate = Route(
        .post,
        "/console/trust/posts",
        .console(.updatesPublish),
        "Write a draft post"
    )
    public static let post = Route(.get, "/console/trust/posts/:id", .console(.incidentView), "One post")
    public static let postEdit = Route(
        .post,
        "/console/trust/posts/:id",
        .console(.updatesPublish),
        "Change a draft post"
    )
    public static let postPublish = Route(
        .post,
        "/console/trust/posts/:id/publish",
        .console(.updatesPublish),
        "Approve someone else's draft post (four eyes)"
    )
    public static let postCorrect = Route(
        .post,
        "/console/trust/posts/:id/correct",
        .console(.updatesPublish),
        "Propose a correction of a published post"
    )
    public static let postCorrectionApprove = Route(
        .post,
        "/console/trust/posts/:id/correction",
        .console(.updatesPublish),
        "Approve someone else's correction (four eyes)"
    )
    public static let postWithdraw = Route(
        .post,
        "/console/trust/posts/:id/withdraw",
        .console(.updatesPublish),
        "Withdraw a post or discard a draft"
    )

    public static let trustCenterPosts: [Route] = [
        publicUpdates, publicUpdate, publicAdvisories, publicIncident, publicGuides, publicGuide, feedUpdates,
        feedAdvisories, feedIncident, publicUpdatesAPI, publicAdvisoriesAPI, posts, postCreate, post, postEdit,
        postPublish, postCorrect, postCorrectionApprove, postWithdraw,
    ]
}
