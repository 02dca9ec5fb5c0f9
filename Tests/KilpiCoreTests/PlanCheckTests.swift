import Foundation
import KilpiCore
import Testing

@Suite struct PlanCheckTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    /// A plan with no mistakes: every role named, every contact listed, exercised last month.
    var goodPlan: ResponsePlan {
        ResponsePlan(
            roles: Dictionary(
                uniqueKeysWithValues: IncidentRole.allCases.map {
                    ($0, ResponsePlan.Person(name: "Person \($0.rawValue)", phone: "+358 40 000 0000"))
                }
            ),
            contacts: ResponsePlan.ContactKind.required.map {
                ResponsePlan.Contact(kind: $0, name: "Contact", phone: "+358 9 000 000")
            },
            exercises: [ResponsePlan.Exercise(date: UTCDay.parse("2026-12-20")!, description: "Tabletop: ransomware")]
        )
    }

    func playbooks() throws -> [Playbook] {
        try DefaultPlaybooks.all().map {
            var p = $0
            p.reviewedOn = now - 86_400
            return p
        }
    }

    @Test func aGoodPlanHasNoFindings() throws {
        #expect(PlanCheck.findings(plan: goodPlan, playbooks: try playbooks(), now: now).isEmpty)
    }

    @Test func eachMistakeIsFoundWithWhyAndHowToFix() throws {
        var plan = goodPlan
        plan.roles[.legal] = nil
        plan.contacts.removeAll { $0.kind == .insurer }
        plan.exercises = [ResponsePlan.Exercise(date: now - 400 * 86_400, description: "Old drill")]
        var books = try playbooks()
        let breach = books.firstIndex { $0.threatKind == .dataBreach }!
        books[breach].steps.removeAll { $0.purpose == .authorityNotice }
        let phishing = books.firstIndex { $0.threatKind == .phishing }!
        books[phishing].steps.removeAll { $0.purpose == .customerNotice || $0.purpose == .postIncidentReview }
        let malware = books.firstIndex { $0.threatKind == .malware }!
        books[malware].reviewedOn = now - 366 * 86_400

        let findings = PlanCheck.findings(plan: plan, playbooks: books, now: now)
        let got = Set(findings.map { "\($0.code.rawValue):\($0.subject)" })
        #expect(
            got == [
                "role_without_person:legal", "missing_contact:insurer", "no_recent_exercise:",
                "no_authority_notification:\(books[breach].id)", "no_customer_communication:\(books[phishing].id)",
                "no_post_incident_review:\(books[phishing].id)", "playbook_not_reviewed:\(books[malware].id)",
            ]
        )
        #expect(Set(findings.map(\.code)) == Set(PlanFinding.Code.allCases), "every kind of finding exercised")
        for finding in findings {
            for text in [finding.problem, finding.why, finding.fix] { #expect(!text.en.isEmpty && !text.fi.isEmpty) }
        }
    }

    @Test func anEmptyPlanNeedsPeopleContactsAndAnExercise() throws {
        let findings = PlanCheck.findings(plan: ResponsePlan(), playbooks: try playbooks(), now: now)
        #expect(findings.filter { $0.code == .missingContact }.count == 4)
        #expect(findings.contains { $0.code == .roleWithoutPerson && $0.subject == "commander" })
        #expect(findings.contains { $0.code == .noRecentExercise })
        // Without any data-breach playbook, nothing tells the authorities.
        let noBreach = try playbooks().filter { $0.threatKind != .dataBreach }
        #expect(
            PlanCheck.findings(plan: goodPlan, playbooks: noBreach, now: now).map(\.code) == [.noAuthorityNotification]
        )
    }

    @Test func thePlanDocumentIsReadStrictly() throws {
        #expect(try ResponsePlan.parse(goodPlan.json()) == goodPlan)
        func location(_ text: String) -> String? {
            do {
                _ = try ResponsePlan.parse(text)
                return nil
            } catch { return error.location }
        }
        #expect(location(#"{"roles": {"ceo": {"name": "X"}}}"#) == "roles.ceo")
        #expect(location(#"{"contacts": [{"kind": "lawyer", "name": "X", "phone": "1"}]}"#) == "contacts[0].kind")
        #expect(location(#"{"contacts": [{"kind": "legal", "name": "X"}]}"#) == "contacts[0]")
        #expect(location(#"{"exercises": [{"date": "yesterday", "description": "x"}]}"#) == "exercises[0].date")
        #expect(location(#"{"budget": 1}"#) == "budget")
        #expect(location("{\n\"roles\": }") == "line 2, column 10")
    }
}
