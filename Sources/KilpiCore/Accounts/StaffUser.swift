import Foundation

/// A person who works in Kilpi's console.
public struct StaffUser: Sendable, Equatable, Identifiable {
    public enum Status: String, Sendable, Codable, CaseIterable {
        /// Created; waiting for the person to open the enrolment link and set a password.
        case pending
        case active
        case disabled
    }

    public let id: Int64
    public var email: String
    public var displayName: String
    public var role: Role
    public var status: Status
    public var passwordHash: String?
    public var totpSecret: String?
    public var totpEnabled: Bool
    public var totpLastStep: Int64?
    public var failedLogins: Int
    public var lockedUntil: Date?
    public var lastLoginAt: Date?
    public var createdAt: Date

    public init(
        id: Int64,
        email: String,
        displayName: String,
        role: Role,
        status: Status,
        passwordHash: String? = nil,
        totpSecret: String? = nil,
        totpEnabled: Bool = false,
        totpLastStep: Int64? = nil,
        failedLogins: Int = 0,
        lockedUntil: Date? = nil,
        lastLoginAt: Date? = nil,
        createdAt: Date
    ) {
        self.id = id
        self.email = email
        self.displayName = displayName
        self.role = role
        self.status = status
        self.passwordHash = passwordHash
        self.totpSecret = totpSecret
        self.totpEnabled = totpEnabled
        self.totpLastStep = totpLastStep
        self.failedLogins = failedLogins
        self.lockedUntil = lockedUntil
        self.lastLoginAt = lastLoginAt
        self.createdAt = createdAt
    }

    /// Lower-cased and trimmed, so one address cannot be registered twice in different case.
    public static func normalizeEmail(_ email: String) -> String {
        email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }

    public static func isPlausibleEmail(_ email: String) -> Bool { EmailAddress.isPlausible(email) }
}
