/// The one place that decides which role may do what. Routes, the API and the command line all ask here.
public enum AccessPolicy {
    private static let grants: [Role: Set<Permission>] = [
        .admin: Set(Permission.allCases),
        .responder: [
            .consoleView, .ownAccount, .usersView, .dataMapView, .customerPII, .exposureExport, .dataImport,
            .incidentView, .incidentContribute, .incidentManage, .planManage, .metricsView, .noticesView, .supportView,
        ],
        // Communicators write to customers and agents answer them: both need to see who they are.
        // Communicators also record the notices they send and tick off their tasks. They may download the list of
        // affected customers because it is their mailing list: until Kilpi sends the notices itself, the notice
        // goes out from the mailing tool that list is loaded into. Revisit when Kilpi delivers notices.
        // They write, approve (someone else's version: four eyes) and send Kilpi's own notices.
        .communicator: [
            .consoleView, .ownAccount, .dataMapView, .customerPII, .exposureExport, .incidentView, .incidentContribute,
            .metricsView, .noticesView, .noticesEdit, .noticesApprove, .noticesSend, .supportView, .supportAnswer,
            .supportManage, .updatesPublish, .trustCenterManage,
        ],
        // Agents answer one customer at a time: they look customers up, they do not download everyone.
        // They answer inquiries; the FAQ, canned answers and links are the communicators' (what the company says).
        .agent: [
            .consoleView, .ownAccount, .dataMapView, .customerPII, .incidentView, .metricsView, .noticesView,
            .supportView, .supportAnswer,
        ],
        // Viewers see counts only. Every role holds `metricsView` (request counts and latencies per route carry no
        // personal data), so a remote scraper needs no more than a viewer's token.
        .viewer: [.consoleView, .ownAccount, .dataMapView, .incidentView, .metricsView, .noticesView],
    ]

    /// Whether `role` holds `permission`.
    public static func allows(_ role: Role, _ permission: Permission) -> Bool {
        grants[role]?.contains(permission) ?? false
    }

    /// Whether a page or API response for `role` carries `field`. The console and the API both ask here, so a
    /// role sees the same fields in both; a field it may not see is left out (absent, not empty).
    public static func shows(_ field: PersonalField, to role: Role) -> Bool {
        allows(role, field.permission)
    }

    /// Whether `role` may do everything `other` may: a token made with `other` stays within what `role` grants.
    public static func covers(_ role: Role, _ other: Role) -> Bool {
        permissions(of: other).isSubset(of: permissions(of: role))
    }

    /// Everything `role` may do.
    public static func permissions(of role: Role) -> Set<Permission> {
        grants[role] ?? []
    }
}

/// Personal data that a page or an API response about something else (an incident, a scope) may carry, each with
/// the permission that shows it. Responses built for a role leave out every field ``AccessPolicy/shows(_:to:)``
/// refuses.
public enum PersonalField: String, Sendable, CaseIterable {
    /// Customers' external ids, e.g. the sample of customers a new scope version added.
    case customerIDs

    /// The permission a role needs to see the field.
    public var permission: Permission {
        switch self {
        case .customerIDs: .customerPII
        }
    }
}
