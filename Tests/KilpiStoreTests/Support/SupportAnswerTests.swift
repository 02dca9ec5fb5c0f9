import Foundation
import KilpiCore
import KilpiTestSupport
import SQLKit
import Testing

@testable import KilpiStore

/// Support answers (FAQ and canned answers): per incident and language, in order, every change audited with it,
/// every refusal naming its field with nothing saved, the shipped general FAQ until the incident has its own, and
/// the link check that keeps anything but plain web links out of what customers are sent.
@Suite struct SupportAnswerTests {
    static func incident(_ f: Fixture) async throws -> Incident {
        var commander = try await f.store.users.all().first
        if commander == nil { commander = try await f.user() }
        return try await f.store.incidents.declare(
            IncidentDraft(title: "Shop database copied", summary: "", kinds: [.dataBreach], severity: .sev2),
            commanderID: commander!.id,
            playbooks: [],
            actor: "anna@example.fi",
            now: f.now
        )
    }

    static let staff = Caller(.user(1), ip: "198.51.100.7")

    @Test(arguments: TestDatabases.engines)
    func answersAreKeptPerIncidentAndLanguageInOrderAndEveryChangeIsAudited(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let incident = try await Self.incident(f)
            let other = try await Self.incident(f)
            let answers = f.store.supportAnswers
            let first = try await answers.create(
                incidentID: incident.id,
                SupportAnswerDraft(language: .fi, question: "  Vuotiko korttini?\r\n", answer: "Ei.", faq: true),
                by: Self.staff,
                now: f.now
            )
            #expect(first.question == "Vuotiko korttini?" && first.position == 0 && first.createdBy == "user:1")
            let canned = try await answers.create(
                incidentID: incident.id,
                SupportAnswerDraft(language: .fi, question: "Kiitos", answer: "Kiitos viestistäsi.", faq: false),
                by: Self.staff,
                now: f.now
            )
            #expect(canned.position == 1)
            let early = try await answers.create(
                incidentID: incident.id,
                SupportAnswerDraft(
                    language: .fi,
                    question: "Mitä tapahtui?",
                    answer: "Tietokanta kopioitiin.",
                    faq: true,
                    position: 0
                ),
                by: Self.staff,
                now: f.now
            )
            _ = try await answers.create(
                incidentID: other.id,
                SupportAnswerDraft(language: .fi, question: "Toinen", answer: "Toinen tapaus.", faq: true),
                by: Self.staff,
                now: f.now
            )
            // The customer's FAQ: this incident's FAQ entries only, by position then id; canned-only ones are not in it.
            let faq = try await answers.faq(incidentID: incident.id, language: .fi)
            #expect(faq.map(\.answerID) == [first.id, early.id])
            #expect(try await answers.list(incidentID: incident.id).map(\.id) == [first.id, early.id, canned.id])
            // An update moves it and is audited; saving the same again is not.
            f.clock.advance(60)
            let moved = try await answers.update(
                id: first.id,
                SupportAnswerDraft(
                    language: .fi,
                    question: "Vuotiko korttini?",
                    answer: "Ei vuotanut.",
                    faq: true,
                    position: 5
                ),
                by: Caller(.user(2), ip: "198.51.100.8"),
                now: f.now
            )
            #expect(moved.position == 5 && moved.updatedBy == "user:2" && moved.createdBy == "user:1")
            #expect(moved.updatedAt == f.now && moved.createdAt == first.createdAt)
            _ = try await answers.update(
                id: first.id,
                SupportAnswerDraft(language: .fi, question: "Vuotiko korttini?", answer: "Ei vuotanut.", faq: true),
                by: Self.staff,
                now: f.now
            )
            #expect(
                try await answers.faq(incidentID: incident.id, language: .fi).map(\.answerID) == [early.id, first.id]
            )
            try await answers.delete(id: canned.id, by: Self.staff, now: f.now)
            #expect(try await answers.find(id: canned.id) == nil)
            await #expect(throws: SupportError.self) {
                try await answers.delete(id: canned.id, by: Self.staff, now: f.now)
            }
            let audit = try await f.store.audit.entries(AuditFilter(actionPrefix: "support")).filter {
                $0.action.hasPrefix("support.answer")
            }
            #expect(
                audit.map(\.action).sorted()
                    == [
                        "support.answer_create", "support.answer_create", "support.answer_create",
                        "support.answer_create",
                        "support.answer_delete", "support.answer_update",
                    ]
            )
            // Audit details name ids and flags, never the text.
            #expect(!audit.contains { $0.detail.contains("kort") || $0.detail.contains("Kiitos") })
            #expect(try await f.store.audit.verify().isIntact)
        }
    }

    @Test(arguments: TestDatabases.engines)
    func theShippedGeneralFAQStandsInUntilTheIncidentHasItsOwnInThatLanguage(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let incident = try await Self.incident(f)
            let answers = f.store.supportAnswers
            for language in Language.allCases {
                let general = try await answers.faq(incidentID: incident.id, language: language)
                #expect(general == SupportAnswerRepository.general(language) && general.count >= 3)
                #expect(general.allSatisfy { $0.answerID == nil && SupportReplyLinks.problem(in: $0.answer) == nil })
            }
            #expect(SupportAnswerRepository.general(.en).first?.question == "Is this message really from you?")
            #expect(
                SupportAnswerRepository.general(.sv).map(\.question)
                    != SupportAnswerRepository.general(.en).map(\.question)
            )
            // A canned answer alone does not replace the general FAQ; an FAQ answer in Swedish replaces only Swedish.
            _ = try await answers.create(
                incidentID: incident.id,
                SupportAnswerDraft(language: .sv, question: "Tack", answer: "Tack för ditt meddelande.", faq: false),
                by: Self.staff,
                now: f.now
            )
            #expect(
                try await answers.faq(incidentID: incident.id, language: .sv) == SupportAnswerRepository.general(.sv)
            )
            let own = try await answers.create(
                incidentID: incident.id,
                SupportAnswerDraft(language: .sv, question: "Läckte mitt kort?", answer: "Nej.", faq: true),
                by: Self.staff,
                now: f.now
            )
            #expect(
                try await answers.faq(incidentID: incident.id, language: .sv)
                    == [SupportFAQEntry(question: "Läckte mitt kort?", answer: "Nej.", answerID: own.id)]
            )
            #expect(
                try await answers.faq(incidentID: incident.id, language: .fi) == SupportAnswerRepository.general(.fi)
            )
        }
    }

    @Test(arguments: TestDatabases.engines)
    func badAnswersAreRefusedByFieldAndSaveNothing(engine: SQLEngine) async throws {
        try await withFixture(engine) { f in
            let incident = try await Self.incident(f)
            let answers = f.store.supportAnswers
            func fields(_ draft: SupportAnswerDraft, incidentID: Int64? = nil) async -> [String] {
                do {
                    _ = try await answers.create(
                        incidentID: incidentID ?? incident.id,
                        draft,
                        by: Self.staff,
                        now: f.now
                    )
                    return []
                } catch let error as SupportError {
                    return error.problems.map(\.field)
                } catch {
                    return ["unexpected \(error)"]
                }
            }
            #expect(
                await fields(SupportAnswerDraft(language: .en, question: " ", answer: "\n", faq: true)) == [
                    "question", "answer",
                ]
            )
            #expect(
                await fields(
                    SupportAnswerDraft(
                        language: .en,
                        question: String(repeating: "q", count: 501),
                        answer: String(repeating: "a", count: 5_001),
                        faq: true,
                        position: -1
                    )
                ) == ["question", "answer", "position"]
            )
            #expect(
                await fields(SupportAnswerDraft(language: .en, question: "Q\u{202E}", answer: "A", faq: true)) == [
                    "question"
                ]
            )
            #expect(
                await fields(
                    SupportAnswerDraft(language: .en, question: "Q", answer: "see javascript:alert(1)", faq: true)
                )
                    == ["answer"]
            )
            #expect(
                await fields(
                    SupportAnswerDraft(language: .en, question: "Q", answer: "A", faq: true),
                    incidentID: 9_999
                ) == ["incident"]
            )
            #expect(try await f.database.rowCount("support_answers") == 0)
            #expect(
                try await f.store.audit.entries(AuditFilter(actionPrefix: "support")).filter {
                    $0.action.hasPrefix("support.answer")
                }.isEmpty
            )
            // A refused update leaves the answer as it was.
            let saved = try await answers.create(
                incidentID: incident.id,
                SupportAnswerDraft(language: .en, question: "Q", answer: "A", faq: true),
                by: Self.staff,
                now: f.now
            )
            await #expect(throws: SupportError.self) {
                try await answers.update(
                    id: saved.id,
                    SupportAnswerDraft(language: .en, question: "Q2", answer: "", faq: false),
                    by: Self.staff,
                    now: f.now
                )
            }
            #expect(try await answers.find(id: saved.id) == saved)
        }
    }

    @Test(arguments: [
        ("Read https://example.com/faq.", true),
        ("Read http://example.com and https://kilpi.example/support?x=1#top", true),
        ("Kello 10:30, huom: tärkeää", true),
        ("metadata: none", true),
        ("javascript:alert(1)", false),
        ("<a href=\"JavaScript:alert(1)\">", false),
        ("data:text/html;base64,PHNjcmlwdD4=", false),
        ("file:///etc/passwd", false),
        ("ftp://example.com/file", false),
        ("mailto:someone@example.com", false),
        ("https://bank.example@evil.example/login", false),
        ("https://user:pass@example.com", false),
        ("https://exаmple.com (Cyrillic a)", false),
        ("https:///nohost", false),
    ])
    func onlyPlainWebLinksMayBeSent(text: String, allowed: Bool) throws {
        #expect((SupportReplyLinks.problem(in: text) == nil) == allowed, "\(text)")
        if !allowed {
            do {
                try SupportReplyLinks.check(text)
                Issue.record("accepted \(text)")
            } catch let error as SupportError {
                #expect(error.problems.map(\.field) == ["text"])
            }
        }
    }
}
