import Foundation
import KilpiCore

/// The fictional company a newcomer sees with `kilpi serve --demo`: Aurora Verkkokauppa Oy, an online shop
/// in Finland with customers in Finland, Sweden, Germany and a few US states. Later features add their own
/// demo data here.
public enum DemoData {
    public static let companyName = "Aurora Verkkokauppa Oy"
    public static let emailDomain = "aurora-verkkokauppa.example"

    public struct StaffMember: Sendable {
        public let email: String
        public let name: String
        public let role: Role
    }

    public static let staff: [StaffMember] = [
        StaffMember(email: "aino.admin@\(emailDomain)", name: "Aino Virtanen", role: .admin),
        StaffMember(email: "risto.responder@\(emailDomain)", name: "Risto Korhonen", role: .responder),
        StaffMember(email: "kaisa.communicator@\(emailDomain)", name: "Kaisa Mäkinen", role: .communicator),
        StaffMember(email: "sven.agent@\(emailDomain)", name: "Sven Lindqvist", role: .agent),
        StaffMember(email: "vera.viewer@\(emailDomain)", name: "Vera Nieminen", role: .viewer),
    ]

    /// One line per demo account, with the secret it can sign in with now.
    public struct Credential: Sendable {
        public let member: StaffMember
        public let password: String
        /// Only for roles that need a second factor.
        public let totpSecret: String?
        public let totpURI: String?
    }

    /// Creates the demo accounts if missing and gives each a fresh random password (never a fixed one), so the
    /// terminal that started the demo is the only place the passwords are known. Admin TOTP secrets are kept
    /// across restarts so an authenticator app, once set up, keeps working.
    public static func seed(store: Store, hasher: PasswordHasher, now: Date) async throws -> [Credential] {
        var credentials: [Credential] = []
        for member in staff {
            let user: StaffUser
            if let existing = try await store.users.find(email: member.email) {
                user = existing
            } else {
                user = try await store.users.create(
                    email: member.email,
                    displayName: member.name,
                    role: member.role,
                    status: .active,
                    now: now
                )
            }
            let password = passphrase()
            try await store.users.setPassword(userID: user.id, hash: try hasher.hash(password), now: now)
            try await store.users.setStatus(userID: user.id, status: .active, now: now)
            try await store.users.recordSuccessfulLogin(userID: user.id, now: now)
            var secret: String?
            var uri: String?
            if member.role.requiresSecondFactor {
                let current = user.totpEnabled ? user.totpSecret : nil
                let value = current ?? Base32.encode(TOTP.generateSecret())
                if current == nil {
                    try await store.users.setTOTP(userID: user.id, secret: value, enabled: true, now: now)
                }
                secret = value
                uri = TOTP(secret: Base32.decode(value) ?? []).provisioningURI(
                    account: member.email,
                    issuer: "Kilpi demo"
                )
            }
            credentials.append(Credential(member: member, password: password, totpSecret: secret, totpURI: uri))
        }
        try await store.audit.append(
            AuditEvent(actor: "system", action: .demoSeed, detail: "\(staff.count) staff accounts"),
            now: now
        )
        return credentials
    }

    /// 20 random characters from an unambiguous alphabet in groups of five (about 100 bits): easy to type,
    /// long enough for the no-second-factor rule.
    static func passphrase() -> String {
        let alphabet = Array("abcdefghjkmnpqrstuvwxyz23456789")
        var characters: [Character] = []
        while characters.count < 20 {
            // Rejection sampling keeps every character equally likely (256 is not a multiple of 31).
            for byte in SecureRandom.bytes(32) where Int(byte) < 248 && characters.count < 20 {
                characters.append(alphabet[Int(byte) % alphabet.count])
            }
        }
        return stride(from: 0, to: 20, by: 5).map { String(characters[$0..<$0 + 5]) }.joined(separator: "-")
    }
}
