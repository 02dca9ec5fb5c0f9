import Foundation
import HTTPTypes
import HummingbirdTesting
import KilpiCore
import KilpiStore
import KilpiTestSupport
import Testing

@testable import KilpiWeb

/// The inquiries API: permissions per role (another role's token is refused), filters and paging, the audited
/// thread, replies (201, link check), PATCH of status and assignee with nothing half-applied, replays.
@Suite struct SupportAPITests {
    typealias Call = (Route, String, String?, String?) async throws -> TestResponse

    /// Calls every inquiry route with documented outcomes (for `OpenAPIDocumentTests`' schema check).
    static func exercise(_ app: WebTestApp, admin: String, viewer: String, _ call: Call) async throws {
        let incident = try await SupportInboxFixture.incident(app, title: "API inquiries")
        let inquiry = try await SupportInboxFixture.inquiry(
            app,
            incidentID: incident.id,
            email: "api-asker@example.org"
        )
        let agent = try await app.makeToken(.agent).secret
        _ = try await call(Routes.apiInquiries, Routes.apiInquiries.path(), agent, nil)
        _ = try await call(
            Routes.apiInquiries,
            Routes.apiInquiries.path() + "?incident=\(incident.id)&status=new&limit=5",
            agent,
            nil
        )
        _ = try await call(Routes.apiInquiries, Routes.apiInquiries.path() + "?status=closed", agent, nil)
        _ = try await call(Routes.apiInquiries, Routes.apiInquiries.path(), viewer, nil)
        _ = try await call(Routes.apiInquiry, Routes.apiInquiry.path(id: inquiry), agent, nil)
        _ = try await call(Routes.apiInquiry, Routes.apiInquiry.path(id: 999_999), agent, nil)
        let replied = try await call(
            Routes.apiInquiryReply,
            Routes.apiInquiryReply.path(id: inquiry),
            agent,
            #"{"text": "We are on it: https://example.com/status"}"#
        )
        #expect(replied.status == .created, "\(WebTestApp.text(replied))")
        _ = try await call(
            Routes.apiInquiryReply,
            Routes.apiInquiryReply.path(id: inquiry),
            agent,
            #"{"text": "javascript:alert(1)"}"#
        )
        _ = try await call(Routes.apiInquiryReply, Routes.apiInquiryReply.path(id: inquiry), agent, #"{"text": 5}"#)
        _ = try await call(
            Routes.apiInquiryUpdate,
            Routes.apiInquiryUpdate.path(id: inquiry),
            agent,
            #"{"status": "resolved", "assignee": null}"#
        )
        _ = try await call(
            Routes.apiInquiryUpdate,
            Routes.apiInquiryUpdate.path(id: inquiry),
            agent,
            #"{"status": "waiting_for_customer"}"#
        )
        _ = try await call(
            Routes.apiInquiryUpdate,
            Routes.apiInquiryUpdate.path(id: inquiry),
            agent,
            #"{"assignee": 999999}"#
        )
        _ = try await call(Routes.apiInquiryUpdate, Routes.apiInquiryUpdate.path(id: inquiry), admin, #"{}"#)
    }

    @Test(arguments: TestDatabases.engines)
    func everyRoleGetsWhatItsPermissionsAllowAndNoMore(engine: SQLEngine) async throws {
        try await WebTestApp.run(engine) { app in
            let incident = try await SupportInboxFixture.incident(app)
            let inquiry = try await SupportInboxFixture.inquiry(app, incidentID: incident.id)
            var tokens: [Role: String] = [:]
            for role in Role.allCases { tokens[role] = try await app.makeToken(role).secret }
            for role in Role.allCases {
                let token = tokens[role]
                let list = try await app.api(.get, Routes.apiInquiries.path(), token: token)
                let read = try await app.api(.get, Routes.apiInquiry.path(id: inquiry), token: token)
                let patch = try await app.api(
                    .patch,
                    Routes.apiInquiryUpdate.path(id: inquiry),
                    token: token,
                    json: "{}"
                )
                let views = AccessPolicy.allows(role, .supportView)
                let answers = AccessPolicy.allows(role, .supportAnswer)
                #expect(list.status == (views ? .ok : .forbidden), "\(role)")
                #expect(read.status == (views ? .ok : .forbidden), "\(role)")
                #expect(patch.status == (answers ? .ok : .forbidden), "\(role)")
            }
            // Spot checks that do not ask the policy: a viewer and a responder cannot reply, an agent can.
            for role in [Role.viewer, .responder] {
                let refused = try await app.api(
                    .post,
                    Routes.apiInquiryReply.path(id: inquiry),
                    token: tokens[role],
                    json: #"{"text": "hi"}"#
                )
                #expect(refused.status == .forbidden, "\(role)")
            }
            #expect(try await app.store.inquiries.find(id: inquiry)?.firstResponseAt == nil)
            let reply = try await app.api(
                .post,
                Routes.apiInquiryReply.path(id: inquiry),
                token: tokens[.agent],
                json: #"{"text": "Hello"}"#
            )
            #expect(reply.status == .created)
            let body = try WebTestApp.json(reply)
            #expect(body["status"] as? String == "waiting_for_customer" && body["firstResponseAt"] != nil)
        }
    }

    @Test(arguments: TestDatabases.engines)
    func listThreadPatchAndReplays(engine: SQLEngine) async throws {
        try await WebTestApp.run(engine) { app in
            let first = try await SupportInboxFixture.incident(app, title: "First")
            let second = try await SupportInboxFixture.incident(app, title: "Second")
            let a = try await SupportInboxFixture.inquiry(app, incidentID: first.id, text: "<b>bold</b> question")
            let b = try await SupportInboxFixture.inquiry(app, incidentID: second.id, email: "b@example.org")
            let (agentToken, agent) = try await app.makeToken(.agent)
            let staff = try await app.makeStaff(.agent)
            func ids(_ query: String) async throws -> [Int] {
                let response = try await app.api(.get, Routes.apiInquiries.path() + query, token: agent)
                #expect(response.status == .ok, "\(query): \(WebTestApp.text(response))")
                return (try WebTestApp.json(response)["items"] as? [[String: Any]] ?? []).compactMap {
                    $0["id"] as? Int
                }
            }
            #expect(try await ids("") == [Int(b), Int(a)])
            #expect(try await ids("?incident=\(first.id)") == [Int(a)])
            #expect(try await ids("?status=resolved").isEmpty)
            #expect(try await ids("?limit=1") == [Int(b)])
            #expect(try await ids("?before=\(b)") == [Int(a)])
            let page = try WebTestApp.json(
                try await app.api(.get, Routes.apiInquiries.path() + "?limit=1", token: agent)
            )
            #expect(page["next"] as? Int == Int(b))
            let bad = try await app.api(.get, Routes.apiInquiries.path() + "?status=closed", token: agent)
            #expect(bad.status == .badRequest && WebTestApp.text(bad).contains("status"))

            // The thread is the customer's text as JSON text, and reading it is audited with the token as actor.
            let thread = try await app.api(.get, Routes.apiInquiry.path(id: a), token: agent)
            let messages = try WebTestApp.json(thread)["messages"] as? [[String: Any]]
            #expect(messages?.first?["text"] as? String == "<b>bold</b> question")
            let audit = try await app.store.audit.entries(AuditFilter(actionPrefix: "support", target: "inquiry:\(a)"))
            #expect(audit.contains { $0.action == "support.inquiry_view" && $0.actor == "token:\(agentToken.id)" })

            // PATCH: both parts are checked before either is written.
            let refused = try await app.api(
                .patch,
                Routes.apiInquiryUpdate.path(id: a),
                token: agent,
                json: #"{"status": "resolved", "assignee": 999999}"#
            )
            #expect(refused.status.code == 422 && WebTestApp.text(refused).contains("assignee"))
            #expect(try await app.store.inquiries.find(id: a)?.status == .new)
            let moved = try await app.api(
                .patch,
                Routes.apiInquiryUpdate.path(id: a),
                token: agent,
                json: #"{"status": "open", "assignee": \#(staff.user.id)}"#
            )
            #expect(moved.status == .ok, "\(WebTestApp.text(moved))")
            #expect(try WebTestApp.json(moved)["assigneeId"] as? Int == Int(staff.user.id))
            // The same PATCH again and in parallel changes nothing more.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        let again = try await app.api(
                            .patch,
                            Routes.apiInquiryUpdate.path(id: a),
                            token: agent,
                            json: #"{"status": "resolved"}"#
                        )
                        #expect(again.status == .ok)
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await app.store.inquiries.history(inquiryID: a).map(\.to) == [.new, .open, .resolved])
            let conflict = try await app.api(
                .patch,
                Routes.apiInquiryUpdate.path(id: a),
                token: agent,
                json: #"{"status": "waiting_for_customer"}"#
            )
            #expect(conflict.status == .conflict && WebTestApp.text(conflict).contains("transition_refused"))
            let unassigned = try await app.api(
                .patch,
                Routes.apiInquiryUpdate.path(id: a),
                token: agent,
                json: #"{"assignee": null}"#
            )
            let cleared = try WebTestApp.json(unassigned)
            #expect(unassigned.status == .ok && cleared["assigneeId"] == nil)

            // A reply with a link other than plain http(s) is refused by field, and nothing is sent.
            let link = try await app.api(
                .post,
                Routes.apiInquiryReply.path(id: b),
                token: agent,
                json: #"{"text": "see file:///etc/passwd"}"#
            )
            #expect(link.status.code == 422 && WebTestApp.text(link).contains("\"field\":\"text\""))
            #expect(try await app.store.inquiries.find(id: b)?.firstResponseAt == nil)
        }
    }
}
