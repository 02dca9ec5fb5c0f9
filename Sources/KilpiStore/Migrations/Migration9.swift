import Foundation
import SQLKit

extension Migrations {
    /// Account hardening: a session may set up the first second factor only when an enrolment or setup link
    /// started it (`may_enrol`), and API tokens expire (`expires_at`).
    ///
    /// Tokens made before this migration get 90 days from the moment it runs (not from their creation, which
    /// would cut off integrations without warning on upgrade). Staff TOTP secrets are sealed in the vault, but a
    /// migration has no vault: `Store.sealStaffTOTPSecrets()` seals the legacy plaintext ones when a store opens.
    static let v9 = Migration(
        9,
        "sessions: may_enrol; api tokens: expires_at",
        statements: { _ in
            [
                "ALTER TABLE staff_sessions ADD COLUMN may_enrol BOOLEAN NOT NULL DEFAULT FALSE",
                "ALTER TABLE api_tokens ADD COLUMN expires_at BIGINT",
                "CREATE INDEX api_tokens_created_by ON api_tokens(created_by)",
            ]
        },
        step: { sql, _ in
            let expiry = Date().addingTimeInterval(TimeInterval(APITokenLifetime.defaultDays) * 86_400)
            try await sql.raw(
                "UPDATE api_tokens SET expires_at = \(bind: expiry.epochMilliseconds) WHERE expires_at IS NULL"
            ).run()
            // Disabling now revokes a person's tokens; those disabled before this version keep none either.
            try await sql.raw(
                """
                UPDATE api_tokens SET revoked_at = \(bind: Date().epochMilliseconds)
                WHERE revoked_at IS NULL
                  AND created_by IN (SELECT 'user:' || id FROM staff_users WHERE status = 'disabled')
                """
            ).run()
        }
    )
}
