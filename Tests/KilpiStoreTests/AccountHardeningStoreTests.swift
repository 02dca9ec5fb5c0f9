import Foundation
import KilpiCore
import KilpiStore
import KilpiTestSupport
import SQLKit
import Testing

/// Issue 9: staff TOTP secrets sealed in the vault, API token expiry and revocation with their creator, enrolment
/// links that a reissue replaces, password changes that end every session, and second-factor changes that need
/// the enrolment link or a current proof. Each change and its audit entry commit together.
@Suite("Account hardening (store)")
struct AccountHardeningStoreTests {
    static let password = "plum tree under the november sky"

    static func service(_ f: Fixture) -> AccountService {
        AccountService(store: f.store, hasher: fastHasher, now: f.clock.source)
    }

    static func rawSecret(_ f: Fixture, _ userID: Int64) async throws -> String? {
        try await f.database.withConnection { sql in
            try await sql.raw("SELECT totp_secret FROM staff_users WHERE id = \(bind: userID)").first()
                .map { try $0.decode(column: "totp_secret", as: String?.self) } ?? nil
        }
    }

    static func actions(_ f: Fixture) async throws -> [String] {
        try await f.store.audit.entries(AuditFilter(limit: 1000)).reversed().map(\.action)
    }

    // MARK: - TOTP secrets in the vault

