import Foundation
import HTTPTypes
import HummingbirdTesting
import KilpiCore
import KilpiStore
import KilpiTestSupport
import Testing

@testable import KilpiWeb

@Suite struct EscapingAndLanguageTests {
    static let script = "<script>alert(1)</script>"

    @Test func staffNamesAreEscapedWhereverTheyAppear() async throws {
        try await WebTestApp.run { app in
            let evil = try await app.makeStaff(.responder, name: Self.script)
            let admin = try await app.login(try await app.makeStaff(.admin))

            let users = try await app.get("/console/users", admin)
            #expect(users.status == .ok)
            let html = WebTestApp.text(users)
            #expect(!html.contains(Self.script))
            #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))

            // Their own pages (header, dashboard greeting) escape it too.
            let own = try await app.login(evil)
            for path in ["/console", "/console/account"] {
                let page = WebTestApp.text(try await app.get(path, own))
                #expect(!page.contains(Self.script), "\(path)")
                #expect(page.contains("&lt;script&gt;"), "\(path)")
            }
        }
    }

    @Test func echoedFormInputIsEscaped() async throws {
        try await WebTestApp.run { app in
            let attack = #""><script>alert(1)</script>"#
            let response = try await app.submitLogin(email: attack, password: "whatever it is")
            #expect(response.status == .unauthorized)
            let html = WebTestApp.text(response)
            #expect(!html.contains("<script>"))
            #expect(html.contains("&quot;&gt;&lt;script&gt;"))

            // A console form that re-renders what was typed.
            let admin = try await app.login(try await app.makeStaff(.admin))
            let created = try await app.post(
                "/console/users",
                admin,
                form: ["email": "bad email \(attack)", "name": attack, "role": "viewer"]
            )
            #expect(created.status == .badRequest)
            #expect(!WebTestApp.text(created).contains("<script>"))
        }
    }

    @Test func finnishFromTheQueryOrTheBrowser() async throws {
        try await WebTestApp.run { app in
            let english = WebTestApp.text(try await app.get("/console/login"))
            #expect(english.contains("<html lang=\"en\">"))
            #expect(english.contains(">Sign in<"))
            #expect(!english.contains("Kirjaudu sisään"))

            let query = WebTestApp.text(try await app.get("/console/login?lang=fi"))
            #expect(query.contains("<html lang=\"fi\">"))
            #expect(query.contains("Kirjaudu sisään"))
            #expect(query.contains("Salasana"))

            let browser = WebTestApp.text(
                try await app.get("/console/login", headers: [.acceptLanguage: "fi-FI,fi;q=0.9,en;q=0.8"])
            )
            #expect(browser.contains("Kirjaudu sisään"))

            // English preferred by the browser but Finnish asked for in the link: the link wins.
            let both = WebTestApp.text(try await app.get("/console/login?lang=fi", headers: [.acceptLanguage: "en"]))
            #expect(both.contains("Kirjaudu sisään"))
            // An unsupported language falls back to English.
            let other = WebTestApp.text(try await app.get("/console/login", headers: [.acceptLanguage: "de-DE"]))
            #expect(other.contains(">Sign in<"))

            // Error messages follow the language too.
            let pre = try await app.preSession()
            let failed = try await app.post(
                "/console/login?lang=fi",
                form: ["email": "x@example.com", "password": "wrong password here", "_csrf": pre.field],
                cookies: [RouteRegistry.preSessionCSRFCookie: pre.cookie]
            )
            #expect(WebTestApp.errorNotice(failed) == UIText.signInFailed.text(.fi))
        }
    }
}
