import Foundation
import KilpiCore
import KilpiTestSupport
import Testing

@testable import KilpiStore

@Suite("Public posts (incident updates for customers)")
struct PublicPostTests {
    @Test(arguments: TestDatabases.engines)
    func aDraftIsPublishedBySomeoneElseAndShownInTheReadersLanguage(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let w = try await NoticeWorld.build(f)
            let posts = f.store.posts
            let english = try await posts.draft(
                incidentID: w.incidentID,
                language: .en,
                title: "  Passwords reset\r\n<b>today</b> ",
                body: "We reset every password.\r\n\r\nSecond paragraph.",
                by: w.editor,
                now: f.now
            )
            #expect(english.state == .draft && english.title == "Passwords reset <b>today</b>")
            #expect(english.body == "We reset every password.\n\nSecond paragraph.")
            // Nobody reads a draft.
            #expect(try await posts.published(incidentID: w.incidentID, language: .en, now: f.now).isEmpty)
            // The writer cannot publish their own draft, nor through a token they made.
            await #expect(throws: PostError.self) {
                try await posts.publish(id: english.id, seen: english.writtenAt, by: w.editor, now: f.now)
            }
            f.clock.advance(60)
            let published = try await posts.publish(id: english.id, seen: english.writtenAt, by: w.approver, now: f.now)
            #expect(published.state == .published && published.publishedAt == f.now)
            #expect(published.publishedBy == w.approver.actor.description)
            await #expect(throws: PostError.self) {
                try await posts.publish(id: english.id, seen: english.writtenAt, by: w.approver, now: f.now)
            }
            // A Finnish reader sees the English update while there is no Finnish one, then only the Finnish one.
            #expect(
                try await posts.published(incidentID: w.incidentID, language: .fi, now: f.now).map(\.id) == [english.id]
            )
            let finnish = try await posts.draft(
                incidentID: w.incidentID,
                language: .fi,
                title: "Salasanat vaihdettu",
                body: "Vaihdoimme kaikki salasanat.",
                by: w.approver,
                now: f.now
            )
            _ = try await posts.publish(id: finnish.id, seen: finnish.writtenAt, by: w.editor, now: f.now)
            #expect(
                try await posts.published(incidentID: w.incidentID, language: .fi, now: f.now).map(\.id) == [finnish.id]
            )
            #expect(
                try await posts.published(incidentID: w.incidentID, language: .en, now: f.now).map(\.id) == [english.id]
            )
            // Withdrawn posts leave the customers' pages but stay in the console's list.
            _ = try await posts.withdraw(id: english.id, by: w.editor, now: f.now)
            #expect(try await posts.published(incidentID: w.incidentID, language: .en, now: f.now).isEmpty)
            #expect(
                try await posts.published(incidentID: w.incidentID, language: .fi, now: f.now).map(\.id) == [finnish.id]
            )
            #expect(try await posts.all(incidentID: w.incidentID).map(\.state) == [.published, .withdrawn])
            await #expect(throws: PostError.self) { try await posts.withdraw(id: english.id, by: w.editor, now: f.now) }
            #expect(
                try await f.auditActions().filter { $0.hasPrefix("post.") } == [
                    "post.draft", "post.publish", "post.draft", "post.publish", "post.withdraw",
                ]
            )
        }
    }

    @Test(arguments: TestDatabases.engines)
    func badInputIsRefusedByFieldAndWritesNothing(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let w = try await NoticeWorld.build(f)
            let posts = f.store.posts
            let cases: [(title: String, body: String, field: String)] = [
                ("", "text", "title"),
                ("\r\n\t", "text", "title"),
                (String(repeating: "x", count: PublicPost.titleLimit + 1), "text", "title"),
                ("Title", "  \n ", "body"),
                ("Title", String(repeating: "y", count: PublicPost.bodyLimit + 1), "body"),
            ]
            for bad in cases {
                do {
                    _ = try await posts.draft(
                        incidentID: w.incidentID,
                        language: .en,
                        title: bad.title,
                        body: bad.body,
                        by: w.editor,
                        now: f.now
                    )
                    Issue.record("accepted \(bad.field)")
                } catch let error as PostError {
                    #expect(error.problems.map(\.field) == [bad.field])
                    #expect(!error.message(in: .fi).isEmpty && error.message(in: .fi) != error.message(in: .en))
                }
            }
            await #expect(throws: PostError.self) {
                try await posts.draft(
                    incidentID: 999_999,
                    language: .en,
                    title: "T",
                    body: "B",
                    by: w.editor,
                    now: f.now
                )
            }
            await #expect(throws: PostError.self) {
                try await posts.publish(id: 12345, seen: f.now, by: w.editor, now: f.now)
            }
            #expect(try await f.database.rowCount("public_posts") == 0)
            #expect(try await f.auditActions().filter { $0.hasPrefix("post.") }.isEmpty)
        }
    }

    @Test(arguments: TestDatabases.engines)
    func parallelPublishesPublishOnce(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let w = try await NoticeWorld.build(f)
            let post = try await f.store.posts.draft(
                incidentID: w.incidentID,
                language: .en,
                title: "Update",
                body: "Text",
                by: w.editor,
                now: f.now
            )
            let outcomes = await withTaskGroup(of: Bool.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        (try? await f.store.posts.publish(id: post.id, seen: post.writtenAt, by: w.approver, now: f.now))
                            != nil
                    }
                }
                return await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 }.count == 1)
            #expect(try await f.auditActions().filter { $0 == "post.publish" }.count == 1)
        }
    }
}
