import Foundation
import HTTPTypes
import HummingbirdTesting
import KilpiCore
import KilpiTestSupport
import Testing

@testable import KilpiWeb

/// Path parameters are typed: a handler receives an `Int64` or a bounded `String` it declared at registration, the
/// registry refuses at start-up a handler whose parameters differ from its route's template, and a value that does
/// not parse names nothing (404, the handler does not run).
@Suite struct PathParameterTests {
    @Test func aHandlerMustTakeExactlyTheTemplatesParameters() {
        #expect(Routes.incidentTask.parameterNames == ["id", "task"])
        #expect(Routes.incidentTask.parameterMismatch(["id", "task"]) == nil)
        #expect(Routes.incidentTask.parameterMismatch(["id"]) != nil)
        #expect(Routes.incident.parameterMismatch([]) != nil)
        #expect(Routes.incidents.parameterMismatch(["id"]) != nil)
        #expect(Routes.setup.parameterMismatch(["token"]) == nil)
    }

    @Test func valuesParseToTheirTypeOrNothing() {
        func id(_ text: String) -> Int64? { PathParameter<Int64>.id.value(in: ["id": Substring(text)]) }
        #expect(id("42") == 42)
        for bad in ["", "0", "-3", "x", "1e3", "9223372036854775808", "4 2", "%34%32"] {
            #expect(id(bad) == nil, "\(bad)")
        }
        #expect(PathParameter<String>.token.value(in: ["token": Substring(String(repeating: "a", count: 201))]) == nil)
        #expect(PathParameter<String>.token.value(in: ["token": "abc"]) == "abc")
        #expect(PathParameter<Int64>.id.value(in: ["task": "5"]) == nil)
    }

    @Test func aPathValueThatDoesNotParseIsNotFoundOnTheConsoleAndTheAPI() async throws {
        try await WebTestApp.run { app in
            let login = try await app.login(try await app.makeStaff(.admin))
            let (_, secret) = try await app.makeToken(.admin)
            for path in ["/console/incidents/abc", "/console/incidents/0", "/console/customers/-1"] {
                let response = try await app.get(path, login)
                #expect(response.status == .notFound, "\(path)")
                #expect(WebTestApp.text(response).contains(UIText.notFoundTitle.text(.en)), "\(path)")
            }
            // A form post to a task that is not a number: the CSRF check passes, the handler does not run.
            let post = try await app.post("/console/incidents/1/tasks/nope", login, form: ["done": "1"])
            #expect(post.status == .notFound)
            for (method, path) in [
                (HTTPRequest.Method.get, "/api/v1/incidents/abc"), (.delete, "/api/v1/tokens/x"),
                (.get, "/api/v1/incidents/99999999999999999999/timeline"),
            ] {
                let response = try await app.api(method, path, token: secret)
                #expect(response.status == .notFound, "\(method) \(path)")
                let error = try WebTestApp.json(response)["error"] as? [String: Any]
                #expect(error?["code"] as? String == "not_found", "\(method) \(path)")
            }
        }
    }
}

/// Console refusals are `PageError`s, which conform to `HTTPResponseError`: thrown anywhere in a handler they become
/// the console's error page in the reader's language, not a 500.
@Suite struct PageErrorTests {
    @Test func aThrownPageErrorIsTheErrorPageInTheReadersLanguage() async throws {
        try await WebTestApp.run { app in
            let login = try await app.login(try await app.makeStaff(.admin))
            // The data map's customer page throws `PageError.notFound` for an id with no customer.
            for (language, title) in [("en", "Not found"), ("fi", "Sivua ei löydy"), ("sv", "Hittades inte")] {
                let response = try await app.get("/console/customers/987654?lang=\(language)", login)
                #expect(response.status == .notFound, "\(language)")
                let body = WebTestApp.text(response)
                #expect(body.contains(title), "\(language)")
                #expect(body.contains("<nav") || body.contains("Kilpi"), "\(language): the console layout")
                #expect(!body.contains("PageError"), "\(language)")
            }
        }
    }
}
