import Foundation
import Testing

@testable import KilpiCore

/// Timeline events are values rendered in the reader's language: each case reads differently in English, Finnish
/// and Swedish, and each rendering carries the event's values in that language.
@Suite struct TimelineEventTests {
    static let start = Date(epochMilliseconds: 1_764_000_000_000)
    static let task = LocalizedText(en: "Reset the admin passwords", fi: "Vaihda ylläpitäjien salasanat")

    /// One example of every case, with what each language's text must contain. The switch has no default, so a
    /// new case does not compile until it has an example here.
    static func example(_ event: TimelineEvent) -> [Language: [String]] {
        switch event {
        case .declared:
            [
                .en: ["SEV1", "Phishing", "Malware", "Kassa <down>"],
                .fi: ["SEV1", ThreatKind.phishing.nameFI, ThreatKind.malware.nameFI, "Kassa <down>"],
                .sv: ["SEV1", ThreatKind.phishing.nameSV, ThreatKind.malware.nameSV, "Kassa <down>"],
            ]
        case .titleChanged:
            [
                .en: ["Title", "\"Old\"", "\"New\""], .fi: ["Otsikko", "\"Old\"", "\"New\""],
                .sv: ["Rubrik", "\"Old\""],
            ]
        case .summaryChanged:
            [.en: ["Summary"], .fi: ["Yhteenveto"], .sv: ["Sammanfattningen"]]
        case .kindsChanged:
            [
                .en: ["Phishing → Phishing, Malware"],
                .fi: ["\(ThreatKind.phishing.nameFI) → \(ThreatKind.phishing.nameFI), \(ThreatKind.malware.nameFI)"],
                .sv: ["\(ThreatKind.phishing.nameSV) → \(ThreatKind.phishing.nameSV), \(ThreatKind.malware.nameSV)"],
            ]
        case .severityChanged:
            [
                .en: ["Severity", "SEV3 → SEV1"], .fi: ["Vakavuus", "SEV3 → SEV1"],
                .sv: ["Allvarlighetsgrad", "SEV3 → SEV1"],
            ]
        case .keyTimeChanged:
            [
                .en: ["became aware", "– → 2025-11-24 16:00 UTC"],
                .fi: ["tietoon tulo", "– → 2025-11-24 16:00 UTC"],
                .sv: ["fick kännedom", "– → 2025-11-24 16:00 UTC"],
            ]
        case .statusChanged:
            [
                .en: ["Detected → Contained"],
                .fi: ["\(IncidentStatus.detected.nameFI) → \(IncidentStatus.contained.nameFI)"],
                .sv: ["\(IncidentStatus.detected.nameSV) → \(IncidentStatus.contained.nameSV)"],
            ]
        case .roleAssigned(_, let person):
            person == nil
                ? [
                    .en: [IncidentRole.scribe.nameEN, "empty"], .fi: [IncidentRole.scribe.nameFI, "tyhjäksi"],
                    .sv: [IncidentRole.scribe.nameSV, "tom"],
                ]
                : [
                    .en: [IncidentRole.scribe.nameEN, "Sam Lee"], .fi: [IncidentRole.scribe.nameFI, "Sam Lee"],
                    .sv: [IncidentRole.scribe.nameSV, "Sam Lee"],
                ]
        case .lessonsUpdated:
            [.en: ["Lessons"], .fi: ["Opitut"], .sv: ["Lärdomarna"]]
        case .impactAssumptionsUpdated:
            [.en: ["Impact"], .fi: ["Vaikutusarvion"], .sv: ["konsekvensbedömningen"]]
        case .playbookTasksAdded:
            [
                .en: ["phishing (6), malware (4)"], .fi: ["phishing (6), malware (4)"],
                .sv: ["åtgärdsplaner", "phishing (6), malware (4)"],
            ]
        case .taskDone(_, _, let late):
            late == nil
                ? [.en: ["Done", task.en], .fi: ["Tehty", task.fi], .sv: ["Klar", task.en]]
                : [
                    .en: ["1 h 30 min late", task.en], .fi: ["1 h 30 min myöhässä", task.fi],
                    .sv: ["försenad", task.en],
                ]
        case .taskReopened:
            [.en: ["Reopened", task.en], .fi: ["Avattu", task.fi], .sv: ["Öppnades", task.en]]
        case .scopeVersion(let scope):
            scope.change == nil
                ? [
                    .en: ["v3", "2 system(s)", "2025-11-24 16:00 UTC – ", "1200 customers"],
                    .fi: ["v3", "2 järjestelmä", "2025-11-24 16:00 UTC – ", "1200 asiakasta"],
                    .sv: ["v3", "2 system", "2025-11-24 16:00 UTC – ", "1200 kunder"],
                ]
                : [
                    .en: ["v3", "+40 / −2", "5 widened", "1 narrowed"],
                    .fi: ["v3", "+40 / −2", "5 laajeni", "1 kapeni"],
                    .sv: ["v3", "+40 / −2", "5 utvidgade", "1 minskade"],
                ]
        case .noticeCampaignCreated:
            [
                .en: ["#4", "v2", "newly affected", "10 recipients", "1 without", "2 in English"],
                .fi: ["#4", "v2", "uudet asianosaiset", "10 vastaanottajaa", "1 ilman", "2 englanniksi"],
                .sv: ["#4", "v2", "nya berörda", "10 mottagare", "1 utan", "2 på engelska"],
            ]
        case .noticeCampaignStateChanged:
            [.en: ["#4", "ready → sending"], .fi: ["#4", "valmis → lähettää"], .sv: ["#4", "redo → skickar"]]
        case .noticeCampaignAutoPaused:
            [.en: ["#4", "5 of 20"], .fi: ["#4", "5/20"], .sv: ["#4", "5 av 20"]]
        case .noticeCampaignCompleted:
            [
                .en: ["#4", "8 sent", "1 bounced", "0 failed"], .fi: ["#4", "8 lähetetty", "1 palautunut"],
                .sv: ["#4", "8 skickade", "1 studsade"],
            ]
        case .noticeCampaignRetried:
            [.en: ["#4", "3 bounced or failed"], .fi: ["#4", "3 palautunutta"], .sv: ["#4", "3 studsade"]]
        }
    }