    @Test("a staff TOTP secret is sealed in the database and bound to its account", arguments: TestDatabases.engines)
    func totpSecretSealed(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let anna = try await f.user("anna@example.fi", role: .admin)
            let bertta = try await f.user("bertta@example.fi", role: .admin)
            let secret = Base32.encode(TOTP.generateSecret())
            try await f.store.users.setTOTP(userID: anna.id, secret: secret, enabled: true, now: f.now)

            let stored = try #require(try await Self.rawSecret(f, anna.id))
            #expect(!stored.contains(secret))
            #expect(f.store.vault.cipher.keyID(of: stored) != nil, "stored as a vault ciphertext")
            #expect(!(try await f.database.dump("staff_users")).contains(secret))
            #expect(try await f.store.users.find(id: anna.id)?.totpSecret == secret)

            // Copied onto another account (by someone who can write the database), it does not open there.
            try await f.database.execute(
                "UPDATE staff_users SET totp_secret = \(bind: stored), totp_enabled = TRUE WHERE id = \(bind: bertta.id)"
            )
            await #expect(throws: VaultError.self) { try await f.store.users.find(id: bertta.id) }
        }
    }

    @Test(
        "plaintext TOTP secrets written before sealing are sealed once, idempotently",
        arguments: TestDatabases.engines
    )
    func legacySecretsSealed(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let anna = try await f.user("anna@example.fi", role: .admin)
            let viewer = try await f.user("vera@example.fi", role: .viewer)
            let secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
            // How Kilpi stored it before: the base32 text itself.
            try await f.database.execute(
                "UPDATE staff_users SET totp_secret = \(bind: secret), totp_enabled = TRUE WHERE id = \(bind: anna.id)"
            )
            #expect(try await f.store.sealStaffTOTPSecrets(now: f.now) == 1)
            let stored = try #require(try await Self.rawSecret(f, anna.id))
            #expect(stored != secret && !stored.contains(secret))
            #expect(try await Self.rawSecret(f, viewer.id) == nil)
            #expect(try await f.store.users.find(id: anna.id)?.totpSecret == secret)
            #expect(try await f.store.sealStaffTOTPSecrets(now: f.now) == 0)
            #expect(try await Self.rawSecret(f, anna.id) == stored, "a second run leaves sealed rows alone")
            let entry = try #require(try await f.store.audit.entries(AuditFilter(limit: 10)).first)
            #expect(entry.action == "account.totp_secrets_sealed" && entry.detail == "1 accounts")
        }
    }

    // MARK: - Second factor changes

    @Test(
        "the first factor of an admin is set up only with the enrolment link's session",
        arguments: TestDatabases.engines
    )
    func firstFactorNeedsTheLink(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let service = Self.service(f)
            let (admin, token) = try await service.addUser(
                email: "new.admin@example.fi",
                displayName: "New Admin",
                role: .admin,
                actor: "cli",
                ip: ""
            )
            _ = try await service.completeEnrolment(token: token, password: Self.password, ip: "")
            let secret = service.newTOTPSecret()
            let code = TOTP(secret: try #require(Base32.decode(secret))).code(at: f.now)
            await #expect(throws: AccountError(.enrolmentLinkRequired)) {
                try await service.confirmTOTP(
                    userID: admin.id,
                    secret: secret,
                    code: code,
                    proof: .init(fromEnrolmentLink: false, current: Self.password),
                    ip: "203.0.113.9"
                )
            }
            #expect(try await f.store.users.find(id: admin.id)?.totpEnabled == false)
            #expect(try await f.store.recoveryCodes.remaining(userID: admin.id) == 0)
            #expect(try await Self.actions(f).last == "account.second_factor_change_refused")

            let codes = try await service.confirmTOTP(
                userID: admin.id,
                secret: secret,
                code: code,
                proof: .init(fromEnrolmentLink: true),
                ip: ""
            )
            #expect(codes.count == 10)
            #expect(try await f.store.users.find(id: admin.id)?.totpSecret == secret)
        }
    }

    @Test(
        "replacing a factor or renewing recovery codes needs a current code or the password",
        arguments: TestDatabases.engines
    )
    func currentProof(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let service = Self.service(f)
            let user = try await f.user("anna@example.fi", role: .admin)
            try await f.store.users.setPassword(userID: user.id, hash: try fastHasher.hash(Self.password), now: f.now)
            let first = service.newTOTPSecret()
            try await f.store.users.setTOTP(userID: user.id, secret: first, enabled: true, now: f.now)
            let old = try await f.store.recoveryCodes.regenerate(userID: user.id)
            let firstTOTP = TOTP(secret: try #require(Base32.decode(first)))

            let second = service.newTOTPSecret()
            let secondCode = TOTP(secret: try #require(Base32.decode(second))).code(at: f.now)
            for wrong in [nil, "", "not my password at all", firstTOTP.code(at: f.now.addingTimeInterval(-3600))] {
                await #expect(throws: AccountError(.wrongCurrentProof)) {
                    try await service.confirmTOTP(
                        userID: user.id,
                        secret: second,
                        code: secondCode,
                        proof: .init(fromEnrolmentLink: true, current: wrong),
                        ip: ""
                    )
                }
                await #expect(throws: AccountError(.wrongCurrentProof)) {
                    try await service.regenerateRecoveryCodes(userID: user.id, current: wrong ?? "", ip: "")
                }
            }
            #expect(try await f.store.users.find(id: user.id)?.totpSecret == first)
            #expect(try await f.store.recoveryCodes.remaining(userID: user.id) == 10)
            let refusals = try await Self.actions(f).filter { $0.hasSuffix("_refused") }
            #expect(refusals.count == 8)

            // The current code works once: the same code cannot also renew the recovery codes.
            let current = firstTOTP.code(at: f.now)
            let codes = try await service.confirmTOTP(
                userID: user.id,
                secret: second,
                code: secondCode,
                proof: .init(current: current),
                ip: ""
            )
            #expect(try await f.store.users.find(id: user.id)?.totpSecret == second)
            #expect(Set(codes).isDisjoint(with: old))
            f.clock.advance(30)
            let fresh = try await service.regenerateRecoveryCodes(userID: user.id, current: Self.password, ip: "")
            #expect(Set(fresh).isDisjoint(with: codes))
            let details = try await f.store.audit.entries(AuditFilter(limit: 2)).map { "\($0.action) \($0.detail)" }
            #expect(
                details == [
                    "account.recovery_codes_regenerated shown: password",
                    "account.second_factor_replaced shown: current code",
                ]
            )
        }
    }

    // MARK: - Enrolment links and passwords

    @Test(
        "a reissued enrolment link replaces the old one; a factor-less admin goes back to pending",
        arguments: TestDatabases.engines
    )
    func reissue(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let service = Self.service(f)
            let (viewer, first) = try await service.addUser(
                email: "vera@example.fi",
                displayName: "Vera",
                role: .viewer,
                actor: "cli",
                ip: ""
            )
            let second = try await service.reissueEnrolment(userID: viewer.id, actor: "cli", ip: "")
            #expect(try await f.store.links.peek(token: first, purpose: .enrol, now: f.now) == nil)
            await #expect(throws: AccountError(.linkInvalid)) {
                try await service.completeEnrolment(token: first, password: Self.password, ip: "")
            }
            #expect(
                try await service.completeEnrolment(token: second, password: Self.password, ip: "").status == .active
            )

            // An admin who set a password but never a second factor: a reissue clears the password and sessions.
            let (admin, token) = try await service.addUser(
                email: "new.admin@example.fi",
                displayName: "New Admin",
                role: .admin,
                actor: "cli",
                ip: ""
            )
            _ = try await service.completeEnrolment(token: token, password: Self.password, ip: "")
            _ = try await f.store.sessions.create(
                userID: admin.id,
                stage: .needsEnrolment,
                ip: "",
                now: f.now,
                absoluteLifetime: 3600
            )
            _ = try await service.reissueEnrolment(userID: admin.id, actor: "user:1", ip: "")
            let reset = try #require(try await f.store.users.find(id: admin.id))
            #expect(reset.status == .pending && reset.passwordHash == nil)
            #expect(try await f.store.sessions.count(userID: admin.id) == 0)
            #expect(try await service.login(email: admin.email, password: Self.password, ip: "") == .rejected)
            let entry = try #require(
                try await f.store.audit.entries(AuditFilter(actionPrefix: "user.enrolment_reissued")).first
            )
            #expect(entry.detail.contains("account back to pending") && entry.detail.contains("1 sessions ended"))
        }
    }

    @Test(
        "a password change ends every session of the account and can start one new one",
        arguments: TestDatabases.engines
    )
    func passwordChangeEndsSessions(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let service = Self.service(f)
            let user = try await f.user()
            try await f.store.users.setPassword(userID: user.id, hash: try fastHasher.hash(Self.password), now: f.now)
            for _ in 0..<3 {
                _ = try await f.store.sessions.create(
                    userID: user.id,
                    stage: .complete,
                    ip: "",
                    now: f.now,
                    absoluteLifetime: 3600
                )
            }
            let other = try await f.user("other@example.fi")
            _ = try await f.store.sessions.create(
                userID: other.id,
                stage: .complete,
                ip: "",
                now: f.now,
                absoluteLifetime: 3600
            )
            let fresh = try #require(
                try await service.changePassword(
                    userID: user.id,
                    current: Self.password,
                    new: "a completely different phrase",
                    ip: "",
                    newSessionLifetime: 3600
                )
            )
            #expect(try await f.store.sessions.count(userID: user.id) == 1)
            #expect(try await f.store.sessions.find(id: fresh.id, now: f.now, idleTimeout: 60)?.stage == .complete)
            #expect(try await f.store.sessions.count(userID: other.id) == 1)
            let entry = try #require(try await f.store.audit.entries(AuditFilter(limit: 1)).first)
            #expect(entry.action == "account.password_changed" && entry.detail == "3 sessions ended, a new one started")
        }
    }

    // MARK: - API tokens

    @Test("API tokens expire, within 1 to 365 days", arguments: TestDatabases.engines)
    func tokenExpiry(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let service = Self.service(f)
            for days in [0, -1, 366] {
                await #expect(throws: AccountError(.invalidTokenExpiry)) {
                    try await service.createToken(name: "x", role: .viewer, expiresInDays: days, actor: "cli", ip: "")
                }
            }
            await #expect(throws: AccountError(.invalidTokenName)) {
                try await service.createToken(name: "  ", role: .viewer, actor: "cli", ip: "")
            }
            #expect(try await f.store.tokens.all().isEmpty)

            let (token, secret) = try await service.createToken(
                name: "SIEM",
                role: .viewer,
                expiresInDays: 2,
                actor: "cli",
                ip: ""
            )
            #expect(token.expiresAt == f.now.addingTimeInterval(2 * 86_400))
            #expect(try await f.store.tokens.authenticate(secret: secret, now: f.now)?.id == token.id)
            f.clock.advance(2 * 86_400 - 1)
            #expect(try await f.store.tokens.authenticate(secret: secret, now: f.now) != nil)
            f.clock.advance(1)
            #expect(try await f.store.tokens.authenticate(secret: secret, now: f.now) == nil)
            #expect(try await Self.actions(f) == ["token.create"])

            let (standard, _) = try await service.createToken(name: "default", role: .viewer, actor: "cli", ip: "")
            #expect(standard.expiresAt == f.now.addingTimeInterval(90 * 86_400))
        }
    }

    @Test("disabling a person revokes the API tokens they made, audited with it", arguments: TestDatabases.engines)
    func disablingRevokesTokens(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let service = Self.service(f)
            let maker = try await f.user("maker@example.fi", role: .admin)
            try await f.store.users.setPassword(userID: maker.id, hash: try fastHasher.hash(Self.password), now: f.now)
            let other = try await f.user("other@example.fi", role: .admin)
            let mine = try await service.createToken(name: "mine", role: .viewer, actor: "user:\(maker.id)", ip: "")
            let also = try await service.createToken(name: "also", role: .admin, actor: "user:\(maker.id)", ip: "")
            let cli = try await service.createToken(name: "cli", role: .viewer, actor: "cli", ip: "")
            let theirs = try await service.createToken(name: "theirs", role: .viewer, actor: "user:\(other.id)", ip: "")

            try await service.setDisabled(userID: maker.id, disabled: true, actor: "user:\(other.id)", ip: "")
            for (token, secret) in [mine, also] {
                #expect(try await f.store.tokens.authenticate(secret: secret, now: f.now) == nil)
                #expect(try await f.store.tokens.find(id: token.id)?.revokedAt == f.now)
            }
            for (_, secret) in [cli, theirs] {
                #expect(try await f.store.tokens.authenticate(secret: secret, now: f.now) != nil)
            }
            let entries = try await f.store.audit.entries(AuditFilter(limit: 3)).reversed().map {
                "\($0.action) \($0.target) \($0.detail)"
            }
            #expect(
                entries == [
                    "token.revoke token:\(mine.token.id) its creator user:\(maker.id) was disabled",
                    "token.revoke token:\(also.token.id) its creator user:\(maker.id) was disabled",
                    "user.disable user:\(maker.id) 0 sessions ended, 2 API tokens revoked",
                ]
            )
            // Enabling again does not bring the tokens back.
            try await service.setDisabled(userID: maker.id, disabled: false, actor: "user:\(other.id)", ip: "")
            #expect(try await f.store.tokens.authenticate(secret: mine.secret, now: f.now) == nil)
        }
    }

    @Test("migration 9 gives existing tokens 90 days and sessions no enrolment right", arguments: TestDatabases.engines)
    func migrationNine(engine: SQLEngine) async throws {
        try await TestDatabases.with(engine, migrate: false) { database in
            try await Migrator(database: database, migrations: Migrations.all.filter { $0.version < 9 }).migrate()
            try await database.withConnection { sql in
                try await sql.raw(
                    """
                    INSERT INTO api_tokens (name, role, token_hash, prefix, created_by, created_at)
                    VALUES ('old', 'viewer', 'abc', 'kilpi_abc', 'cli', 1000)
                    """
                ).run()
                try await sql.raw(
                    """
                    INSERT INTO staff_users (email, display_name, role, status, created_at, updated_at)
                    VALUES ('a@example.fi', 'A', 'admin', 'active', 1, 1)
                    """
                ).run()
                try await sql.raw(
                    """
                    INSERT INTO staff_sessions (id_hash, user_id, csrf_token, stage, created_at, last_seen_at, expires_at, ip)
                    SELECT 'h', id, 'c', 'needsEnrolment', 1, 1, 2, '' FROM staff_users
                    """
                ).run()
            }
            let before = Date()
            try await Migrator(database: database).migrate()
            let after = Date()
            let store = Store(database: database, vault: try Vault.ephemeral())
            let token = try #require(try await store.tokens.all().first)
            #expect(token.expiresAt >= before.addingTimeInterval(90 * 86_400).addingTimeInterval(-1))
            #expect(token.expiresAt <= after.addingTimeInterval(90 * 86_400).addingTimeInterval(1))
            let mayEnrol = try await database.withConnection { sql in
                try await sql.raw("SELECT may_enrol FROM staff_sessions").first()?.decode(
                    column: "may_enrol",
                    as: Bool.self
                )
            }
            #expect(mayEnrol == false)
        }
    }
}
