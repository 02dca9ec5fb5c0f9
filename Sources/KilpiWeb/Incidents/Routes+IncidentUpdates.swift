import KilpiCore

/// An incident's updates for its customers (shown on their support pages): written by one person, published by
/// another.
extension Routes {
    public static let incidentUpdates = Route(
        .get,
        "/console/incidents/:id/updates",
        .console(.incidentView),
        "An incident's updates for customers"
    )
    public static let incidentUpdateCreate = Route(
        .post,
        "/console/incidents/:id/updates",
        .console(.updatesPublish),
        "Write a draft update for customers"
    )
    public static let updatePublish = Route(
        .post,
        "/console/updates/:id/publish",
        .console(.updatesPublish),
        "Publish someone else's draft update (four eyes)"
    )
    public static let updateWithdraw = Route(
        .post,
        "/console/updates/:id/withdraw",
        .console(.updatesPublish),
        "Withdraw an update or discard a draft"
    )

    public static let incidentUpdateRoutes: [Route] = [
        incidentUpdates, incidentUpdateCreate, updatePublish, updateWithdraw,
    ]
}
