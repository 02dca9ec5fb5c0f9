import Foundation
import HummingbirdTesting
import KilpiCore
import KilpiStore
import KilpiTestSupport
import Testing

@testable import KilpiWeb

/// Account refusals on console forms are in the reader's language, name the field, and change nothing.
@Suite struct AccountMessagesTests {
    @Test func aRefusedNewAccountIsExplainedInTheReadersLanguage() async throws {
        try await WebTestApp.run { app in
            let login = try await app.login(try await app.makeStaff(.admin))
            let expected: [(String, String)] = [
                ("en", "email: that does not look like an email address."),
                ("fi", "email: tämä ei näytä sähköpostiosoitteelta."),
                ("sv", "email: det ser inte ut som en e-postadress."),
            ]
            let before = try await app.store.users.count(role: nil, status: nil)
            for (language, message) in expected {
                let response = try await app.post(
                    "/console/users?lang=\(language)",
                    login,
                    form: [
                        "email": "<script>x</script>", "name": "Robert'); DROP TABLE staff_users;--", "role": "agent",
                    ]
                )
                #expect(response.status == .badRequest, "\(language)")
                #expect(WebTestApp.text(response).contains("<li>\(message)</li>"), "\(language)")
                #expect(!WebTestApp.text(response).contains("<script>x"), "\(language): escaped")
            }
            let unknownRole = try await app.post(
                "/console/users?lang=sv",
                login,
                form: ["email": "new@example.fi", "name": "New", "role": "cto"]
            )
            #expect(WebTestApp.text(unknownRole).contains("<li>role: välj en av de listade rollerna.</li>"))
            #expect(try await app.store.users.count(role: nil, status: nil) == before)
        }
    }

    @Test func everyAccountRefusalHasItsOwnTextInEveryLanguage() {
        let codes: [AccountError.Code] = [
            .invalidEmail, .emailTaken, .weakPassword([.common]), .linkInvalid, .adminExists, .wrongCode, .notFound,
            .lastAdmin, .invalidName, .wrongCurrentProof, .enrolmentLinkRequired, .invalidTokenName,
            .invalidTokenExpiry,
        ]
        for language in Language.allCases {
            let messages = codes.map { AccountError($0).message(language) }
            #expect(Set(messages).count == codes.count, "\(language)")
            if language != .en {
                for (code, message) in zip(codes, messages) {
                    #expect(message != AccountError(code).message(.en), "\(code) \(language)")
                }
            }
            // The field a refusal is about leads its message.
            for code in codes {
                if let field = AccountError(code).field, field != "password" {
                    #expect(AccountError(code).message(language).hasPrefix("\(field): "), "\(code) \(language)")
                }
            }
        }
    }
}

/// A form body that cannot be read is refused in the reader's language, naming what is wrong, and changes nothing;
/// one over the size limit is 413, not a library's error text.
@Suite struct UnreadableFormTests {
    @Test func anOversizedOrMalformedFormIsExplainedInTheReadersLanguage() async throws {
        try await WebTestApp.run { app in
            let login = try await app.login(try await app.makeStaff(.admin))
            let before = try await app.store.users.count(role: nil, status: nil)
            let huge = String(repeating: "a", count: 1 << 21)
            for (language, expected) in [
                ("en", "The form is larger than 1 MB; nothing was saved."),
                ("fi", "Lomake on yli 1 Mt; mitään ei tallennettu."),
                ("sv", "Formuläret är större än 1 MB; inget sparades."),
            ] {
                let response = try await app.post(
                    "/console/users?lang=\(language)",
                    login,
                    form: ["email": "big@example.fi", "name": huge, "role": "viewer"]
                )
                #expect(response.status == .contentTooLarge, "\(language)")
                let body = WebTestApp.text(response)
                #expect(body.contains(expected), "\(language)")
                #expect(!body.contains("NIO") && !body.contains("maxBytes"), "\(language): no library text")
            }
            let malformed = try await app.request(
                .post,
                "/console/users?lang=sv",
                headers: [.contentType: "application/x-www-form-urlencoded"],
                cookies: [RouteRegistry.sessionCookie: login.sessionID],
                body: "_csrf=\(login.csrf)&email=%ZZ"
            )
            #expect(malformed.status == .badRequest)
            #expect(WebTestApp.text(malformed).contains("email: inte giltig URL-kodning"))
            #expect(try await app.store.users.count(role: nil, status: nil) == before)
        }
    }
}
