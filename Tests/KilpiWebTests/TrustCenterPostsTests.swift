import Foundation
import HTTPTypes
import KilpiCore
import KilpiStore
import KilpiTestSupport
import Testing

@testable import KilpiWeb

/// The trust center's posts over HTTP: written and approved in the console by two people, shown on the public
/// pages in the reader's language, in Atom (parsed back by feedparser) and JSON, served from the page cache with
/// ETags and 304, and the cache cleared when something is published.
@Suite("Trust-center posts over HTTP")
struct TrustCenterPostsTests {
    static func incident(_ app: WebTestApp) async throws -> Incident {
        let commander = try await app.makeStaff(.responder)
        return try await app.store.incidents.declare(
            IncidentDraft(title: "Internal: SQLi in checkout by contractor", kinds: [.dataBreach], severity: .sev2),
            commanderID: commander.user.id,
            playbooks: [],
            actor: "test",
            now: app.clock.now
        )
    }

    /// Writes a draft as `writer` and approves it as `approver` through the console; returns its id.
    static func publish(
        _ app: WebTestApp,
        _ writer: WebTestApp.Login,
        _ approver: WebTestApp.Login,
        _ form: KeyValuePairs<String, String>
    ) async throws -> Int64 {
        let created = try await app.post(Routes.postCreate.path(), writer, form: form)
        #expect(created.status == .seeOther || created.status == .found, "\(WebTestApp.text(created).prefix(2000))")
        let location = try #require(created.headers[.location])
        let id = try #require(Int64(location.split(separator: "/").last ?? ""))
        let approved = try await app.post(Routes.postPublish.path(id: id), approver, form: try await version(app, id))
        #expect(approved.status == .seeOther || approved.status == .found)
        return id
    }

    /// The approval form's `version`: the writing time of the draft as the approver's page shows it.
    static func version(_ app: WebTestApp, _ id: Int64) async throws -> KeyValuePairs<String, String> {
        let post = try #require(try await app.store.posts.find(id: id))
        return ["version": "\(post.writtenAt.epochMilliseconds)"]
    }

