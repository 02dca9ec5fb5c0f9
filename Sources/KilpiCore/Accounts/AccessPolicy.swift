/// The one place that decides which role may do what. Routes, the API and the command line all ask here.
public enum AccessPolicy {
    private static let grants: [Role: Set<Permission>] = [
        .admin: Set(Permission.allCases),
        .responder: [.consoleView, .ownAccount, .usersView],
        .communicator: [.consoleView, .ownAccount],
        .agent: [.consoleView, .ownAccount],
        .viewer: [.consoleView, .ownAccount],
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
