import Foundation
import KilpiCore
import Testing

@Suite struct IncidentLifecycleTests {
    @Test func theWorkingPhasesMoveForwardAndClosingNeedsRecovery() {
        let allowed: [(IncidentStatus, IncidentStatus)] = [
            (.detected, .analysing), (.detected, .contained), (.detected, .falsePositive), (.analysing, .contained),
            (.analysing, .falsePositive), (.contained, .eradicated), (.contained, .recovered),
            (.eradicated, .recovered),
            (.recovered, .closed), (.closed, .analysing), (.falsePositive, .analysing), (.contained, .analysing),
        ]
        for (from, to) in allowed { #expect(from.canMove(to: to), "\(from) → \(to)") }
        let refused: [(IncidentStatus, IncidentStatus)] = [
            (.detected, .closed), (.analysing, .closed), (.contained, .closed), (.eradicated, .closed),
            (.contained, .detected),
            (.analysing, .detected), (.recovered, .contained), (.contained, .falsePositive), (.closed, .recovered),
            (.falsePositive, .closed), (.closed, .closed), (.detected, .detected), (.eradicated, .contained),
        ]
        for (from, to) in refused { #expect(!from.canMove(to: to), "\(from) → \(to)") }
        #expect(IncidentStatus.recovered.nextOptions == [.analysing, .closed])
        #expect(
            !IncidentStatus.closed.isOpen && !IncidentStatus.falsePositive.isOpen && IncidentStatus.contained.isOpen
        )
    }

    @Test func keyTimesMustBeInOrderAndEachProblemNamesItsField() {
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        let fine = KeyTimes(
            occurredAt: t0,
            detectedAt: t0 + 60,
            awareAt: t0 + 120,
            containedAt: t0 + 3600,
            resolvedAt: t0 + 7200
        )
        #expect(fine.problems().isEmpty)
        let bad = KeyTimes(
            occurredAt: t0,
            detectedAt: t0 - 60,
            awareAt: t0 - 120,
            containedAt: t0 - 1,
            resolvedAt: t0 - 2
        )
        #expect(bad.problems().map(\.field) == ["detected_at", "aware_at", "contained_at", "resolved_at"])
    }

    @Test func aDraftNeedsATitleAndAThreatKind() {
        #expect(throws: ValidationFailed.self) {
            try IncidentDraft(title: "  ", kinds: [.phishing], severity: .sev2).validate()
        }
        do {
            try IncidentDraft(title: String(repeating: "x", count: 201), kinds: [], severity: .sev2).validate()
            Issue.record("accepted")
        } catch {
            #expect(error.problems.map(\.field) == ["title", "kinds"])
        }
        #expect(throws: Never.self) {
            try IncidentDraft(title: "Card skimmer in checkout", kinds: [.dataBreach, .malware], severity: .sev1)
                .validate()
        }
    }

    @Test func everySeverityHasAWrittenDefinitionInBothLanguages() {
        for severity in Severity.allCases {
            #expect(severity.definitionEN.count > 40 && severity.definitionFI.count > 40)
        }
        #expect(Severity.sev1 < Severity.sev4)
    }

    @Test func tasksAreDueAfterTheDeclarationAndOverdueOnlyWhileOpen() throws {
        let declared = Date(timeIntervalSince1970: 1_800_000_000)
        let step = { (hours: Int) in
            PlaybookStep(
                title: .init(en: "Step \(hours)", fi: "Vaihe \(hours)"),
                phase: .containment,
                owner: .technicalLead,
                dueAfterHours: hours,
                checklist: []
            )
        }
        let playbook = Playbook(
            id: "x",
            threatKind: .malware,
            title: .init(en: "X", fi: "X"),
            reviewedOn: declared,
            steps: [step(24), step(2)]
        )
        let tasks = IncidentTask.instantiate([playbook], incidentID: 7, declaredAt: declared)
        #expect(tasks.map(\.dueAt) == [declared + 2 * 3600, declared + 24 * 3600])
        #expect(tasks.allSatisfy { $0.incidentID == 7 && $0.playbookID == "x" })
        var first = tasks[0]
        #expect(!first.isOverdue(at: declared + 3600))
        #expect(first.isOverdue(at: declared + 3 * 3600))
        first.doneAt = declared + 4 * 3600
        #expect(!first.isOverdue(at: declared + 5 * 3600))
    }

    @Test func responseMetricsMeasureFromTheRightMoments() {
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        let times = KeyTimes(
            occurredAt: t0,
            detectedAt: t0 + 86_400,
            awareAt: t0 + 90_000,
            containedAt: t0 + 100_000,
            resolvedAt: t0 + 200_000
        )
        let metrics = ResponseMetrics(times: times, firstNoticeAt: t0 + 93_600)
        #expect(metrics.timeToDetect == 86_400)
        #expect(metrics.timeToContain == 13_600)
        #expect(metrics.timeToNotify == 3_600)
        #expect(metrics.timeToResolve == 113_600)
        #expect(ResponseMetrics(times: times, firstNoticeAt: nil).timeToNotify == nil)
        #expect(ResponseMetrics.format(86_400 + 4 * 3600) == "1 d 4 h")
        #expect(ResponseMetrics.format(5 * 3600 + 20 * 60) == "5 h 20 min")
        #expect(ResponseMetrics.format(nil) == "–")
    }

    @Test func exposureRuleCountsTheLastDayHeldAndBothWindowEnds() {
        let day = ExposureRule.day
        let start: Int64 = 100 * day
        let end: Int64 = 110 * day + 3_600_000
        // Held until the day before the window: that whole day ends at the window's start, so not exposed.
        #expect(
            !ExposureRule.overlaps(heldFromMs: 50 * day, heldUntilMs: 99 * day, windowStartMs: start, windowEndMs: end)
        )
        // Held until the window's first day: exposed.
        #expect(
            ExposureRule.overlaps(
                heldFromMs: 50 * day,
                heldUntilMs: 100 * day,
                windowStartMs: start + 3_600_000,
                windowEndMs: end
            )
        )
        #expect(ExposureRule.overlaps(heldFromMs: end, heldUntilMs: nil, windowStartMs: start, windowEndMs: end))
        #expect(!ExposureRule.overlaps(heldFromMs: end + 1, heldUntilMs: nil, windowStartMs: start, windowEndMs: end))
        #expect(ExposureRule.overlaps(heldFromMs: 0, heldUntilMs: nil, windowStartMs: start, windowEndMs: end))
    }
}
