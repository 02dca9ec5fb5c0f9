/// A staff member's role. Each role gets the least it needs; ``AccessPolicy`` says what that is.
public enum Role: String, Sendable, CaseIterable, Codable, Comparable {
    /// Runs Kilpi: users, tokens, audit log, configuration. Must use a second factor.
    case admin
    /// Runs incidents: records, playbooks, scope.
    case responder
    /// Writes notices and public posts.
    case communicator
    /// Answers customers on the support channel.
    case agent
    /// Reads dashboards; sees no personal data.
    case viewer

    public static func < (lhs: Role, rhs: Role) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// Admins hold the keys to everything, so a password alone is never enough for them.
    public var requiresSecondFactor: Bool { self == .admin }
}
