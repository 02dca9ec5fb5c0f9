import Foundation
import HTTPTypes
import KilpiCore
import KilpiStore
import KilpiTestSupport
import Testing

@testable import KilpiWeb

@Suite("Incident updates for customers in the console")
struct IncidentUpdatesConsoleTests {
    static func incident(_ app: WebTestApp) async throws -> Incident {
        let commander = try await app.makeStaff(.responder)
        return try await app.store.incidents.declare(
            IncidentDraft(title: "Shop breach", kinds: [.dataBreach], severity: .sev2),
            commanderID: commander.user.id,
            playbooks: try await app.store.playbooks.all(),
            actor: "test",
            now: app.clock.now
        )
    }

    @Test(arguments: TestDatabases.engines)
    func oneCommunicatorWritesAnotherPublishesAndTextStaysText(engine: SQLEngine) async throws {
        try await WebTestApp.run(engine) { app in
            let incident = try await Self.incident(app)
            let writer = try await app.login(try await app.makeStaff(.communicator, name: "Wendy Writer"))
            let publisher = try await app.login(try await app.makeStaff(.communicator, name: "Pete Publisher"))
            let path = Routes.incidentUpdates.path(id: incident.id)
            let created = try await app.post(
                Routes.incidentUpdateCreate.path(id: incident.id),
                writer,
                form: [
                    "language": "fi", "title": "<script>alert(1)</script>",
                    "body": "Line one\nline two\n\n=HYPERLINK(\"x\")",
                ]
            )
            #expect(created.status == .seeOther || created.status == .found)
            let post = try #require(try await app.store.posts.all(incidentID: incident.id).first)
            #expect(post.state == .draft && post.language == .fi)
            let page = WebTestApp.text(try await app.get(path, writer))
            #expect(
                !page.contains("<script>alert(1)</script>") && page.contains("&lt;script&gt;alert(1)&lt;/script&gt;")
            )
            // The body is Markdown: two paragraphs, the formula kept as text.
            #expect(page.contains("<p>=HYPERLINK(") && page.contains("<p>Line one"))
            #expect(page.contains("Wendy Writer"))
            // The publish form carries the version of the text on the page.
            let version = try #require(
                page.firstMatch(of: /name="version" value="(\d+)"/).map { String($0.output.1) }
            )
            #expect(version == "\(post.writtenAt.epochMilliseconds)")
            // Without it nothing is published: the approver must say which text they read.
            let unread = try await app.post(Routes.updatePublish.path(id: post.id), publisher)
            #expect(unread.status == .conflict && WebTestApp.text(unread).contains("which version"))
            // The writer's own publish is refused with the four-eyes reason, and nothing changes.
            let own = try await app.post(Routes.updatePublish.path(id: post.id), writer, form: ["version": version])
            #expect(own.status == .conflict)
            #expect(WebTestApp.text(own).contains("four eyes"))
            #expect(try await app.store.posts.find(id: post.id)?.state == .draft)
            let published = try await app.post(
                Routes.updatePublish.path(id: post.id),
                publisher,
                form: ["version": version]
            )
            #expect(published.status == .seeOther || published.status == .found)
            #expect(
                try await app.store.posts.published(incidentID: incident.id, language: .fi, now: app.clock.now).map(
                    \.id
                ) == [post.id]
            )
            #expect(WebTestApp.text(try await app.get(path, writer)).contains("Pete Publisher"))
        }
    }

    @Test(arguments: TestDatabases.engines)
    func rolesAndBadInput(engine: SQLEngine) async throws {
        try await WebTestApp.run(engine) { app in
            let incident = try await Self.incident(app)
            let agent = try await app.login(try await app.makeStaff(.agent))
            let viewer = try await app.login(try await app.makeStaff(.viewer))
            let communicator = try await app.login(try await app.makeStaff(.communicator))
            let create = Routes.incidentUpdateCreate.path(id: incident.id)
            // Agents and viewers read the page but write nothing; the form is not offered to them.
            let agentPage = try await app.get(Routes.incidentUpdates.path(id: incident.id), agent)
            #expect(agentPage.status == .ok && !WebTestApp.text(agentPage).contains("action=\"\(create)\""))
            #expect(
                try await app.post(create, agent, form: ["language": "en", "title": "T", "body": "B"]).status
                    == .forbidden
            )
            #expect(
                try await app.post(create, viewer, form: ["language": "en", "title": "T", "body": "B"]).status
                    == .forbidden
            )
            // Bad fields come back named, with what was typed, and nothing is saved.
            let empty = try await app.post(
                create,
                communicator,
                form: ["language": "en", "title": "Kept", "body": "  "]
            )
            #expect(empty.status == .badRequest)
            let text = WebTestApp.text(empty)
            #expect(text.contains("id=\"body-problems\"") && text.contains("value=\"Kept\""))
            let language = try await app.post(
                create,
                communicator,
                form: ["language": "de", "title": "T", "body": "B"]
            )
            #expect(language.status == .badRequest && WebTestApp.text(language).contains("id=\"language-problems\""))
            // A missing CSRF token is refused.
            let forged = try await app.post(
                create,
                form: ["language": "en", "title": "T", "body": "B"],
                session: communicator.sessionID
            )
            #expect(forged.status == .forbidden)
            #expect(try await app.store.posts.all(incidentID: incident.id).isEmpty)
            #expect(try await app.get(Routes.incidentUpdates.path(id: 99_999), communicator).status == .notFound)
            #expect(try await app.post(Routes.updatePublish.path(id: 99_999), communicator).status == .notFound)
        }
    }
}
