/// The one place that decides which role may do what. Routes, the API and the command line all ask here.
public enum AccessPolicy {
    private static let grants: [Role: Set<Permission>] = [
        .admin: Set(Permission.allCases),
        .responder: [
            .consoleView, .ownAccount, .usersView, .dataMapView, .customerPII, .dataImport,
            .incidentView, .incidentContribute, .incidentManage, .planManage,
        ],
        // Communicators write to customers and agents answer them: both need to see who they are.
        // Communicators also record the notices they send and tick off their tasks.
        .communicator: [.consoleView, .ownAccount, .dataMapView, .customerPII, .incidentView, .incidentContribute],
        .agent: [.consoleView, .ownAccount, .dataMapView, .customerPII, .incidentView],
        // Viewers see counts only.
        .viewer: [.consoleView, .ownAccount, .dataMapView, .incidentView],
    ]

    /// Whether `role` holds `permission`.
    public static func allows(_ role: Role, _ permission: Permission) -> Bool {
        grants[role]?.contains(permission) ?? false
    }

    /// Everything `role` may do.
    public static func permissions(of role: Role) -> Set<Permission> {
        grants[role] ?? []
    }
}