    @Test(arguments: TestDatabases.engines)
    func postsAreWrittenApprovedAndShownPublicly(engine: SQLEngine) async throws {
        try await WebTestApp.run(engine) { app in
            let incident = try await Self.incident(app)
            let writer = try await app.login(try await app.makeStaff(.communicator, name: "Wendy Writer"))
            let approver = try await app.login(try await app.makeStaff(.communicator, name: "Pete Publisher"))
            // The writer cannot approve their own draft.
            let created = try await app.post(
                Routes.postCreate.path(),
                writer,
                form: [
                    "kind": "incident_update", "incident": "\(incident.id)", "language": "en",
                    "title": "What we know <script>alert(1)</script>",
                    "body":
                        "We found the cause.\n\n- passwords reset\n- [checked](javascript:alert(1))\n\n<img src=x onerror=alert(1)>",
                ]
            )
            let id = try #require(Int64(created.headers[.location]?.split(separator: "/").last ?? ""))
            let own = try await app.post(Routes.postPublish.path(id: id), writer, form: try await Self.version(app, id))
            #expect(own.status == .conflict && WebTestApp.text(own).contains("four eyes"))
            #expect(try await app.get(Routes.publicUpdate.path(id: id)).status == .notFound)
            #expect(
                try await app.post(Routes.postPublish.path(id: id), approver, form: try await Self.version(app, id))
                    .status == .seeOther
            )

            let page = try await app.get(Routes.publicUpdate.path(id: id))
            #expect(page.status == .ok)
            let html = WebTestApp.text(page)
            #expect(html.contains("What we know &lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(html.contains("<li>passwords reset</li>") && !html.contains("javascript:"))
            #expect(!html.contains("<img") && html.contains("&lt;img src=x onerror=alert(1)&gt;"))
            #expect(html.contains("<link rel=\"alternate\" type=\"application/atom+xml\""))
            // The incident's public page names it by kind and day, never by its internal title.
            let incidentPage = WebTestApp.text(try await app.get(Routes.publicIncident.path(id: incident.id)))
            #expect(incidentPage.contains("Data breach") && !incidentPage.contains("contractor"))
            #expect(incidentPage.contains("We are investigating what happened."))
            #expect(WebTestApp.text(try await app.get(Routes.publicUpdates.path())).contains("We found the cause."))

            // An advisory, in Finnish, shows on the advisories page with its severity; a Finnish reader sees it
            // first, an English one under "In other languages".
            let advisory = try await Self.publish(
                app,
                writer,
                approver,
                [
                    "kind": "advisory", "language": "fi", "title": "Päivitä sovellus",
                    "body": "Versio 2.1 korjaa vian.",
                    "severity": "critical", "products": "Aurora-sovellus",
                ]
            )
            let finnish = WebTestApp.text(
                try await app.get(Routes.publicAdvisories.path(), headers: [.acceptLanguage: "fi"])
            )
            #expect(finnish.contains("Päivitä sovellus") && finnish.contains("Kriittinen"))
            let update = try await Self.publish(
                app,
                writer,
                approver,
                ["kind": "update", "language": "fi", "title": "Kaksivaiheinen tunnistus", "body": "Nyt käytössä."]
            )
            let english = WebTestApp.text(try await app.get(Routes.publicUpdates.path()))
            let other = try #require(english.range(of: "In other languages"))
            #expect(english.range(of: "Kaksivaiheinen tunnistus")!.lowerBound > other.lowerBound)
            #expect(english.range(of: "What we know")!.lowerBound < other.lowerBound)

            // JSON: the same posts, the body as Markdown and sanitised HTML, open to any site.
            let json = try await app.get(Routes.publicUpdatesAPI.path())
            #expect(json.headers[HTTPField.Name("Access-Control-Allow-Origin")!] == "*")
            let decoded = try JSONSerialization.jsonObject(with: Data(json.body.readableBytesView)) as? [String: Any]
            let posts = try #require(decoded?["posts"] as? [[String: Any]])
            #expect(Set(posts.compactMap { $0["id"] as? Int64 }) == [id, update])
            #expect(posts.allSatisfy { !(($0["html"] as? String) ?? "").contains("<img") })
            let advisories =
                try JSONSerialization.jsonObject(
                    with: Data(try await app.get(Routes.publicAdvisoriesAPI.path()).body.readableBytesView)
                ) as? [String: Any]
            #expect((advisories?["posts"] as? [[String: Any]])?.first?["severity"] as? String == "critical")
            #expect((advisories?["posts"] as? [[String: Any]])?.first?["id"] as? Int64 == advisory)

            // Withdrawn: gone from the public site at once (the cache is cleared).
            #expect(try await app.post(Routes.postWithdraw.path(id: id), approver).status == .seeOther)
            #expect(try await app.get(Routes.publicUpdate.path(id: id)).status == .notFound)
            #expect(try await app.get(Routes.publicIncident.path(id: incident.id)).status == .notFound)
            #expect(!WebTestApp.text(try await app.get(Routes.publicUpdates.path())).contains("What we know"))
        }
    }

    @Test
    func pagesAreCachedWithETagsAnd304AndClearedOnPublish() async throws {
        // Kept for an hour, so that only a publish (never a slow machine) can end a kept page here.
        try await WebTestApp.run(configure: { $0.publicPageLifetime = .seconds(3_600) }) { app in
            let writerStaff = try await app.makeStaff(.communicator)
            let approverStaff = try await app.makeStaff(.communicator)
            let writer = try await app.login(writerStaff)
            let approver = try await app.login(approverStaff)
            let first = try await app.get(Routes.publicUpdates.path())
            let etag = try #require(first.headers[.eTag])
            #expect(first.headers[.cacheControl] == "public, max-age=30")
            #expect(first.headers[.vary] == "Accept-Language, Cookie")
            // Unchanged: 304 with no body, for the exact tag, a weak one or a list.
            for header in [etag, "W/\(etag)", "\"other\", \(etag)", "*"] {
                let again = try await app.get(Routes.publicUpdates.path(), headers: [.ifNoneMatch: header])
                #expect(again.status == .notModified && again.body.readableBytes == 0 && again.headers[.eTag] == etag)
            }
            #expect(try await app.get(Routes.publicUpdates.path(), headers: [.ifNoneMatch: "\"nope\""]).status == .ok)
            // A change written behind the web app's back (another process) is not seen while the page is kept…
            let direct = try await app.store.posts.draft(
                PostInput(kind: .update, language: .en, title: "Behind the back", body: "Text"),
                by: Caller(.user(writerStaff.user.id), ip: "127.0.0.1"),
                now: app.clock.now
            )
            _ = try await app.store.posts.publish(
                id: direct.id,
                seen: direct.writtenAt,
                by: Caller(.user(approverStaff.user.id), ip: "127.0.0.1"),
                now: app.clock.now
            )
            #expect(!WebTestApp.text(try await app.get(Routes.publicUpdates.path())).contains("Behind the back"))
            // …and a publish through the console clears the cache: both posts show, under a new ETag.
            _ = try await Self.publish(
                app,
                writer,
                approver,
                ["kind": "update", "language": "en", "title": "Through the console", "body": "Text"]
            )
            let after = try await app.get(Routes.publicUpdates.path(), headers: [.ifNoneMatch: etag])
            #expect(after.status == .ok && after.headers[.eTag] != etag)
            let text = WebTestApp.text(after)
            #expect(text.contains("Behind the back") && text.contains("Through the console"))
            // `?lang=` sets a cookie: that answer is private.
            let chosen = try await app.get(Routes.publicUpdates.path() + "?lang=sv")
            #expect(chosen.headers[.cacheControl] == "private, max-age=30")
            #expect(WebTestApp.text(chosen).contains("Uppdateringar"))
        }
    }

    @Test
    func aScheduledPostAppearsAtItsTimeThoughPagesAreCached() async throws {
        try await WebTestApp.run(configure: { $0.publicPageLifetime = .seconds(60) }) { app in
            let writer = try await app.login(try await app.makeStaff(.communicator))
            let approver = try await app.login(try await app.makeStaff(.communicator))
            // Scheduled a moment ahead in real time, so the page kept now expires when it goes out.
            let at = app.clock.now.addingTimeInterval(2)
            let id = try await Self.publish(
                app,
                writer,
                approver,
                [
                    "kind": "update", "language": "en", "title": "Scheduled news", "body": "Text",
                    "publish_at": ISO8601DateFormatter().string(from: at),
                ]
            )
            #expect(!WebTestApp.text(try await app.get(Routes.publicUpdates.path())).contains("Scheduled news"))
            #expect(try await app.get(Routes.publicUpdate.path(id: id)).status == .notFound)
            try await Task.sleep(for: .seconds(3))
            app.clock.advance(3)
            #expect(WebTestApp.text(try await app.get(Routes.publicUpdates.path())).contains("Scheduled news"))
        }
    }

    @Test
    func theAtomFeedsParseBackWithFeedparser() async throws {
        try await WebTestApp.run { app in
            let incident = try await Self.incident(app)
            let writer = try await app.login(try await app.makeStaff(.communicator))
            let approver = try await app.login(try await app.makeStaff(.communicator))
            let first = try await Self.publish(
                app,
                writer,
                approver,
                [
                    "kind": "incident_update", "incident": "\(incident.id)", "language": "fi",
                    "title": "Tilanne & <jatko>", "body": "Selvitämme **asiaa**.\u{1}",
                ]
            )
            app.clock.advance(60)
            let second = try await Self.publish(
                app,
                writer,
                approver,
                ["kind": "update", "language": "en", "title": "New protections", "body": "We added MFA."]
            )
            let feed = try await app.get(Routes.feedUpdates.path())
            #expect(feed.headers[.contentType] == "application/atom+xml; charset=utf-8")
            let file = try OpenAPIDocumentTests.temporaryFile("updates.atom", Data(feed.body.readableBytesView))
            let script = """
                import json, sys, feedparser
                d = feedparser.parse(sys.argv[1])
                print(json.dumps({"bozo": d.bozo, "version": d.version, "title": d.feed.title,
                    "entries": [{"id": e.id, "title": e.title, "lang": e.get("language") or e.title_detail.language,
                                 "content": e.content[0].value, "link": e.link} for e in d.entries]}))
                """
            let result = try OpenAPIDocumentTests.python(["-c", script, file.path])
            #expect(result.status == 0, "\(result.output)")
            let parsed = try #require(
                try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any]
            )
            #expect(parsed["bozo"] as? Bool == false && parsed["version"] as? String == "atom10")
            let entries = try #require(parsed["entries"] as? [[String: Any]])
            #expect(entries.map { $0["title"] as? String } == ["New protections", "Tilanne & <jatko>"])
            #expect(
                entries.map { $0["id"] as? String } == [
                    app.configuration.publicBaseURL + Routes.publicUpdate.path(id: second),
                    app.configuration.publicBaseURL + Routes.publicUpdate.path(id: first),
                ]
            )
            #expect((entries[1]["content"] as? String)?.contains("<strong>asiaa</strong>") == true)
            #expect(entries[1]["lang"] as? String == "fi")
            // The incident's own feed holds its update only; an incident with nothing public has none.
            let own = try await app.get(Routes.feedIncident.path(id: incident.id))
            #expect(
                own.status == .ok && WebTestApp.text(own).contains("Tilanne")
                    && !WebTestApp.text(own).contains("New protections")
            )
            #expect(try await app.get(Routes.feedIncident.path(id: 9_999)).status == .notFound)
            #expect(try await app.get(Routes.feedAdvisories.path()).status == .ok)
        }
    }

    @Test
    func guidesShipInThreeLanguagesAndAnEditedOneTakesOver() async throws {
        try await WebTestApp.run { app in
            for (language, title) in [("fi", "Tietojenkalastelu"), ("sv", "nätfiske"), ("en", "phishing")] {
                let list = try await app.get(Routes.publicGuides.path(), headers: [.acceptLanguage: language])
                #expect(list.status == .ok && WebTestApp.text(list).lowercased().contains(title.lowercased()))
                for topic in GuideTopic.allCases {
                    let page = try await app.get(
                        Routes.publicGuide.path(["id": topic.rawValue]),
                        headers: [.acceptLanguage: language]
                    )
                    #expect(page.status == .ok)
                    #expect(WebTestApp.text(page).contains("<article lang=\"\(language)\">"))
                }
            }
            #expect(try await app.get(Routes.publicGuide.path(["id": "astrology"])).status == .notFound)
            let writer = try await app.login(try await app.makeStaff(.communicator))
            let approver = try await app.login(try await app.makeStaff(.communicator))
            // The console's form starts from the shipped text.
            let form = WebTestApp.text(try await app.get(Routes.posts.path() + "?guide=malware&lang=sv", writer))
            #expect(form.contains(ShippedGuides.guide(.malware, .sv).title))
            _ = try await Self.publish(
                app,
                writer,
                approver,
                [
                    "kind": "guide", "topic": "malware", "language": "sv", "title": "Skadlig kod, vår version",
                    "body": "## Nytt\n\nText.",
                ]
            )
            let page = try await app.get(Routes.publicGuide.path(["id": "malware"]), headers: [.acceptLanguage: "sv"])
            #expect(WebTestApp.text(page).contains("Skadlig kod, vår version"))
            let english = try await app.get(
                Routes.publicGuide.path(["id": "malware"]),
                headers: [.acceptLanguage: "en"]
            )
            #expect(WebTestApp.text(english).contains(ShippedGuides.guide(.malware, .en).title))
        }
    }

    @Test
    func badFormsAreRefusedByFieldAndRolesHold() async throws {
        try await WebTestApp.run { app in
            let writer = try await app.login(try await app.makeStaff(.communicator))
            let agent = try await app.login(try await app.makeStaff(.agent))
            let refused = try await app.post(
                Routes.postCreate.path(),
                writer,
                form: [
                    "kind": "advisory", "language": "de", "title": "Kept title", "body": "B",
                    "publish_at": "2026-13-01T00:00",
                ]
            )
            #expect(refused.status == .badRequest)
            let text = WebTestApp.text(refused)
            for field in ["language", "severity", "publish_at"] {
                #expect(text.contains("id=\"\(field)-problems\""), "\(field)")
            }
            #expect(text.contains("value=\"Kept title\""))
            let huge = try await app.post(
                Routes.postCreate.path(),
                writer,
                form: [
                    "kind": "update", "language": "en", "title": "T",
                    "body": String(repeating: "x", count: PublicPost.bodyLimit + 1),
                ]
            )
            #expect(huge.status == .badRequest && WebTestApp.text(huge).contains("id=\"body-problems\""))
            #expect(
                try await app.post(
                    Routes.postCreate.path(),
                    agent,
                    form: ["kind": "update", "language": "en", "title": "T", "body": "B"]
                ).status
                    == .forbidden
            )
            let forged = try await app.post(
                Routes.postCreate.path(),
                form: ["kind": "update", "language": "en", "title": "T", "body": "B"],
                session: writer.sessionID
            )
            #expect(forged.status == .forbidden)
            #expect(try await app.store.posts.all().isEmpty)
            #expect(try await app.post(Routes.postPublish.path(id: 4_242), writer).status == .notFound)
            #expect(try await app.get(Routes.publicUpdate.path(id: 4_242)).status == .notFound)
        }
    }
}
