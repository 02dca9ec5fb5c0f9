import Foundation
import KilpiCore
import Testing

/// The content Kilpi ships beside its UI strings (playbooks, plan-check findings, data-category advice) is Swedish
/// too, and a text without Swedish (an older document, a company's own playbook) falls back to English, saying so.
@Suite struct SwedishContentTests {
    /// Every text of a playbook with where it sits, as the parser names it.
    func texts(_ playbook: Playbook) -> [(path: String, text: LocalizedText)] {
        var all = [("title", playbook.title)]
        for (index, step) in playbook.steps.enumerated() {
            all.append(("steps[\(index)].title", step.title))
            for (item, text) in step.checklist.enumerated() { all.append(("steps[\(index)].checklist[\(item)]", text)) }
        }
        return all
    }

    @Test func everyShippedPlaybookTextHasSwedish() throws {
        var count = 0
        for playbook in try DefaultPlaybooks.all() {
            for (path, text) in texts(playbook) {
                count += 1
                let swedish = text.sv?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
                #expect(!swedish.isEmpty, "\(playbook.id) \(path) has no Swedish")
                // Copying the English or the Finnish into the Swedish is not a translation.
                #expect(swedish != text.en && swedish != text.fi, "\(playbook.id) \(path): \(swedish)")
                #expect(text.resolved(.sv) == ResolvedText(swedish, .sv))
                #expect(text.text(in: .sv) == swedish)
            }
        }
        #expect(count > 400, "all of the six playbooks' texts were looked at")
        // The legal numbers are the English ones.
        let breach = try #require(try DefaultPlaybooks.all().first { $0.threatKind == .dataBreach })
        let notice = try #require(breach.steps.first { $0.purpose == .authorityNotice })
        let swedish = notice.checklist.compactMap(\.sv).joined(separator: " ")
        for number in ["72 timmar", "24 timmar"] { #expect(swedish.contains(number)) }
    }

    @Test func textsWithoutSwedishFallBackToEnglishAndSaySo() throws {
        let old = LocalizedText(en: "Contain", fi: "Rajaa")
        #expect(old.text(in: .sv) == "Contain" && old.text(in: .fi) == "Rajaa" && old.text(in: .en) == "Contain")
        #expect(old.resolved(.sv).language == .en)
        #expect(LocalizedText(en: "Contain", fi: "Rajaa", sv: " ").resolved(.sv) == ResolvedText("Contain", .en))
        // Rows and documents written before there was Swedish decode, and the Swedish round-trips when present.
        let decoded = try JSONDecoder().decode(LocalizedText.self, from: Data(#"{"en": "A", "fi": "B"}"#.utf8))
        #expect(decoded == LocalizedText(en: "A", fi: "B") && decoded.sv == nil)
        let withSwedish = LocalizedText(en: "A", fi: "B", sv: "C")
        let encoded = try JSONEncoder().encode(withSwedish)
        #expect(try JSONDecoder().decode(LocalizedText.self, from: encoded) == withSwedish)
        #expect(!String(decoding: try JSONEncoder().encode(decoded), as: UTF8.self).contains("sv"))
    }

    private func error(_ text: String) -> DocumentError? {
        do {
            _ = try PlaybookParser.parse(text)
            return nil
        } catch { return error }
    }

    private let valid = """
        {"id": "test", "threat_kind": "phishing", "title": {"en": "T", "fi": "T"}, "reviewed_on": "2026-01-01",
         "steps": [{"title": {"en": "S", "fi": "S", "sv": "Steg"}, "phase": "containment", "owner": "technical_lead",
                    "due_after_hours": 4, "checklist": [{"en": "Do", "fi": "Tee", "sv": "Gör"}]}]}
        """

    @Test func theParserReadsSwedishStrictly() throws {
        let playbook = try PlaybookParser.parse(valid)
        #expect(playbook.title.sv == nil, "Swedish may be left out")
        #expect(playbook.steps[0].title.sv == "Steg" && playbook.steps[0].checklist[0].sv == "Gör")
        #expect(try PlaybookParser.parse(playbook.json()) == playbook)
        for (broken, location) in [
            (valid.replacingOccurrences(of: #""sv": "Steg""#, with: #""sv": 5"#), "steps[0].title.sv"),
            (valid.replacingOccurrences(of: #""sv": "Gör""#, with: #""sv": """#), "steps[0].checklist[0].sv"),
            (valid.replacingOccurrences(of: #""sv": "Gör""#, with: #""sv": null"#), "steps[0].checklist[0].sv"),
            (valid.replacingOccurrences(of: #""sv": "Steg""#, with: #""se": "Steg""#), "steps[0].title.se"),
        ] {
            let problem = try #require(error(broken), "\(location) was accepted")
            #expect(problem.location == location, "\(problem)")
        }
        #expect(error(valid.replacingOccurrences(of: #""sv": "Steg""#, with: #""sv": 5"#))?.reason == "must be text")
        let unknown = try #require(error(valid.replacingOccurrences(of: #""sv": "Steg""#, with: #""se": "Steg""#)))
        #expect(unknown.reason.contains("en, fi, sv"), "\(unknown)")
    }

    /// A plan with every mistake, so every finding's text is produced.
    func everyFinding() throws -> [PlanFinding] {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        var books = try DefaultPlaybooks.all().filter { $0.threatKind != .dataBreach }
        books[0].steps.removeAll { [.customerNotice, .postIncidentReview].contains($0.purpose) }
        books[0].reviewedOn = now - 400 * 86_400
        let plan = ResponsePlan(exercises: [.init(date: now - 400 * 86_400, description: "Old")])
        let findings =
            PlanCheck.findings(plan: plan, playbooks: books, now: now)
            + PlanCheck.findings(plan: ResponsePlan(), playbooks: [], now: now)
        #expect(Set(findings.map(\.code)) == Set(PlanFinding.Code.allCases))
        return findings
    }

    @Test func everyPlanFindingHasSwedish() throws {
        for finding in try everyFinding() {
            for text in [finding.problem, finding.why, finding.fix] {
                let swedish = try #require(text.sv, "\(finding.code) \(text.en)")
                #expect(!swedish.isEmpty && swedish != text.en && swedish != text.fi, "\(finding.code): \(swedish)")
            }
        }
    }

    @Test func thePlanCheckReportIsInTheReadersLanguage() throws {
        let findings = try everyFinding()
        let swedish = PlanCheck.report(findings, in: .sv)
        #expect(swedish.hasPrefix("Kontroll av planen: \(findings.count) anmärkning(ar)."))
        #expect(swedish.contains("[role_without_person] Ingen person är utsedd för rollen Incidentledare."))
        #expect(swedish.contains("   Varför: ") && swedish.contains("   Åtgärd: "))
        #expect(!swedish.contains("Why: ") && !swedish.contains("Miksi: "))
        #expect(PlanCheck.report(findings, in: .fi).contains("   Korjaus: "))
        #expect(PlanCheck.report(findings, in: .en).contains("[role_without_person] No named person for the role"))
        #expect(PlanCheck.report([], in: .sv) == "Kontroll av planen: inga anmärkningar.")
    }

    @Test func shippedCategoryAdviceIsSwedishUntilTheCompanyEditsIt() throws {
        #expect(Set(DataCategory.swedishAdvice.keys) == Set(DataCategory.catalogue.map(\.id)))
        for category in DataCategory.catalogue {
            let advice = category.advice(.sv)
            #expect(advice.language == .sv && advice.text == DataCategory.swedishAdvice[category.id])
            #expect(advice.text != category.adviceEN && advice.text != category.adviceFI)
            #expect(!advice.text.contains("  ") && !advice.text.contains("\\"), "\(category.id): line joins")
        }
        // The Finnish voluntary credit ban is named, as the English names it, and nothing more.
        #expect(DataCategory.swedishAdvice["national_id"]?.contains("frivilligt kreditförbud") == true)
        var edited = try #require(DataCategory.catalogue.first { $0.id == "email" })
        edited.adviceEN = "Write to security@example.com if a message looks odd."
        #expect(edited.advice(.sv) == ResolvedText(edited.adviceEN, .en))
        #expect(edited.advice(.fi) == ResolvedText(edited.adviceFI, .fi))
    }
}
