import Foundation
import KilpiCore
import KilpiTestSupport
import Testing

@testable import KilpiStore

/// The trust center's publishing: four-eyes approval of every kind, scheduled posts, incident updates held until
/// the notice campaign has reached its share (or the latest time), corrections that keep the earlier text, and
/// the form's checks.
@Suite("Trust-center posts: publishing, schedules, holds, corrections")
struct TrustCenterPostTests {
    static func input(_ fields: [String: String]) throws -> PostInput {
        let checked = PostInput.checked(fields)
        #expect(checked.problems.isEmpty, "\(checked.problems)")
        return try #require(checked.input)
    }

    @Test(arguments: TestDatabases.engines)
    func aScheduledPostIsPublicFromItsTimeOnly(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            _ = try await NoticeWorld.build(f)
            let at = f.now.addingTimeInterval(3_600)
            let draft = try await f.store.posts.draft(
                try Self.input([
                    "kind": "advisory", "language": "en", "title": "Update your app",
                    "body": "Version **2.1** fixes it.",
                    "severity": "high", "products": "Aurora app for Android", "publish_at": NoticeDate.minute(at),
                ]),
                by: NoticeWorld.editor,
                now: f.now
            )
            #expect(draft.severity == .high && draft.products == "Aurora app for Android" && draft.publishAt == at)
            let approved = try await f.store.posts.publish(
                id: draft.id,
                seen: f.now,
                by: NoticeWorld.approver,
                now: f.now
            )
            #expect(approved.releasedAt == at && approved.isWaiting(at: f.now))
            #expect(try await f.store.posts.publicPosts(kinds: [.advisory], now: f.now).isEmpty)
            #expect(try await f.store.posts.publicPost(id: draft.id, now: f.now) == nil)
            #expect(try await f.store.posts.nextRelease(after: f.now) == at)
            // Corrected before it goes out: the text is replaced, and no earlier version or note is shown.
            _ = try await f.store.posts.correct(
                id: draft.id,
                title: "Update your app now",
                body: "Version 2.2 fixes it.",
                note: "Newer version",
                by: NoticeWorld.editor,
                now: f.now
            )
            let replaced = try await f.store.posts.approveCorrection(
                id: draft.id,
                seen: f.now,
                by: NoticeWorld.approver,
                now: f.now
            )
            #expect(replaced.title == "Update your app now" && replaced.correctedAt == nil && replaced.revision == 1)
            #expect(try await f.store.posts.history(id: draft.id).isEmpty)
            f.clock.advance(3_600)
            #expect(try await f.store.posts.publicPosts(kinds: [.advisory], now: f.now).map(\.id) == [draft.id])
            #expect(try await f.store.posts.nextRelease(after: f.now) == nil)
            // A schedule already past when approved goes out at the approval.
            let late = try await f.store.posts.draft(
                try Self.input([
                    "kind": "update", "language": "fi", "title": "MFA",
                    "body": "Otimme käyttöön kaksivaiheisen tunnistuksen.",
                    "publish_at": "2020-01-01T00:00",
                ]),
                by: NoticeWorld.editor,
                now: f.now
            )
            #expect(
                try await f.store.posts.publish(id: late.id, seen: late.writtenAt, by: NoticeWorld.approver, now: f.now)
                    .releasedAt == f.now
            )
        }
    }

    @Test(arguments: TestDatabases.engines)
    func aHeldUpdateWaitsForItsCustomersToHearFirst(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let w = try await NoticeWorld.build(f)
            let campaign = try await w.service.createCampaign(
                incidentID: w.incidentID,
                scopeVersionID: w.v1,
                settings: NoticeCampaignSettings(errorThreshold: 0),
                by: w.editor,
                now: f.now
            )
            // 8 recipients, 2 without a usable address: 6 reachable by email; half is 3.
            let until = f.now.addingTimeInterval(86_400)
            let held = try await f.store.posts.draft(
                try Self.input([
                    "kind": "incident_update", "incident": "\(w.incidentID)", "language": "en", "title": "What we know",
                    "body": "We found the cause.", "hold_campaign": "\(campaign.id)", "hold_share": "50%",
                    "hold_until": NoticeDate.minute(until),
                ]),
                by: w.editor,
                now: f.now
            )
            let approved = try await f.store.posts.publish(
                id: held.id,
                seen: held.writtenAt,
                by: w.approver,
                now: f.now
            )
            #expect(approved.hold?.share == 50 && approved.releasedAt == until)
            #expect(try await f.store.posts.releaseHeld(now: f.now) == 0)
            #expect(try await f.store.posts.publicIncidentIDs(now: f.now).isEmpty)
            // The incident's customers see it on their support pages at once: they have their notice.
            #expect(
                try await f.store.posts.published(incidentID: w.incidentID, language: .en, now: f.now).map(\.id) == [
                    held.id
                ]
            )

            _ = try await w.service.start(campaignID: campaign.id, by: w.editor, now: f.now)
            let claims = try await f.store.outbox.claim(worker: "a", limit: 10, leaseSeconds: 600, now: f.now)
            try await f.store.outbox.record(
                [
                    (claims[0].rowID, .sent(reply: "250 ok", messageID: "<0@k>")),
                    (claims[1].rowID, .sent(reply: "250 ok", messageID: "<1@k>")),
                    (claims[2].rowID, .deferred(reply: "451 later", retryAt: f.now.addingTimeInterval(600))),
                ],
                worker: "a",
                now: f.now
            )
            // Two of six is not half.
            #expect(try await f.store.posts.releaseHeld(now: f.now) == 0)
            #expect(try await f.store.posts.publicPost(id: held.id, now: f.now) == nil)
            try await f.store.outbox.record(
                [(claims[3].rowID, .sent(reply: "250 ok", messageID: "<3@k>"))],
                worker: "a",
                now: f.now
            )
            f.clock.advance(60)
            #expect(try await f.store.posts.releaseHeld(now: f.now) == 1)
            #expect(try await f.store.posts.publicPost(id: held.id, now: f.now)?.releasedAt == f.now)
            #expect(try await f.store.posts.publicIncidentIDs(now: f.now) == [w.incidentID])
            #expect(try await f.store.posts.releaseHeld(now: f.now) == 0)
            #expect(try await f.auditActions().filter { $0 == "post.release" }.count == 1)

            // A second held update whose campaign never gets going goes out at its latest time all the same.
            let other = try await f.store.posts.draft(
                try Self.input([
                    "kind": "incident_update", "incident": "\(w.incidentID)", "language": "fi", "title": "Tilanne",
                    "body": "Selvitys jatkuu.", "hold_campaign": "\(campaign.id)", "hold_share": "100",
                    "hold_until": NoticeDate.minute(f.now.addingTimeInterval(7_200)),
                ]),
                by: w.approver,
                now: f.now
            )
            _ = try await f.store.posts.publish(id: other.id, seen: other.writtenAt, by: w.editor, now: f.now)
            #expect(try await f.store.posts.publicPost(id: other.id, now: f.now) == nil)
            f.clock.advance(7_200)
            #expect(try await f.store.posts.publicPost(id: other.id, now: f.now) != nil)
        }
    }

    @Test(arguments: TestDatabases.engines)
    func aCorrectionIsApprovedBySomeoneElseAndKeepsTheEarlierText(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            _ = try await NoticeWorld.build(f)
            let posts = f.store.posts
            let post = try await posts.draft(
                try Self.input([
                    "kind": "update", "language": "en", "title": "Backups", "body": "We back up every 24 hours.",
                ]),
                by: NoticeWorld.editor,
                now: f.now
            )
            // The approver edits the draft: now they are its last writer and the first writer approves.
            let edited = try await posts.edit(
                id: post.id,
                try Self.input([
                    "kind": "update", "language": "en", "title": "Backups", "body": "We back up every 12 hours.",
                ]),
                by: NoticeWorld.approver,
                now: f.now.addingTimeInterval(60)
            )
            #expect(edited.writtenBy == NoticeWorld.approver.actor.description)
            await #expect(throws: PostError.self) {
                try await posts.publish(id: post.id, seen: edited.writtenAt, by: NoticeWorld.approver, now: f.now)
            }
            // Approving the version read before the edit is refused: the edit has not been read.
            do {
                _ = try await posts.publish(id: post.id, seen: post.writtenAt, by: NoticeWorld.editor, now: f.now)
                Issue.record("an unread edit was approved")
            } catch let error as PostError {
                #expect(error.problems.contains { $0.description(in: .en).contains("changed after you opened it") })
            }
            #expect(try await posts.find(id: post.id)?.state == .draft)
            _ = try await posts.publish(id: post.id, seen: edited.writtenAt, by: NoticeWorld.editor, now: f.now)
            // Published: no more editing, only correcting.
            await #expect(throws: PostError.self) {
                try await posts.edit(
                    id: post.id,
                    try Self.input(["kind": "update", "language": "en", "title": "X", "body": "Y"]),
                    by: NoticeWorld.editor,
                    now: f.now
                )
            }
            do {
                _ = try await posts.correct(
                    id: post.id,
                    title: "Backups",
                    body: "B",
                    note: " ",
                    by: NoticeWorld.editor,
                    now: f.now
                )
                Issue.record("a correction without a note was accepted")
            } catch let error as PostError {
                #expect(error.problems.map(\.field) == ["note"])
            }
            f.clock.advance(600)
            let pending = try await posts.correct(
                id: post.id,
                title: "Backups",
                body: "We back up every 6 hours.",
                note: "The interval was wrong.",
                by: NoticeWorld.editor,
                now: f.now
            )
            // Until approved, the public still reads the approved text.
            #expect(
                pending.body == "We back up every 12 hours."
                    && pending.pendingCorrection?.note == "The interval was wrong."
            )
            await #expect(throws: PostError.self) {
                try await posts.approveCorrection(id: post.id, seen: f.now, by: NoticeWorld.editor, now: f.now)
            }
            let corrected = try await posts.approveCorrection(
                id: post.id,
                seen: f.now,
                by: NoticeWorld.approver,
                now: f.now
            )
            #expect(corrected.body == "We back up every 6 hours." && corrected.revision == 2)
            #expect(corrected.correctedAt == f.now && corrected.correctionNote == "The interval was wrong.")
            #expect(corrected.pendingCorrection == nil)
            let history = try await posts.history(id: post.id)
            #expect(history.map(\.revision) == [1] && history.first?.body == "We back up every 12 hours.")
            await #expect(throws: PostError.self) {
                try await posts.approveCorrection(id: post.id, seen: f.now, by: NoticeWorld.approver, now: f.now)
            }
            #expect(
                try await f.auditActions().filter { $0.hasPrefix("post.") } == [
                    "post.draft", "post.edit", "post.publish", "post.correct", "post.correction_approve",
                ]
            )
        }
    }

    @Test(arguments: TestDatabases.engines)
    func anEditedGuideReplacesTheShippedOneInItsLanguage(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            _ = try await NoticeWorld.build(f)
            #expect(try await f.store.posts.guide(.phishing, language: .sv, now: f.now) == nil)
            let guide = try await f.store.posts.draft(
                try Self.input([
                    "kind": "guide", "topic": "phishing", "language": "sv", "title": "Nätfiske",
                    "body": "## Tecken\n\nText.",
                    "incident": "",
                ]),
                by: NoticeWorld.editor,
                now: f.now
            )
            _ = try await f.store.posts.publish(
                id: guide.id,
                seen: guide.writtenAt,
                by: NoticeWorld.approver,
                now: f.now
            )
            #expect(try await f.store.posts.guide(.phishing, language: .sv, now: f.now)?.id == guide.id)
            #expect(try await f.store.posts.guide(.phishing, language: .fi, now: f.now) == nil)
            // Guides are not updates.
            #expect(try await f.store.posts.publicPosts(kinds: [.update, .advisory], now: f.now).isEmpty)
            _ = try await f.store.posts.withdraw(id: guide.id, by: NoticeWorld.approver, now: f.now)
            #expect(try await f.store.posts.guide(.phishing, language: .sv, now: f.now) == nil)
        }
    }

    @Test(arguments: TestDatabases.engines)
    func holdsAndReferencesAreChecked(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let w = try await NoticeWorld.build(f)
            let commander = try await f.user("other@example.fi")
            let otherIncident = try await f.store.incidents.declare(
                IncidentDraft(title: "Other", kinds: [.phishing], severity: .sev3),
                commanderID: commander.id,
                playbooks: [],
                actor: "test",
                now: f.now
            )
            let campaign = try await w.service.createCampaign(
                incidentID: w.incidentID,
                scopeVersionID: w.v1,
                by: w.editor,
                now: f.now
            )
            // A hold on another incident's campaign is refused by name.
            do {
                _ = try await f.store.posts.draft(
                    try Self.input([
                        "kind": "incident_update", "incident": "\(otherIncident.id)", "language": "en", "title": "T",
                        "body": "B", "hold_campaign": "\(campaign.id)", "hold_share": "10",
                        "hold_until": "2030-01-01T00:00",
                    ]),
                    by: w.editor,
                    now: f.now
                )
                Issue.record("a foreign campaign's hold was accepted")
            } catch let error as PostError {
                #expect(error.problems.map(\.field) == ["hold_campaign"])
            }
            #expect(try await f.database.rowCount("public_posts") == 0)
        }
    }

    @Test
    func theFormIsCheckedFieldByField() {
        func fields(_ extra: [String: String]) -> [String] {
            var all = ["kind": "update", "language": "en", "title": "T", "body": "B"]
            all.merge(extra) { $1 }
            return PostInput.checked(all).problems.map(\.field)
        }
        #expect(fields([:]).isEmpty)
        #expect(fields(["kind": "press_release"]) == ["kind"])
        #expect(fields(["language": "de"]) == ["language"])
        #expect(fields(["kind": ""]) == ["kind"])
        #expect(fields(["body": String(repeating: "x", count: PublicPost.bodyLimit + 1)]) == ["body"])
        #expect(fields(["publish_at": "2026-02-30T10:00"]) == ["publish_at"])
        #expect(fields(["publish_at": "12000-01-01T00:00"]) == ["publish_at"])
        #expect(fields(["kind": "incident_update"]) == ["incident"])
        #expect(fields(["kind": "public_communication", "incident": "x"]) == ["incident"])
        #expect(fields(["kind": "advisory"]) == ["severity"])
        #expect(fields(["kind": "advisory", "severity": "apocalyptic"]) == ["severity"])
        #expect(fields(["kind": "guide"]) == ["topic"])
        #expect(fields(["kind": "guide", "topic": "astrology"]) == ["topic"])
        // Holding is for incident updates, always with a campaign, a share and a latest time, and no schedule.
        #expect(fields(["hold_share": "50"]) == ["hold_campaign"])
        #expect(fields(["kind": "public_communication", "incident": "1", "hold_campaign": "1"]) == ["hold_campaign"])
        let held = ["kind": "incident_update", "incident": "1", "hold_campaign": "2", "hold_share": "50"]
        #expect(fields(held) == ["hold_until"])
        #expect(fields(held.merging(["hold_until": "2030-01-01T00:00", "hold_share": "0"]) { $1 }) == ["hold_share"])
        #expect(fields(held.merging(["hold_until": "2030-01-01T00:00", "hold_share": "101"]) { $1 }) == ["hold_share"])
        #expect(
            fields(held.merging(["hold_until": "2030-01-01T00:00", "publish_at": "2030-01-01T00:00"]) { $1 })
                == ["publish_at"]
        )
        #expect(fields(held.merging(["hold_until": "2030-01-01T00:00"]) { $1 }).isEmpty)
        // Only incident posts keep an incident: an update or advisory naming one would open its page early.
        let update = PostInput.checked(["kind": "update", "language": "en", "title": "T", "body": "B", "incident": "1"])
        #expect(update.problems.isEmpty && update.input?.incidentID == nil)
        // Every reason exists in Finnish too.
        let problems = PostInput.checked(["kind": "advisory", "hold_share": "x"]).problems
        #expect(problems.allSatisfy { $0.description(in: .fi) != $0.description(in: .en) })
    }
}