    static let events: [TimelineEvent] = [
        .declared(severity: .sev1, kinds: [.phishing, .malware], title: "Kassa <down>"),
        .titleChanged(from: "Old", to: "New"),
        .summaryChanged,
        .kindsChanged(from: [.phishing], to: [.phishing, .malware]),
        .severityChanged(from: .sev3, to: .sev1),
        .keyTimeChanged(field: .awareAt, from: nil, to: start),
        .statusChanged(from: .detected, to: .contained),
        .roleAssigned(role: .scribe, person: "Sam Lee"),
        .roleAssigned(role: .scribe, person: nil),
        .lessonsUpdated,
        .impactAssumptionsUpdated,
        .playbookTasksAdded(playbooks: [
            .init(playbookID: "phishing", count: 6), .init(playbookID: "malware", count: 4),
        ]),
        .taskDone(taskID: 7, title: task, late: nil),
        .taskDone(taskID: 7, title: task, late: 5_400),
        .taskReopened(taskID: 7, title: task),
        .scopeVersion(
            scope: .init(
                version: 3,
                systems: 2,
                windowStart: start,
                windowEnd: start + 3_600,
                customers: 1200,
                change: nil
            )
        ),
        .scopeVersion(
            scope: .init(
                version: 3,
                systems: 2,
                windowStart: start,
                windowEnd: start + 3_600,
                customers: 1200,
                change: .init(added: 40, removed: 2, widened: 5, narrowed: 1)
            )
        ),
        .noticeCampaignCreated(
            campaign: .init(
                campaignID: 4,
                scopeVersion: 2,
                audience: .added,
                recipients: 10,
                skipped: 1,
                englishFallback: 2
            )
        ),
        .noticeCampaignStateChanged(campaignID: 4, from: .ready, to: .running),
        .noticeCampaignAutoPaused(campaignID: 4, failures: 5, attempted: 20),
        .noticeCampaignCompleted(campaignID: 4, sent: 8, bounced: 1, failed: 0, skipped: 1),
        .noticeCampaignRetried(campaignID: 4, count: 3),
    ]

