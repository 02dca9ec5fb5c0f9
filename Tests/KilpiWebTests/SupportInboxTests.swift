import Foundation
import HTTPTypes
import KilpiCore
import KilpiStore
import KilpiTestSupport
import Testing

@testable import KilpiWeb

/// The staff inbox in the console: who may read, answer and edit the FAQ; the response-time highlighting over a
/// business-hours boundary and Finland's Easter holidays with a fixed clock; filters; customer text shown as text;
/// CSRF; replayed status changes; links in replies.
@Suite struct SupportInboxTests {
    @Test(arguments: TestDatabases.engines)
    func viewersAreRefusedAgentsAnswerButOnlyCommunicatorsEditTheFAQ(engine: SQLEngine) async throws {
        try await WebTestApp.run(engine) { app in
            let incident = try await SupportInboxFixture.incident(app)
            let inquiry = try await SupportInboxFixture.inquiry(app, incidentID: incident.id)
            let viewer = try await app.login(try await app.makeStaff(.viewer))
            let agent = try await app.login(try await app.makeStaff(.agent))
            let communicator = try await app.login(try await app.makeStaff(.communicator))

            #expect(try await app.get(Routes.supportInbox.path(), viewer).status == .forbidden)
            #expect(try await app.get(Routes.supportInquiry.path(id: inquiry), viewer).status == .forbidden)
            let refused = try await app.post(Routes.supportReply.path(id: inquiry), viewer, form: ["text": "Hi"])
            #expect(refused.status == .forbidden)

            let inbox = try await app.get(Routes.supportInbox.path(), agent)
            #expect(inbox.status == .ok && WebTestApp.text(inbox).contains(Routes.supportInquiry.path(id: inquiry)))
            // The nav links the inbox for those who may use it, and not for a viewer.
            #expect(WebTestApp.text(inbox).contains("href=\"/console/support\""))
            #expect(!WebTestApp.text(try await app.get(Routes.dashboard.path(), viewer)).contains("/console/support"))
            let replied = try await app.post(
                Routes.supportReply.path(id: inquiry),
                agent,
                form: ["text": "Your card number was not involved."]
            )
            #expect(replied.status == .seeOther || replied.status == .found, "\(replied.status)")
            let stored = try #require(try await app.store.inquiries.find(id: inquiry))
            #expect(stored.status == .waitingForCustomer && stored.firstResponseAt != nil)

            let answers = Routes.supportAnswerCreate.path(id: incident.id)
            let form: KeyValuePairs<String, String> = [
                "language": "en", "question": "Was my card exposed?", "answer": "No.", "faq": "on",
            ]
            #expect(try await app.post(answers, agent, form: form).status == .forbidden)
            #expect(try await app.store.supportAnswers.list(incidentID: incident.id).isEmpty)
            let page = try await app.get(Routes.supportAnswers.path(id: incident.id), agent)
            #expect(page.status == .ok && !WebTestApp.text(page).contains("action=\"\(answers)\""))
            let saved = try await app.post(answers, communicator, form: form)
            #expect(saved.status == .seeOther || saved.status == .found, "\(saved.status)")
            let answer = try #require(try await app.store.supportAnswers.list(incidentID: incident.id).first)
            #expect(answer.question == "Was my card exposed?" && answer.faq)
            #expect(
                try await app.store.supportAnswers.faq(incidentID: incident.id, language: .en).map(\.answerID)
                    == [answer.id]
            )
            // A bad answer is refused by field and saves nothing.
            let bad = try await app.post(
                answers,
                communicator,
                form: ["language": "en", "question": "Q", "answer": "see javascript:alert(1)"]
            )
            #expect(bad.status == .badRequest && WebTestApp.text(bad).contains("answer: "))
            #expect(try await app.store.supportAnswers.list(incidentID: incident.id).count == 1)
            // The agent inserts it as a canned answer into the reply form.
            let canned = try await app.get(Routes.supportInquiry.path(id: inquiry) + "?canned=\(answer.id)", agent)
            #expect(WebTestApp.text(canned).contains(">No.</textarea>"))
        }
    }

    @Test(arguments: TestDatabases.engines)
    func targetsAreHighlightedAcrossABusinessHoursBoundaryAndTheEasterHolidays(engine: SQLEngine) async throws {
        try await WebTestApp.run(engine) { app in
            // Thursday 25 March 2027, 14:00 in Helsinki (12:00 UTC): a SEV3 question gets one business day
            // (8 office hours, 08:00-16:00) for its first response: 2 h that Thursday, none on Good Friday, the
            // weekend or Easter Monday, and 6 h from Tuesday 08:00, so it is due Tuesday 14:00 (11:00 UTC, summer time).
            app.clock.advance(5_976_000)
            let incident = try await SupportInboxFixture.incident(app, severity: .sev3)
            let inquiry = try await SupportInboxFixture.inquiry(app, incidentID: incident.id)
            let agentStaff = try await app.makeStaff(.agent)
            // Sessions end after days, so the agent signs in again at each look.
            func state() async throws -> (row: String, dashboard: String) {
                let agent = try await app.login(agentStaff)
                let inbox = WebTestApp.text(try await app.get(Routes.supportInbox.path(), agent))
                let link = "<a href=\"\(Routes.supportInquiry.path(id: inquiry))\">"
                let row = try #require(inbox.components(separatedBy: "<tr").first { $0.contains(link) })
                let dashboard = WebTestApp.text(try await app.get(Routes.dashboard.path(), agent))
                return (row, dashboard)
            }
            // Easter Monday noon: four days later, but only 2 of 8 office hours used.
            app.clock.advance(334_800)
            var now = try await state()
            #expect(!now.row.hasPrefix(" class=\"sla-") && now.row.contains("sla-ok"), "\(now.row)")
            #expect(!now.dashboard.contains("support-escalations"))
            // Tuesday 11:59: 5 h 59 min of 8 used, just under 75 %.
            app.clock.advance(86_340)
            now = try await state()
            #expect(!now.row.hasPrefix(" class=\"sla-"), "\(now.row)")
            // Tuesday 12:00: 75 %, pre-escalation.
            app.clock.advance(60)
            now = try await state()
            #expect(now.row.hasPrefix(" class=\"sla-warning\""), "\(now.row)")
            #expect(now.dashboard.contains("support-escalations") && now.dashboard.contains("sla-warning\">1<"))
            // Tuesday 14:01: past due, escalated.
            app.clock.advance(7_260)
            now = try await state()
            #expect(now.row.hasPrefix(" class=\"sla-breached\""), "\(now.row)")
            #expect(now.dashboard.contains("sla-breached\">1<"))
            // Answering it ends the escalation: the first response is missed, nothing runs late any more.
            _ = try await app.post(
                Routes.supportReply.path(id: inquiry),
                try await app.login(agentStaff),
                form: ["text": "Sorry for the wait."]
            )
            now = try await state()
            #expect(!now.row.hasPrefix(" class=\"sla-breached\"") && now.row.contains("sla-missed"), "\(now.row)")
        }
    }

    @Test(arguments: TestDatabases.engines)
    func filtersPagingHostileTextAndCSRF(engine: SQLEngine) async throws {
        try await WebTestApp.run(engine) { app in
            let first = try await SupportInboxFixture.incident(app, title: "First")
            let second = try await SupportInboxFixture.incident(app, title: "Second")
            let hostile = try await SupportInboxFixture.inquiry(
                app,
                incidentID: first.id,
                text: "<script>alert(1)</script> & \"quotes\""
            )
            let other = try await SupportInboxFixture.inquiry(app, incidentID: second.id, email: "b@example.org")
            let agentStaff = try await app.makeStaff(.agent)
            let agent = try await app.login(agentStaff)
            func listed(_ query: String) async throws -> [Int64] {
                let text = WebTestApp.text(try await app.get(Routes.supportInbox.path() + query, agent))
                return [hostile, other].filter { text.contains("href=\"\(Routes.supportInquiry.path(id: $0))\"") }
            }
            #expect(try await listed("") == [hostile, other])
            #expect(try await listed("?incident=\(first.id)") == [hostile])
            #expect(try await listed("?status=new") == [hostile, other])
            #expect(try await listed("?status=resolved").isEmpty)
            _ = try await app.post(
                Routes.supportAssign.path(id: other),
                agent,
                form: ["assignee": "\(agentStaff.user.id)"]
            )
            #expect(try await listed("?assignee=\(agentStaff.user.id)") == [other])
            #expect(try await listed("?assignee=none") == [hostile])
            #expect(try await listed("?status=open") == [other], "taking a new inquiry opens it")
            #expect(try await listed("?before=\(other)") == [hostile])

            // The customer's text is shown as text.
            let thread = WebTestApp.text(try await app.get(Routes.supportInquiry.path(id: hostile), agent))
            #expect(!thread.contains("<script>alert(1)</script>"))
            #expect(thread.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;"))
            // Opening the thread is audited.
            let views = try await app.store.audit.entries(
                AuditFilter(actionPrefix: "support", target: "inquiry:\(hostile)")
            )
            #expect(views.contains { $0.action == "support.inquiry_view" && $0.actor == "user:\(agentStaff.user.id)" })

            // A form without the session's CSRF token changes nothing.
            let forged = try await app.post(
                Routes.supportStatus.path(id: hostile),
                form: ["status": "resolved", "_csrf": "forged"],
                session: agent.sessionID
            )
            #expect(forged.status == .forbidden)
            #expect(try await app.store.inquiries.find(id: hostile)?.status == .new)

            // Replaying a status change is harmless; a move the state machine refuses names the field.
            for _ in 0..<2 {
                _ = try await app.post(Routes.supportStatus.path(id: hostile), agent, form: ["status": "resolved"])
            }
            #expect(try await app.store.inquiries.history(inquiryID: hostile).map(\.to) == [.new, .resolved])
            let refused = try await app.post(
                Routes.supportStatus.path(id: hostile),
                agent,
                form: ["status": "waiting_for_customer"]
            )
            #expect(refused.status == .conflict && WebTestApp.text(refused).contains("cannot become"))

            // Only plain web links go into a reply; nothing is sent otherwise.
            let link = try await app.post(
                Routes.supportReply.path(id: other),
                agent,
                form: ["text": "Log in at https://bank.example@evil.example/ now"]
            )
            #expect(link.status == .badRequest && WebTestApp.text(link).contains("name@host"))
            #expect(try await app.store.inquiries.find(id: other)?.firstResponseAt == nil)
        }
    }

    @Test func theCustomersExposureIsBesideTheThreadOnlyForRolesThatSeeCustomers() async throws {
        try await WebTestApp.run { app in
            let (shop, _) = try await IncidentConsoleTests.seedDataMap(app)
            let incident = try await SupportInboxFixture.incident(app)
            _ = try await app.store.scopes.create(
                incidentID: incident.id,
                ScopeDraft(
                    systemIDs: [shop],
                    windowStart: Date(timeIntervalSince1970: 1_793_491_200),
                    windowEnd: Date(timeIntervalSince1970: 1_794_700_740)
                ),
                actor: "test",
                now: app.clock.now
            )
            let customer = try #require(try await app.store.customers.find(externalID: "A1"))
            let email = try #require(customer.email)
            let inquiry = try await SupportInboxFixture.inquiry(app, incidentID: incident.id, email: email)
            #expect(try await app.store.inquiries.find(id: inquiry)?.customerID == customer.id)
            let agent = try await app.login(try await app.makeStaff(.agent))
            let page = WebTestApp.text(try await app.get(Routes.supportInquiry.path(id: inquiry), agent))
            #expect(page.contains("class=\"exposure\"") && page.contains(">A1</a>"))
            let audit = try await app.store.audit.entries(AuditFilter(actionPrefix: "exposure"))
            #expect(audit.contains { $0.detail == "inquiry:\(inquiry) customer:\(customer.id)" })
        }
    }
}
