import Foundation
import KilpiCore
import Testing

@Suite struct PlaybookTests {
    @Test func oneShippedPlaybookPerThreatKindCoversTheStepsThatWinTrustBack() throws {
        let playbooks = try DefaultPlaybooks.all()
        #expect(Set(playbooks.map(\.threatKind)) == Set(ThreatKind.allCases))
        #expect(playbooks.count == ThreatKind.allCases.count)
        for playbook in playbooks {
            let purposes = Set(playbook.steps.compactMap(\.purpose))
            for needed in StepPurpose.trustRecovery {
                #expect(purposes.contains(needed), "\(playbook.id) lacks \(needed)")
            }
            #expect(playbook.steps.allSatisfy { !$0.title.en.isEmpty && !$0.title.fi.isEmpty && !$0.checklist.isEmpty })
            // The hardening step must reach past passwords: authentication, network, vulnerabilities, detection.
            let hardening = playbook.steps.filter { $0.purpose == .securityHardening }.flatMap(\.checklist).map {
                $0.en.lowercased()
            }.joined(separator: " ")
            for area in ["authentication", "network", "vulnerab", "detection"] {
                #expect(hardening.contains(area), "\(playbook.id): hardening does not mention \(area)")
            }
        }
        let breach = try #require(playbooks.first { $0.threatKind == .dataBreach })
        let notice = try #require(breach.steps.first { $0.purpose == .authorityNotice })
        #expect(notice.owner == .legal && notice.dueAfterHours <= 72)
        // The shipped set passes its own plan check's playbook rules.
        let findings = PlanCheck.findings(plan: ResponsePlan(), playbooks: playbooks, now: breach.reviewedOn)
        #expect(
            !findings.contains {
                [.noCustomerCommunication, .noAuthorityNotification, .noPostIncidentReview, .playbookNotReviewed]
                    .contains($0.code)
            }
        )
    }

    @Test func aPlaybookRoundTripsThroughItsJSON() throws {
        for playbook in try DefaultPlaybooks.all() {
            #expect(try PlaybookParser.parse(playbook.json()) == playbook)
        }
    }

    private func error(_ text: String) -> DocumentError? {
        do {
            _ = try PlaybookParser.parse(text)
            return nil
        } catch {
            return error
        }
    }

    private let valid = """
        {"id": "test", "threat_kind": "phishing", "title": {"en": "T", "fi": "T"}, "reviewed_on": "2026-01-01",
         "steps": [{"title": {"en": "S", "fi": "S"}, "phase": "containment", "owner": "technical_lead", "due_after_hours": 4, "checklist": []}]}
        """

    @Test func badPlaybooksAreRefusedWithTheFieldOrLine() throws {
        #expect(error(valid) == nil)
        let syntax = try #require(error("{\n  \"id\": \"x\",\n  oops\n}"))
        #expect(syntax.location == "line 3, column 3", "\(syntax)")
        let role = try #require(error(valid.replacingOccurrences(of: "technical_lead", with: "cto")))
        #expect(role.location == "steps[0].owner" && role.reason.contains("unknown role \"cto\""))
        #expect(error(valid.replacingOccurrences(of: "containment", with: "panic"))?.location == "steps[0].phase")
        #expect(
            error(valid.replacingOccurrences(of: "\"due_after_hours\": 4", with: "\"due_after_hours\": true"))?.location
                == "steps[0].due_after_hours"
        )
        #expect(
            error(valid.replacingOccurrences(of: "\"due_after_hours\": 4", with: "\"due_after_hours\": -1"))?.location
                == "steps[0].due_after_hours"
        )
        #expect(
            error(valid.replacingOccurrences(of: "\"due_after_hours\": 4", with: "\"due_after_hours\": 1.5"))?.location
                == "steps[0].due_after_hours"
        )
        #expect(
            error(valid.replacingOccurrences(of: "\"phishing\"", with: "\"ransomware\""))?.location == "threat_kind"
        )
        #expect(error(valid.replacingOccurrences(of: "2026-01-01", with: "2026-02-30"))?.location == "reviewed_on")
        #expect(
            error(valid.replacingOccurrences(of: "\"checklist\": []", with: "\"checklist\": [], \"colour\": \"red\""))?
                .location == "steps[0].colour"
        )
        #expect(
            error(valid.replacingOccurrences(of: "\"fi\": \"S\"", with: "\"fi\": \"\""))?.location
                == "steps[0].title.fi"
        )
        #expect(
            error(
                valid.replacingOccurrences(of: "\"purpose\"", with: "x").replacingOccurrences(
                    of: "\"checklist\": []",
                    with: "\"checklist\": [], \"purpose\": \"bribe\""
                )
            )?.location == "steps[0].purpose"
        )
        #expect(
            error(
                #"{"id": "Bad Id!", "threat_kind": "phishing", "title": {"en": "T", "fi": "T"}, "reviewed_on": "2026-01-01", "steps": []}"#
            )?.location == "id"
        )
        #expect(
            error(
                #"{"id": "x", "threat_kind": "phishing", "title": {"en": "T", "fi": "T"}, "reviewed_on": "2026-01-01", "steps": []}"#
            )?.location == "steps"
        )
        #expect(error("")?.location == "file")
        #expect(error("[1, 2]")?.location == "playbook")
        #expect(throws: DocumentError.self) { try PlaybookParser.parse(Data([0xFF, 0xFE, 0x00])) }
    }
}