    @Test(arguments: events)
    func eachLanguageReadsDifferentlyAndCarriesTheValues(event: TimelineEvent) {
        let texts = Dictionary(uniqueKeysWithValues: Language.allCases.map { ($0, event.rendered(in: $0)) })
        #expect(Set(texts.values).count == Language.allCases.count, "\(texts)")
        for (language, parts) in Self.example(event) {
            let text = texts[language]!
            for part in parts { #expect(text.contains(part), "\(language): \(text) lacks \(part)") }
        }
        // Swedish comes from the catalogue: a missing entry would fall back to the English sentence.
        #expect(MessageCatalogue.swedish.lookup(event.rendered(in: .en)) != nil, "no Swedish for \(texts[.en]!)")
    }

    @Test(arguments: events)
    func storedJSONReadsBackAsTheSameEvent(event: TimelineEvent) {
        #expect(TimelineEvent(json: event.json) == event)
    }

    @Test func theStoredFormIsStable() {
        // Rows already in databases use this form: renaming a case or label would orphan them.
        #expect(
            TimelineEvent.statusChanged(from: .detected, to: .analysing).json
                == #"{"statusChanged":{"from":"detected","to":"analysing"}}"#
        )
        #expect(
            TimelineEvent.playbookTasksAdded(playbooks: [.init(playbookID: "malware", count: 4)]).json
                == #"{"playbookTasksAdded":{"playbooks":[{"count":4,"playbookID":"malware"}]}}"#
        )
        #expect(TimelineEvent(json: #"{"summaryChanged":{}}"#) == .summaryChanged)
        #expect(TimelineEvent(json: #"{"somethingFromALaterVersion":{}}"#) == nil)
    }

    @Test func anEntryShowsItsEventInTheReadersLanguageAndThePersonsWordsAsTyped() {
        let entry = TimelineEntry(
            id: 1,
            incidentID: 1,
            at: Self.start,
            author: "anna@example.fi",
            kind: .change,
            visibility: .internal,
            text: "admin sessions revoked",
            event: .statusChanged(from: .analysing, to: .contained)
        )
        #expect(entry.text == "Status: Analysing → Contained — admin sessions revoked")
        #expect(entry.text(in: .fi) == "Tila: Selvitetään → Rajattu — admin sessions revoked")
        #expect(
            entry.text(in: .sv)
                == "Status: \(IncidentStatus.analysing.nameSV) → \(IncidentStatus.contained.nameSV) — admin sessions revoked"
        )
        let note = TimelineEntry(
            id: 2,
            incidentID: 1,
            at: Self.start,
            author: "a",
            kind: .note,
            visibility: .internal,
            text: "Called the host."
        )
        #expect(Language.allCases.allSatisfy { note.text(in: $0) == "Called the host." })
    }
}

/// Field problems say their reason in the reader's language and keep their English for older callers.
@Suite struct FieldProblemLanguageTests {
    @Test func aReasonIsGivenInEachLanguage() throws {
        var problems: [FieldProblem] = []
        _ = IncidentInput.severity("SEV9", into: &problems)
        _ = IncidentInput.time("tomorrow-ish", field: "aware_at", form: .utcOrZoned, into: &problems)
        let severity = try #require(problems.first)
        #expect(severity.reason == "choose one of SEV1, SEV2, SEV3, SEV4")
        #expect(severity.reason(in: .fi) == "valitse jokin näistä: SEV1, SEV2, SEV3, SEV4")
        #expect(severity.reason(in: .sv) == "välj en av: SEV1, SEV2, SEV3, SEV4")
        let time = problems[1]
        #expect(time.description(in: .sv) == #"aware_at: "tomorrow-ish" är inte en tidpunkt (ÅÅÅÅ-MM-DDTHH:MM, UTC)"#)
        #expect(time.description(in: .fi).hasPrefix(#"aware_at: "tomorrow-ish" ei ole aika"#))
        do {
            try IncidentDraft(title: "", kinds: [], severity: .sev1).validate()
        } catch {
            #expect(error.problems.map { $0.reason(in: .sv) } == ["skriv 1–200 tecken", "välj minst en hottyp"])
        }
    }

    @Test func theJSONFormIsFieldAndEnglishReason() throws {
        let problem = FieldProblem("title", .l("enter 1 to \(200) characters", "kirjoita 1–\(200) merkkiä"))
        let json = String(decoding: try JSONEncoder().encode(problem), as: UTF8.self)
        #expect(json.contains(#""field":"title""#) && json.contains(#""reason":"enter 1 to 200 characters""#))
        #expect(try JSONDecoder().decode(FieldProblem.self, from: Data(json.utf8)).reason == problem.reason)
    }
}
