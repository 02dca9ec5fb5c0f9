import Foundation
import HTTPTypes
import HummingbirdTesting
import KilpiCore
import KilpiStore
import KilpiTestSupport
import Testing

@testable import KilpiWeb

/// The console's notice pages: templates (list, editor, four-eyes approval, preview as a customer), an incident's
/// campaigns, one campaign's controls, its recipients and the letter-shop CSV. Each page for the roles that may see
/// it and refused to the others; CSRF on every form; hostile customer names escaped and defused.
@Suite struct NoticeConsoleTests {
    static func isRedirect(_ response: TestResponse) -> Bool {
        response.status == .seeOther || response.status == .found
    }

    @Test func templatePagesForEveryRoleAndEditingOnlyForWriters() async throws {
        try await WebTestApp.run { app in
            let fixture = try await NoticeFixture.make(app)
            for role in Role.allCases {
                let login = try await app.login(try await app.makeStaff(role))
                let list = try await app.get(Routes.noticeTemplates.path(), login)
                #expect(list.status == .ok, "\(role)")
                let edit = try await app.get(
                    NoticeViews.editLink(key: "general", language: .en, version: fixture.english.version),
                    login
                )
                #expect(edit.status == .ok, "\(role)")
                let page = WebTestApp.text(edit)
                let writes = AccessPolicy.allows(role, .noticesEdit)
                #expect(page.contains("name=\"subject\"") == writes, "\(role): the editor only for writers")
                let save = try await app.post(
                    Routes.noticeTemplateSave.path(),
                    login,
                    form: ["key": "general", "language": "fi", "subject": "S", "text": "T", "html": "<p>H</p>"]
                )
                #expect(
                    writes ? Self.isRedirect(save) : save.status == .forbidden,
                    "\(role): \(save.status)"
                )
            }
            // The writers' saves are drafts; the approved version stays what campaigns use.
            let finnish = try await app.store.noticeTemplates.versions(key: "general", language: .fi)
            #expect(finnish.count == 1 + Role.allCases.filter { AccessPolicy.allows($0, .noticesEdit) }.count)
            #expect(finnish.first?.isApproved == false)
            #expect(try await app.store.noticeTemplates.approved(key: "general", language: .fi)?.version == 1)
            // A version that does not exist, an unknown key or language: 404.
            let viewer = try await app.login(try await app.makeStaff(.viewer))
            for path in [
                NoticeViews.editLink(key: "general", language: .en, version: 99),
                Routes.noticeTemplateEdit.path() + "?key=nonsense&language=en",
                Routes.noticeTemplateEdit.path() + "?key=general&language=de",
            ] {
                #expect(try await app.get(path, viewer).status == .notFound, "\(path)")
            }
        }
    }

    @Test func aTemplateWithAnUnknownVariableIsRefusedNamingThePartAndLineAndSavesNothing() async throws {
        try await WebTestApp.run { app in
            _ = try await NoticeFixture.make(app)
            let login = try await app.login(try await app.makeStaff(.communicator))
            let before = try await app.store.noticeTemplates.versions(key: "phishing", language: .en).count
            let audit = try await app.store.audit.entries(AuditFilter(actionPrefix: "notice.template_save")).count
            let typedSubject = "Hello </textarea><script>alert(1)</script> {{company_name}}"
            let response = try await app.post(
                Routes.noticeTemplateSave.path(),
                login,
                form: [
                    "key": "phishing", "language": "en", "subject": typedSubject,
                    "text": "Dear customer,\n{{incident_title}}\n",
                    "html": "<p>one</p>\n<p>two</p>\n<p>{{nonsense}}</p>\n",
                ]
            )
            #expect(response.status == .badRequest)
            let page = WebTestApp.text(response)
            // The problem is beside the HTML part and names the variable and the line.
            let htmlProblems = try #require(page.range(of: "id=\"html-problems\""), "\(page.prefix(3000))")
            let after = String(page[htmlProblems.upperBound...].prefix(400))
            #expect(after.contains("nonsense") && after.contains("3"), "\(after)")
            #expect(!page.contains("id=\"text-problems\""))
            // Everything typed is kept, escaped.
            #expect(page.contains("Hello &lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt; {{company_name}}"))
            #expect(!page.contains("<script>alert(1)"))
            #expect(page.contains("&lt;p&gt;{{nonsense}}&lt;/p&gt;"))
            // Nothing saved, nothing audited.
            #expect(try await app.store.noticeTemplates.versions(key: "phishing", language: .en).count == before)
            #expect(
                try await app.store.audit.entries(AuditFilter(actionPrefix: "notice.template_save")).count == audit
            )
        }
    }

    @Test func fourEyesTheWriterCannotApproveTheirOwnVersion() async throws {
        try await WebTestApp.run { app in
            _ = try await NoticeFixture.make(app)
            let writerStaff = try await app.makeStaff(.communicator)
            let writer = try await app.login(writerStaff)
            let saved = try await app.post(
                Routes.noticeTemplateSave.path(),
                writer,
                form: [
                    "key": "data_breach", "language": "en", "subject": "About {{incident_title}}",
                    "text": "Reference {{reference_code}}", "html": "<p>{{reference_code}}</p>",
                ]
            )
            #expect(Self.isRedirect(saved), "\(saved.status) \(WebTestApp.text(saved).prefix(2000))")
            let version = try #require(
                try await app.store.noticeTemplates.versions(key: "data_breach", language: .en).first
            )
            #expect(!version.isApproved && version.createdBy == "user:\(writerStaff.user.id)")

            // The writer's page has no Approve button, says why, and a forced POST is refused with that reason.
            let own = WebTestApp.text(try await app.get(try #require(saved.headers[.location]), writer))
            #expect(!own.contains(Routes.noticeTemplateApprove.path(id: version.id)))
            #expect(own.contains("someone else must approve it"))
            let refused = try await app.post(Routes.noticeTemplateApprove.path(id: version.id), writer)
            #expect(refused.status == .conflict)
            #expect(WebTestApp.text(refused).contains("four eyes"))
            #expect(try await app.store.noticeTemplates.find(id: version.id)?.isApproved == false)

            // In Finnish too.
            let finnish = try await WebTestApp.post(
                app,
                writer,
                Routes.noticeTemplateApprove.path(id: version.id),
                language: .fi,
                []
            )
            #expect(finnish.status == .conflict && WebTestApp.text(finnish).contains("neljän silmän"))

            // Someone else approves it, once.
            let other = try await app.login(try await app.makeStaff(.communicator))
            let page = WebTestApp.text(
                try await app.get(NoticeViews.editLink(key: "data_breach", language: .en), other)
            )
            #expect(page.contains(Routes.noticeTemplateApprove.path(id: version.id)))
            let approved = try await app.post(Routes.noticeTemplateApprove.path(id: version.id), other)
            #expect(approved.status == .ok && WebTestApp.text(approved).contains("is approved"))
            #expect(try await app.store.noticeTemplates.find(id: version.id)?.isApproved == true)
            #expect(try await app.post(Routes.noticeTemplateApprove.path(id: version.id), other).status == .conflict)
            #expect(
                try await app.store.audit.entries(AuditFilter(actionPrefix: "notice.template_approve")).contains {
                    $0.target == "notice_template:\(version.id)"
                }
            )
            // A viewer may not approve at all; an unknown version is 404.
            let viewer = try await app.login(try await app.makeStaff(.viewer))
            #expect(try await app.post(Routes.noticeTemplateApprove.path(id: version.id), viewer).status == .forbidden)
            #expect(try await app.post(Routes.noticeTemplateApprove.path(id: 9999), other).status == .notFound)
        }
    }

    @Test func formsWithoutTheCSRFTokenAreRefusedAndChangeNothing() async throws {
        try await WebTestApp.run { app in
            let fixture = try await NoticeFixture.make(app)
            let login = try await app.login(try await app.makeStaff(.communicator))
            let versions = try await app.store.noticeTemplates.latest().count
            let forms: [(String, KeyValuePairs<String, String>)] = [
                (
                    Routes.noticeTemplateSave.path(),
                    ["key": "general", "language": "en", "subject": "S", "text": "T", "html": "H"]
                ),
                (Routes.noticeTemplateApprove.path(id: fixture.english.id), [:]),
                (Routes.noticeTemplatePreview.path(id: fixture.english.id), ["incident": "1", "customer": "N1"]),
                (Routes.incidentCampaignCreate.path(id: fixture.incident.id), ["scope_version_id": "1"]),
                (Routes.campaignControl.path(id: fixture.campaign.id), ["action": "start"]),
                (Routes.campaignUnreachableCSV.path(id: fixture.campaign.id), [:]),
            ]
            for (path, form) in forms {
                for csrf in [nil, "forged"] {
                    var fields = form.map { ($0.key, $0.value) }
                    if let csrf { fields.append(("_csrf", csrf)) }
                    let response = try await app.request(
                        .post,
                        path,
                        headers: [.contentType: "application/x-www-form-urlencoded"],
                        cookies: [RouteRegistry.sessionCookie: login.sessionID],
                        body: WebTestApp.urlencode(fields)
                    )
                    #expect(response.status == .forbidden, "\(path) with \(csrf ?? "no token")")
                    #expect(!WebTestApp.text(response).contains("text/csv"))
                }
            }
            #expect(try await app.store.noticeTemplates.latest().count == versions)
            #expect(try await app.store.campaigns.find(id: fixture.campaign.id)?.state == .ready)
            #expect(try await app.store.campaigns.list(incidentID: fixture.incident.id).count == 1)
            #expect(try await app.store.audit.entries(AuditFilter(actionPrefix: "notice.preview")).isEmpty)
        }
    }

    @Test func previewAsACustomerIsSandboxedEscapedAndAudited() async throws {
        try await WebTestApp.run { app in
            let fixture = try await NoticeFixture.make(app)
            let login = try await app.login(try await app.makeStaff(.communicator))
            let response = try await app.post(
                Routes.noticeTemplatePreview.path(id: fixture.english.id),
                login,
                form: ["incident": String(fixture.incident.id), "customer": "N1"]
            )
            #expect(response.status == .ok, "\(WebTestApp.text(response).prefix(2000))")
            let page = WebTestApp.text(response)
            // The company's HTML only inside a sandboxed frame's srcdoc (escaped) and as escaped source.
            #expect(page.contains("<iframe sandbox srcdoc=\"&lt;"))
            #expect(page.filter { $0 == "<" }.count < 400)
            #expect(!page.contains("<script>alert"), "the hostile name never reaches the page as markup")
            // Inside the srcdoc the engine's escaping is escaped once more: the name is text twice over.
            #expect(page.contains("&amp;lt;script&amp;gt;"), "\(page.prefix(200))")
            // The text part shows the name escaped once.
            #expect(page.contains("Dear &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;,"))
            let customer = try #require(try await app.store.customers.find(externalID: "N1"))
            let audit = try await app.store.audit.entries(AuditFilter(actionPrefix: "notice.preview"))
            #expect(audit.count == 1 && audit.first?.target == "customer:\(customer.id)")
            let userID = try #require(try await login.userID(app))
            #expect(audit.first?.actor == "user:\(userID)")

            // Someone not affected, an unknown id: refused naming the field, nothing audited.
            for id in ["N9", "", String(repeating: "x", count: 300)] {
                let refused = try await app.post(
                    Routes.noticeTemplatePreview.path(id: fixture.english.id),
                    login,
                    form: ["incident": String(fixture.incident.id), "customer": id]
                )
                #expect(refused.status == .badRequest, "\(id)")
                #expect(WebTestApp.text(refused).contains("customer: "))
            }
            #expect(try await app.store.audit.entries(AuditFilter(actionPrefix: "notice.preview")).count == 1)
            // A role that may not see customer data may not preview.
            let viewer = try await app.login(try await app.makeStaff(.viewer))
            let forbidden = try await app.post(
                Routes.noticeTemplatePreview.path(id: fixture.english.id),
                viewer,
                form: ["incident": String(fixture.incident.id), "customer": "N1"]
            )
            #expect(forbidden.status == .forbidden)
        }
    }

    @Test func campaignsAreCreatedStartedPausedAndCancelledFromTheIncident() async throws {
        try await WebTestApp.run { app in
            let fixture = try await NoticeFixture.make(app)
            let communicator = try await app.login(try await app.makeStaff(.communicator))
            let viewer = try await app.login(try await app.makeStaff(.viewer))

            // The incident page links to its notices; every role sees the campaigns, only senders the form.
            let incident = WebTestApp.text(try await app.get(Routes.incident.path(id: fixture.incident.id), viewer))
            #expect(incident.contains(Routes.incidentCampaigns.path(id: fixture.incident.id)))
            let list = WebTestApp.text(
                try await app.get(Routes.incidentCampaigns.path(id: fixture.incident.id), viewer)
            )
            #expect(list.contains(Routes.campaign.path(id: fixture.campaign.id)))
            #expect(!list.contains("name=\"scope_version_id\""))
            #expect(list.contains("Shop breach &lt;script&gt;") && !list.contains("<script>alert"))
            let form = WebTestApp.text(
                try await app.get(Routes.incidentCampaigns.path(id: fixture.incident.id), communicator)
            )
            #expect(form.contains("name=\"scope_version_id\""))

            // A bad form comes back with what was typed and each problem by its field; nothing is made.
            let bad = try await app.post(
                Routes.incidentCampaignCreate.path(id: fixture.incident.id),
                communicator,
                form: [
                    "scope_version_id": String(fixture.scope.id), "audience": "all", "template_key": "general",
                    "rate": "fast<b>", "concurrency": "1000", "error_threshold": "0.2",
                ]
            )
            #expect(bad.status == .badRequest)
            let badPage = WebTestApp.text(bad)
            #expect(badPage.contains("id=\"rate-problems\"") && badPage.contains("value=\"fast&lt;b&gt;\""))
            let follow = try await app.post(
                Routes.incidentCampaignCreate.path(id: fixture.incident.id),
                communicator,
                form: [
                    "scope_version_id": String(fixture.scope.id), "audience": "added", "template_key": "general",
                    "rate": "10", "concurrency": "1000", "error_threshold": "0.2",
                ]
            )
            #expect(follow.status == .badRequest)
            let followPage = WebTestApp.text(follow)
            #expect(followPage.contains("id=\"concurrency-problems\""), "\(followPage.prefix(3000))")
            // A follow-up that reaches nobody new: refused beside the audience, in the reader's language. (Widened:
            // N3 was skipped, told nothing, so an `added` follow-up would list N3 for the letter shop again.)
            let nobody = try await WebTestApp.post(
                app,
                communicator,
                Routes.incidentCampaignCreate.path(id: fixture.incident.id),
                language: .sv,
                [
                    ("scope_version_id", String(fixture.scope.id)), ("audience", "widened"),
                    ("follow_up_of", String(fixture.campaign.id)), ("template_key", "general"), ("rate", "10"),
                    ("concurrency", "2"), ("error_threshold", "0.2"),
                ]
            )
            #expect(nobody.status == .badRequest)
            let nobodyPage = WebTestApp.text(nobody)
            #expect(nobodyPage.contains("id=\"audience-problems\""), "\(nobodyPage.prefix(3000))")
            #expect(nobodyPage.contains("<html lang=\"sv\">") && nobodyPage.contains("Skapa kampanj"))
            #expect(try await app.store.campaigns.list(incidentID: fixture.incident.id).count == 1)

            // The viewer sees progress but no controls, and may not use them.
            let page = WebTestApp.text(try await app.get(Routes.campaign.path(id: fixture.campaign.id), viewer))
            #expect(page.contains("<progress") && !page.contains(Routes.campaignControl.path(id: fixture.campaign.id)))
            let refused = try await app.post(
                Routes.campaignControl.path(id: fixture.campaign.id),
                viewer,
                form: ["action": "start"]
            )
            #expect(refused.status == .forbidden)

            // The communicator starts, pauses, resumes and cancels; a refused move says why.
            func control(_ action: String) async throws -> TestResponse {
                try await app.post(
                    Routes.campaignControl.path(id: fixture.campaign.id),
                    communicator,
                    form: ["action": action]
                )
            }
            #expect(Self.isRedirect(try await control("start")))
            #expect(try await app.store.campaigns.find(id: fixture.campaign.id)?.state == .running)
            let twice = try await control("start")
            #expect(twice.status == .conflict && WebTestApp.text(twice).contains("cannot move to running"))
            #expect(Self.isRedirect(try await control("pause")))
            #expect(try await app.store.campaigns.find(id: fixture.campaign.id)?.state == .paused)
            #expect(Self.isRedirect(try await control("resume")))
            #expect(Self.isRedirect(try await control("cancel")))
            #expect(try await app.store.campaigns.find(id: fixture.campaign.id)?.state == .cancelled)
            #expect(try await control("retry_failed").status == .conflict)
            #expect(try await control("explode").status == .badRequest)
            let moves = try await app.store.audit.entries(AuditFilter(actionPrefix: "notice"))
            #expect(Set(moves.map(\.action)).isSuperset(of: ["notice.campaign_start", "notice.campaign_cancel"]))
            #expect(try await app.get(Routes.campaign.path(id: 9999), viewer).status == .notFound)

            // A good form makes a campaign and goes to its page.
            let made = try await app.post(
                Routes.incidentCampaignCreate.path(id: fixture.incident.id),
                communicator,
                form: [
                    "scope_version_id": String(fixture.scope.id), "audience": "all", "template_key": "general",
                    "rate": "50", "concurrency": "2", "error_threshold": "0.1",
                ]
            )
            #expect(Self.isRedirect(made), "\(WebTestApp.text(made).prefix(2000))")
            let campaigns = try await app.store.campaigns.list(incidentID: fixture.incident.id)
            let newest = try #require(campaigns.max { $0.id < $1.id })
            #expect(newest.settings.ratePerSecond == 50 && newest.settings.concurrency == 2)
            #expect(made.headers[.location] == Routes.campaign.path(id: newest.id))
        }
    }

    @Test func recipientsShowWhoOnlyToRolesThatSeeCustomersAndTheLetterShopCSVIsDefused() async throws {
        try await WebTestApp.run { app in
            let fixture = try await NoticeFixture.make(app)
            let communicator = try await app.login(try await app.makeStaff(.communicator))
            let viewer = try await app.login(try await app.makeStaff(.viewer))
            let path = Routes.campaignRecipients.path(id: fixture.campaign.id)

            let seen = WebTestApp.text(try await app.get(path, communicator))
            #expect(seen.contains("n1@example.com") && seen.contains(">N3<"))
            #expect(try await app.store.audit.entries(AuditFilter(actionPrefix: "exposure.view")).count == 1)
            let hidden = WebTestApp.text(try await app.get(path, viewer))
            #expect(!hidden.contains("n1@example.com") && !hidden.contains(">N1<") && !hidden.contains(">N3<"))
            #expect(hidden.contains("Skipped (no email)"))
            let skipped = WebTestApp.text(try await app.get(path + "?state=skipped", communicator))
            #expect(skipped.contains(">N3<") && !skipped.contains(">N1<"))
            #expect(try await app.get(path + "?state=lost", communicator).status == .notFound)

            // The letter-shop list: who no email reaches, formulas defused, the download audited.
            let csv = try await app.post(Routes.campaignUnreachableCSV.path(id: fixture.campaign.id), communicator)
            #expect(csv.status == .ok && csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            let text = WebTestApp.text(csv)
            let lines = text.split(separator: "\r\n")
            #expect(lines.first == "external_id,name,email,phone,language,country,region,reason,last_reply")
            #expect(lines.count == 2, "\(text)")
            #expect(text.contains("N3,\"'=HYPERLINK(\"\"http://evil.example/\"\",\"\"click\"\")\""), "\(text)")
            #expect(text.contains("no_email"))
            let exports = try await app.store.audit.entries(AuditFilter(actionPrefix: "exposure.export"))
            #expect(exports.count == 1 && exports.first?.detail.contains("campaign:\(fixture.campaign.id)") == true)
            #expect(!(exports.first?.detail.contains("N3") ?? true))
            // Roles without the bulk export may not download it.
            for role in [Role.viewer, .agent] {
                let login = try await app.login(try await app.makeStaff(role))
                let refused = try await app.post(Routes.campaignUnreachableCSV.path(id: fixture.campaign.id), login)
                #expect(refused.status == .forbidden, "\(role)")
            }
        }
    }

    @Test func progressTimeToNotifyAndRetryAfterWorkersReportResults() async throws {
        try await WebTestApp.run { app in
            let fixture = try await NoticeFixture.make(app)
            let communicator = try await app.login(try await app.makeStaff(.communicator))
            let start = try await app.post(
                Routes.campaignControl.path(id: fixture.campaign.id),
                communicator,
                form: ["action": "start"]
            )
            #expect(Self.isRedirect(start))
            // A worker sends N1's notice and N2's bounces for good (the real outbox, as the delivery worker uses it).
            app.clock.advance(600)
            let claims = try await app.store.outbox.claim(worker: "w1", limit: 10, leaseSeconds: 60, now: app.clock.now)
            #expect(claims.count == 3)
            let ids = try await app.store.customers.find(ids: claims.map(\.customerID)).mapValues(\.externalID)
            let results: [(rowID: Int64, result: OutboxResult)] = claims.compactMap { claim in
                switch ids[claim.customerID] {
                case "N1": (claim.rowID, .sent(reply: "250 2.0.0 Ok", messageID: "<m1@example.com>"))
                case "N2": (claim.rowID, .bounced(reply: "550 5.1.1 <n2@example.com>: no such user"))
                default: nil
                }
            }
            try await app.store.outbox.record(results, worker: "w1", now: app.clock.now)
            let page = WebTestApp.text(
                try await app.get(Routes.campaign.path(id: fixture.campaign.id), communicator)
            )
            #expect(page.contains("value=\"retry_failed\""), "a bounce can be retried")
            #expect(
                page.contains("<dt>p50</dt><dd>1 h 10 min</dd>"),
                "aware 1 h before creation, sent 10 min later"
            )
            let list = WebTestApp.text(
                try await app.get(Routes.incidentCampaigns.path(id: fixture.incident.id), communicator)
            )
            #expect(list.contains("1 h 10 min / 1 h 10 min"))
            let replies = WebTestApp.text(
                try await app.get(
                    Routes.campaignRecipients.path(id: fixture.campaign.id) + "?state=bounced",
                    communicator
                )
            )
            #expect(replies.contains("550 5.1.1 &lt;[address]&gt;: no such user") && replies.contains(">N2<"))
            // The bounced customer joins the letter-shop list.
            let csv = WebTestApp.text(
                try await app.post(Routes.campaignUnreachableCSV.path(id: fixture.campaign.id), communicator)
            )
            #expect(csv.split(separator: "\r\n").count == 3 && csv.contains("N2,") && csv.contains(",bounced,"))
            let retried = try await app.post(
                Routes.campaignControl.path(id: fixture.campaign.id),
                communicator,
                form: ["action": "retry_failed"]
            )
            #expect(retried.status == .ok && WebTestApp.text(retried).contains("1 notice(s) queued again."))
        }
    }

    @Test func hostileNamesAreEscapedOnEveryNoticePage() async throws {
        try await WebTestApp.run { app in
            let fixture = try await NoticeFixture.make(app)
            let admin = try await app.login(try await app.makeStaff(.admin))
            let pages = [
                Routes.noticeTemplates.path(), NoticeViews.editLink(key: "general", language: .en),
                Routes.incidentCampaigns.path(id: fixture.incident.id), Routes.campaign.path(id: fixture.campaign.id),
                Routes.campaignRecipients.path(id: fixture.campaign.id),
            ]
            for path in pages {
                let response = try await app.get(path, admin)
                #expect(response.status == .ok, "\(path)")
                let page = WebTestApp.text(response)
                #expect(!page.contains("<script>"), "\(path)")
                #expect(!page.contains("DROP TABLE customers;--\""), "\(path)")
            }
            // In Swedish too, the pages are Swedish.
            let swedish = try await app.request(
                .get,
                Routes.campaign.path(id: fixture.campaign.id),
                cookies: [RouteRegistry.sessionCookie: admin.sessionID, "kilpi_lang": "sv"]
            )
            #expect(WebTestApp.text(swedish).contains("Meddelanden per status"))
        }
    }
}

extension WebTestApp.Login {
    /// The signed-in user's id, from the session.
    func userID(_ app: WebTestApp) async throws -> Int64? {
        try await app.store.sessions.find(id: sessionID, now: app.clock.now, idleTimeout: 3600)?.userID
    }
}
