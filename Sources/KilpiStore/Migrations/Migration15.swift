import Foundation
import SQLKit

extension Migrations {
    /// Protected API tokens (`kilpi token create --protected`): the API and the console cannot revoke them, only
    /// `kilpi token revoke` on the server can. For an integration that must not be cut off through the API it
    /// tests, such as the schemathesis run, whose stateful phase revokes the token it holds. Existing tokens stay
    /// unprotected.
    static let v15 = Migration(
        15,
        "api tokens: is_protected",
        statements: { _ in
            ["ALTER TABLE api_tokens ADD COLUMN is_protected BOOLEAN NOT NULL DEFAULT FALSE"]
        }
    )
}
