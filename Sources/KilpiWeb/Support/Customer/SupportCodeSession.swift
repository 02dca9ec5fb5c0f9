import Foundation
import Hummingbird
import KilpiCore
import KilpiStore

/// Keeps a customer on the page they opened by reference code and email address, without putting either (or any
/// other secret) into a URL.
///
/// Why a sealed cookie that is re-checked, rather than a signed "this customer may" value: after the code and the
/// address were accepted, the cookie holds them sealed by the vault (AES-GCM, so the client can neither read nor
/// alter them) with an expiry, and every request opens the page again through `SupportLinkRepository.open`. So a
/// revocation, an erasure or a campaign that was withdrawn takes effect on the next click, exactly as for a link,
/// and the attempt limits still apply (a right pair gives its slots back). The cookie is HttpOnly, SameSite=Strict,
/// scoped to `/support`, and lives `lifetime` (30 minutes) from the moment the pair was typed; the page has a button
/// that removes it, for a shared computer.
struct SupportCodeSession: Sendable {
    static let cookieName = "kilpi_support"
    static let lifetime: TimeInterval = 30 * 60
    static let sealContext = "support.code_session"

    let code: String
    let email: String
    let expiresAt: Date

    private struct Payload: Codable {
        let c: String
        let e: String
        let x: Int64
    }

    /// The cookie that carries this session.
    func cookie(_ services: AppServices) throws -> Cookie {
        let payload = Payload(c: code, e: email, x: expiresAt.epochMilliseconds)
        let json = String(decoding: try JSONEncoder().encode(payload), as: UTF8.self)
        let sealed = try services.store.vault.cipher.seal(json, context: Self.sealContext)
        return Cookie(
            name: Self.cookieName,
            value: sealed,
            maxAge: Int(Self.lifetime),
            path: "/support",
            secure: services.configuration.tls,
            httpOnly: true,
            sameSite: .strict
        )
    }

    /// Removes the cookie.
    static func cleared(_ services: AppServices) -> Cookie {
        Cookie(
            name: cookieName,
            value: "",
            maxAge: 0,
            path: "/support",
            secure: services.configuration.tls,
            httpOnly: true,
            sameSite: .strict
        )
    }

    /// The session the request's cookie carries, or nil when there is none, it cannot be opened (altered, or
    /// sealed under a key this server no longer has) or it has expired.
    static func read(_ request: Request, _ services: AppServices) -> SupportCodeSession? {
        guard let value = request.cookies[cookieName]?.value, !value.isEmpty, value.count < 4_000,
            let json = try? services.store.vault.cipher.open(value, context: sealContext),
            let payload = try? JSONDecoder().decode(Payload.self, from: Data(json.utf8))
        else { return nil }
        let expires = Date(epochMilliseconds: payload.x)
        guard expires > services.now else { return nil }
        return SupportCodeSession(code: payload.c, email: payload.e, expiresAt: expires)
    }
}
