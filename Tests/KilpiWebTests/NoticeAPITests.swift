import Foundation
import HTTPTypes
import HummingbirdTesting
import KilpiCore
import KilpiStore
import KilpiTestSupport
import Testing

@testable import KilpiWeb

/// The notices half of the JSON API: templates and four-eyes approval, campaigns and their moves, recipients shaped
/// by the token's role. `exercise` calls every notice route (every documented status it can reach) for the OpenAPI
/// test, which checks each response against the document.
@Suite struct NoticeAPITests {
    typealias Call = (Route, String, String?, String?) async throws -> TestResponse

    /// Calls every notice API route; `call(route, path, token, json)` records each exchange.
    static func exercise(_ app: WebTestApp, admin: String, viewer: String, _ call: Call) async throws {
        let fixture = try await NoticeFixture.make(app)
        let communicator = try await app.makeToken(.communicator).secret
        _ = try await call(Routes.apiNoticeTemplates, Routes.apiNoticeTemplates.path(), viewer, nil)
        _ = try await call(Routes.apiNoticeTemplate, Routes.apiNoticeTemplate.path(id: fixture.english.id), viewer, nil)
        _ = try await call(Routes.apiNoticeTemplate, Routes.apiNoticeTemplate.path(id: 9999), viewer, nil)
        let created = try await call(
            Routes.apiNoticeTemplateCreate,
            Routes.apiNoticeTemplateCreate.path(),
            admin,
            #"{"key": "phishing", "language": "fi", "subject": "{{incident_title}}", "text": "{{reference_code}}", "html": "<p>{{reference_code}}</p>"}"#
        )
        #expect(created.status == .created, "\(WebTestApp.text(created))")
        let id = try #require(try WebTestApp.json(created)["id"] as? Int)
        _ = try await call(
            Routes.apiNoticeTemplateCreate,
            Routes.apiNoticeTemplateCreate.path(),
            admin,
            #"{"key": "phishing", "language": "fi", "subject": "x", "text": "x", "html": "<p>{{nonsense}}</p>"}"#
        )
        _ = try await call(
            Routes.apiNoticeTemplateCreate,
            Routes.apiNoticeTemplateCreate.path(),
            admin,
            #"{"key": "phishing", "language": "de", "subject": "x", "text": "x", "html": "x"}"#
        )
        _ = try await call(Routes.apiNoticeTemplateCreate, Routes.apiNoticeTemplateCreate.path(), viewer, "{}")
        let approve = Routes.apiNoticeTemplateApprove.path(id: Int64(id))
        let yes = #"{"approved": true}"#
        _ = try await call(Routes.apiNoticeTemplateApprove, approve, admin, yes)
        _ = try await call(Routes.apiNoticeTemplateApprove, approve, communicator, #"{"approved": false}"#)
        _ = try await call(Routes.apiNoticeTemplateApprove, approve, communicator, #"{"approved": "yes"}"#)
        _ = try await call(Routes.apiNoticeTemplateApprove, approve, viewer, yes)
        _ = try await call(Routes.apiNoticeTemplateApprove, approve, communicator, yes)
        _ = try await call(Routes.apiNoticeTemplateApprove, approve, communicator, yes)
        _ = try await call(Routes.apiNoticeTemplateApprove, Routes.apiNoticeTemplateApprove.path(id: 9999), admin, yes)

        let campaigns = Routes.apiCampaigns.path(id: fixture.incident.id)
        _ = try await call(Routes.apiCampaigns, campaigns, viewer, nil)
        _ = try await call(Routes.apiCampaigns, Routes.apiCampaigns.path(id: 9999), viewer, nil)
        let create = Routes.apiCampaignCreate.path(id: fixture.incident.id)
        _ = try await call(
            Routes.apiCampaignCreate,
            create,
            communicator,
            #"{"scopeVersionId": \#(fixture.scope.id), "ratePerSecond": 0}"#
        )
        _ = try await call(Routes.apiCampaignCreate, create, communicator, #"{"scopeVersionId": "one"}"#)
        _ = try await call(Routes.apiCampaignCreate, create, viewer, #"{"scopeVersionId": 1}"#)
        let made = try await call(
            Routes.apiCampaignCreate,
            create,
            communicator,
            #"{"scopeVersionId": \#(fixture.scope.id), "audience": "widened", "followUpOf": \#(fixture.campaign.id)}"#
        )
        #expect(made.status == .unprocessableContent, "nobody told less than exposed: \(WebTestApp.text(made))")
        let second = try await call(
            Routes.apiCampaignCreate,
            create,
            communicator,
            #"{"scopeVersionId": \#(fixture.scope.id), "ratePerSecond": 5.5, "concurrency": 2, "errorThreshold": 0.5}"#
        )
        #expect(second.status == .created, "\(WebTestApp.text(second))")
        let campaign = Routes.apiCampaign.path(id: fixture.campaign.id)
        _ = try await call(Routes.apiCampaign, campaign, viewer, nil)
        _ = try await call(Routes.apiCampaign, Routes.apiCampaign.path(id: 9999), viewer, nil)
        let recipients = Routes.apiCampaignRecipients.path(id: fixture.campaign.id)
        _ = try await call(Routes.apiCampaignRecipients, recipients, viewer, nil)
        _ = try await call(Routes.apiCampaignRecipients, recipients + "?state=skipped&limit=2", communicator, nil)
        _ = try await call(Routes.apiCampaignRecipients, recipients + "?state=lost", communicator, nil)
        _ = try await call(Routes.apiCampaignRecipients, recipients + "?limit=0", communicator, nil)
        _ = try await call(Routes.apiCampaignRecipients, Routes.apiCampaignRecipients.path(id: 9999), viewer, nil)
        let actions = Routes.apiCampaignAction.path(id: fixture.campaign.id)
        for (action, token) in [
            ("start", viewer), ("start", communicator), ("start", communicator), ("pause", communicator),
            ("resume", communicator), ("retry_failed", communicator), ("cancel", communicator),
            ("pause", communicator), ("retry_failed", communicator), ("explode", communicator),
        ] {
            _ = try await call(Routes.apiCampaignAction, actions, token, #"{"action": "\#(action)"}"#)
        }
        _ = try await call(Routes.apiCampaignAction, actions, communicator, "")
        _ = try await call(
            Routes.apiCampaignAction,
            Routes.apiCampaignAction.path(id: 9999),
            communicator,
            #"{"action": "start"}"#
        )
    }

    @Test func templatesAreCheckedAndApprovedByFourEyes() async throws {
        try await WebTestApp.run { app in
            _ = try await NoticeFixture.make(app)
            let writer = try await app.makeToken(.communicator).secret
            // A colleague's token: another token of the writer's own creator would be the same person.
            let other = try await app.makeToken(.communicator, createdBy: "colleague").secret
            let viewer = try await app.makeToken(.viewer).secret
            let before = try await app.store.noticeTemplates.versions(key: "malware", language: .en).count
            let refused = try await app.api(
                .post,
                Routes.apiNoticeTemplateCreate.path(),
                token: writer,
                json:
                    #"{"key": "malware", "language": "en", "subject": "Hi", "text": "a\nb\n{{#categories}}{{nme}}{{/categories}}", "html": "<p>x</p>"}"#
            )
            #expect(refused.status == .unprocessableContent)
            let (code, field) = try APIContractTests.error(refused)
            #expect(code == "invalid" && field == "text", "\(WebTestApp.text(refused))")
            #expect(WebTestApp.text(refused).contains("nme") && WebTestApp.text(refused).contains("3"))
            #expect(try await app.store.noticeTemplates.versions(key: "malware", language: .en).count == before)

            let created = try await app.api(
                .post,
                Routes.apiNoticeTemplateCreate.path(),
                token: writer,
                json:
                    #"{"key": "malware", "language": "en", "subject": "About {{incident_title}}", "text": "{{reference_code}}", "html": "<p>{{reference_code}}</p>"}"#
            )
            #expect(created.status == .created)
            let body = try WebTestApp.json(created)
            let id = try #require(body["id"] as? Int)
            #expect(body["approved"] as? Bool == false && body["subject"] as? String == "About {{incident_title}}")
            let path = Routes.apiNoticeTemplateApprove.path(id: Int64(id))
            let yes = #"{"approved": true}"#
            let own = try await app.api(.patch, path, token: writer, json: yes)
            let ownError = try APIContractTests.error(own)
            #expect(own.status == .conflict && ownError.field == "approved_by")
            #expect(try await app.api(.patch, path, token: viewer, json: yes).status == .forbidden)
            let withdrawn = try await app.api(.patch, path, token: other, json: #"{"approved": false}"#)
            #expect(withdrawn.status == .unprocessableContent)
            let approved = try await app.api(.patch, path, token: other, json: yes)
            let approvedBody = try WebTestApp.json(approved)
            #expect(approved.status == .ok && approvedBody["approved"] as? Bool == true)
            let list = try WebTestApp.json(try await app.api(.get, Routes.apiNoticeTemplates.path(), token: viewer))
            let items = try #require(list["items"] as? [[String: Any]])
            #expect(items.contains { $0["id"] as? Int == id } && items.allSatisfy { $0["html"] == nil })
        }
    }

    @Test func campaignsThroughTheAPIAndRecipientsShapedByRole() async throws {
        try await WebTestApp.run { app in
            let fixture = try await NoticeFixture.make(app)
            let sender = try await app.makeToken(.communicator).secret
            let campaign = Routes.apiCampaign.path(id: fixture.campaign.id)
            let read = try WebTestApp.json(try await app.api(.get, campaign, token: sender))
            #expect(read["state"] as? String == "ready" && read["recipients"] as? Int == 4)
            let progress = try #require(read["progress"] as? [String: Any])
            let counts = try #require(progress["counts"] as? [String: Int])
            #expect(counts["queued"] == 3 && counts["skipped"] == 1 && counts.count == OutboxState.allCases.count)
            #expect(progress["englishFallback"] as? Int == 1, "the Swedish customer gets English")

            let actions = Routes.apiCampaignAction.path(id: fixture.campaign.id)
            let start = #"{"action": "start"}"#
            let started = try await app.api(.post, actions, token: sender, json: start)
            let startedBody = try WebTestApp.json(started)
            #expect(started.status == .ok && startedBody["state"] as? String == "running")
            let again = try await app.api(.post, actions, token: sender, json: start)
            let againError = try APIContractTests.error(again)
            #expect(again.status == .conflict && againError.code == "transition_refused")

            let recipients = Routes.apiCampaignRecipients.path(id: fixture.campaign.id)
            for role in Role.allCases {
                let token = try await app.makeToken(role).secret
                let response = try await app.api(.get, recipients, token: token)
                #expect(response.status == .ok, "\(role)")
                let items = try #require(try WebTestApp.json(response)["items"] as? [[String: Any]])
                #expect(items.count == 4, "\(role)")
                let sees = AccessPolicy.shows(.customerIDs, to: role)
                #expect(items.allSatisfy { ($0["externalId"] != nil) == sees }, "\(role)")
                let text = WebTestApp.text(response)
                #expect(!text.contains("@example.com"), "\(role): never an address")
                if !sees { #expect(!text.contains("\"N1\""), "\(role)") }
            }
            let page = try WebTestApp.json(try await app.api(.get, recipients + "?limit=3", token: sender))
            let next = try #require(page["next"] as? Int)
            let rest = try WebTestApp.json(try await app.api(.get, recipients + "?after=\(next)", token: sender))
            #expect((rest["items"] as? [Any])?.count == 1 && rest["next"] == nil)
        }
    }
}
