import Foundation
import HTTPTypes
import HummingbirdTesting
import KilpiCore
import KilpiStore
import KilpiTestSupport
import Testing

@testable import KilpiWeb

@Suite struct HeadersAndErrorsTests {
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!

    @Test(arguments: [false, true])
    func everyResponseCarriesTheSecurityHeaders(tls: Bool) async throws {
        try await WebTestApp.run(configure: { $0.tls = tls }) { app in
            let login = try await app.login(try await app.makeStaff(.viewer))
            let responses: [(String, TestResponse)] = [
                ("sign-in page", try await app.get("/console/login")),
                ("console page", try await app.get("/console", login)),
                ("forbidden page", try await app.get("/console/audit", login)),
                ("redirect", try await app.get("/console")),
                ("health", try await app.get("/healthz")),
                ("unknown path", try await app.get("/no/such/page")),
                ("API 401", try await app.api(.get, "/api/v1/me", token: nil)),
                ("unknown API path", try await app.api(.get, "/api/v1/nothing-here", token: nil)),
                ("stylesheet", try await app.get("/static/kilpi.css")),
                (
                    "CSRF rejection",
                    try await app.post("/console/logout", form: ["_csrf": "nope"], session: login.sessionID)
                ),
            ]
            for (name, response) in responses {
                let csp = response.headers[.contentSecurityPolicy] ?? ""
                #expect(csp.contains("frame-ancestors 'none'"), "\(name): CSP \(csp)")
                #expect(csp.contains("default-src 'none'"), "\(name): CSP \(csp)")
                #expect(response.headers[.xContentTypeOptions] == "nosniff", "\(name)")
                #expect(response.headers[Self.referrerPolicy] == "no-referrer", "\(name)")
                #expect((response.headers[.strictTransportSecurity] != nil) == tls, "\(name): HSTS")
            }
            // Private pages are not cached; the stylesheet may be.
            #expect(responses[1].1.headers[.cacheControl] == "no-store")
            #expect(responses[8].1.headers[.cacheControl]?.contains("max-age") == true)
        }
    }

    @Test func anUnknownPathIsAPlainNotFoundPage() async throws {
        try await WebTestApp.run { app in
            let response = try await app.get("/console/definitely/not/here")
            #expect(response.status == .notFound)
            #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
            let body = WebTestApp.text(response)
            #expect(body.contains(UIText.notFoundTitle.text(.en)))
            for leak in ["HTTPError", ".swift", "Fatal", "Stack", "KilpiWeb", "Hummingbird"] {
                #expect(!body.contains(leak), "404 page mentions \(leak)")
            }
            let finnish = try await app.get("/nope?lang=fi")
            #expect(WebTestApp.text(finnish).contains(UIText.notFoundTitle.text(.fi)))

            // Under /api the answer is the API's JSON error shape.
            let api = try await app.api(.get, "/api/v1/nothing-here", token: nil)
            #expect(api.status == .notFound)
            let error = try #require(try WebTestApp.json(api)["error"] as? [String: Any])
            #expect(error["code"] is String)
        }
    }

    @Test func healthAndMetrics() async throws {
        try await WebTestApp.run { app in
            // The test client's peer is not loopback: /metrics wants a token (see ServerHardeningTests).
            let scraper = try await app.makeToken(.viewer, name: "scraper").secret
            let health = try await app.get("/healthz")
            #expect(health.status == .ok)
            #expect(WebTestApp.text(health).trimmingCharacters(in: .whitespacesAndNewlines) == "ok")

            let secret = "s3cret-setup-token-\(UUID().uuidString)"
            let setup = try await app.get("/console/setup/\(secret)")
            #expect(setup.status == .notFound)
            _ = try await app.get("/console/enrol/\(secret)-enrol")
            _ = try await app.get("/console/login?email=someone%40example.com")

            let metrics = try await app.api(.get, "/metrics", token: scraper)
            #expect(metrics.status == .ok)
            let text = WebTestApp.text(metrics)
            #expect(text.contains("kilpi_http_requests_total"))
            #expect(
                text.contains(#"kilpi_http_requests_total{method="GET",route="/healthz",status="200"} 1"#),
                "\(text)"
            )
            #expect(text.contains(#"route="/console/setup/:token""#))
            #expect(text.contains(#"route="/console/enrol/:token""#))
            #expect(!text.contains(secret))
            #expect(!text.contains("s3cret"))
            #expect(!text.contains("someone"))
            #expect(text.contains("kilpi_http_request_duration_seconds_bucket"))

            // A second health check counts.
            _ = try await app.get("/healthz")
            #expect(
                WebTestApp.text(try await app.api(.get, "/metrics", token: scraper)).contains(
                    #"kilpi_http_requests_total{method="GET",route="/healthz",status="200"} 2"#
                )
            )
        }
    }

    @Test func unmatchedPathsAreCountedWithoutTheirPath() async throws {
        try await WebTestApp.run { app in
            _ = try await app.get("/wp-admin/secret-probe-path")
            let scraper = try await app.makeToken(.viewer, name: "scraper").secret
            let text = WebTestApp.text(try await app.api(.get, "/metrics", token: scraper))
            #expect(!text.contains("secret-probe-path"))
            #expect(text.contains(#"route="unmatched""#))
        }
    }
}
