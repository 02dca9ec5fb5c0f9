import Foundation
import Testing

@testable import KilpiCore

/// The SLA clock of one inquiry: due times, the 75 % warning, pauses while waiting for the customer, and the
/// difference between breached (running and late), met and missed (done).
@Suite struct InquirySLATests {
    let policy = SLAPolicy()
    let hour = SupportTestTimes.hour
    func at(_ text: String) -> Date { SupportTestTimes.at(text) }

    @Test func theShippedTargets() throws {
        let targets = ResponseTargets.defaults
        #expect(targets[.sev1].firstResponse == (try ResponseTarget.hours(2, clock: .calendar)))
        #expect(targets[.sev1].resolution == (try ResponseTarget.hours(24, clock: .calendar)))
        #expect(targets[.sev2].firstResponse == (try ResponseTarget.hours(4, clock: .calendar)))
        #expect(targets[.sev2].resolution == (try ResponseTarget.hours(48, clock: .calendar)))
        for severity in [Severity.sev3, .sev4] {
            #expect(targets[severity].firstResponse == (try ResponseTarget.businessDays(1)))
            #expect(targets[severity].resolution == (try ResponseTarget.businessDays(5)))
            #expect(targets[severity].firstResponse.seconds(in: .finnishOffice) == 8 * hour)
        }
        #expect(targets.warningShare == 0.75)
    }

    @Test func sev1RunsAroundTheClock() {
        // Saturday night: two real hours, not two office hours.
        let created = at("2026-11-28T23:00:00+02:00")
        let sla = policy.evaluate(InquiryTimes(createdAt: created), severity: .sev1, now: created)
        #expect(sla.firstResponse.due == at("2026-11-29T01:00:00+02:00"))
        #expect(sla.resolution.due == at("2026-11-29T23:00:00+02:00"))
        #expect(sla.firstResponse.status == .ok)
        #expect(sla.highlight == .ok)
    }

    @Test func sev3WaitsForOpeningHours() {
        // Friday 15:00: one business day (8 h) is Monday 15:00.
        let created = at("2026-11-27T15:00:00+02:00")
        let sla = policy.evaluate(InquiryTimes(createdAt: created), severity: .sev3, now: created)
        #expect(sla.firstResponse.due == at("2026-11-30T15:00:00+02:00"))
        // Five business days from Monday 21 Dec 10:00 skip Christmas Eve and Christmas Day: Wednesday 30 Dec 10:00.
        let christmas = policy.evaluate(
            InquiryTimes(createdAt: at("2026-12-21T10:00:00+02:00")),
            severity: .sev4,
            now: at("2026-12-21T10:00:00+02:00")
        )
        #expect(christmas.firstResponse.due == at("2026-12-22T10:00:00+02:00"))
        #expect(christmas.resolution.due == at("2026-12-30T10:00:00+02:00"))
        // On Christmas Day the clock stands still: 6 + 8 + 8 = 22 of 40 hours used.
        let onChristmasDay = policy.evaluate(
            InquiryTimes(createdAt: at("2026-12-21T10:00:00+02:00")),
            severity: .sev4,
            now: at("2026-12-25T12:00:00+02:00")
        )
        #expect(onChristmasDay.resolution.used == 22 * hour)
        #expect(onChristmasDay.resolution.status == .ok)
        #expect(onChristmasDay.firstResponse.status == .breached)
    }

    @Test func preEscalationAtExactlySeventyFivePercent() {
        let created = at("2026-12-01T10:00:00+02:00")
        let times = InquiryTimes(createdAt: created)
        func firstResponse(after seconds: TimeInterval) -> TargetState {
            policy.evaluate(times, severity: .sev1, now: created.addingTimeInterval(seconds)).firstResponse
        }
        #expect(firstResponse(after: 5399).status == .ok)
        #expect(firstResponse(after: 5400).status == .warning)
        #expect(firstResponse(after: 5400).share == 0.75)
        #expect(firstResponse(after: 7199).status == .warning)
        #expect(firstResponse(after: 7200).status == .breached)
        #expect(firstResponse(after: 7200).share == 1)

        // On the business clock: Friday 10:00 + 6 of 8 hours is closing time on Friday, and the warning stays
        // through the weekend because the clock is stopped.
        let friday = InquiryTimes(createdAt: at("2026-11-27T10:00:00+02:00"))
        #expect(
            policy.evaluate(friday, severity: .sev3, now: at("2026-11-27T15:59:00+02:00")).firstResponse.status == .ok
        )
        let closing = policy.evaluate(friday, severity: .sev3, now: at("2026-11-27T16:00:00+02:00")).firstResponse
        #expect(closing.status == .warning)
        #expect(closing.share == 0.75)
        let sunday = policy.evaluate(friday, severity: .sev3, now: at("2026-11-29T20:00:00+02:00")).firstResponse
        #expect(sunday.status == .warning)
        #expect(sunday.used == 6 * hour)

        // Another warning share.
        let early = try! ResponseTargets(ResponseTargets.defaults.bySeverity, warningShare: 0.5)
        let sla = SLAPolicy(targets: early).evaluate(times, severity: .sev1, now: created.addingTimeInterval(3600))
        #expect(sla.firstResponse.status == .warning)
    }

    @Test func metMissedAndBreached() {
        let created = at("2026-12-01T10:00:00+02:00")
        func sla(firstResponse: TimeInterval?, resolved: TimeInterval? = nil, now: TimeInterval) -> InquirySLA {
            policy.evaluate(
                InquiryTimes(
                    createdAt: created,
                    firstResponseAt: firstResponse.map { created.addingTimeInterval($0) },
                    resolvedAt: resolved.map { created.addingTimeInterval($0) }
                ),
                severity: .sev1,
                now: created.addingTimeInterval(now)
            )
        }
        // Answered exactly at the due time: met; a second later: missed, even when asked about much later.
        #expect(sla(firstResponse: 7200, now: 7200).firstResponse.status == .met)
        #expect(sla(firstResponse: 7201, now: 90_000).firstResponse.status == .missed)
        #expect(sla(firstResponse: 7201, now: 90_000).firstResponse.completedAt == created.addingTimeInterval(7201))
        // Not answered: breached once due, and it stays breached.
        #expect(sla(firstResponse: nil, now: 7200).firstResponse.status == .breached)
        #expect(sla(firstResponse: nil, now: 7200).highlight == .breached)
        // A reply recorded after `now` has not happened yet.
        #expect(sla(firstResponse: 3 * hour, now: hour).firstResponse.status == .ok)
        #expect(sla(firstResponse: 3 * hour, now: hour).firstResponse.completedAt == nil)
        // Resolved without a reply: the first-response clock stops too.
        let closed = sla(firstResponse: nil, resolved: hour, now: 30 * hour)
        #expect(closed.firstResponse.status == .met)
        #expect(closed.resolution.status == .met)
        #expect(closed.highlight == nil)
        // Resolution late.
        let late = sla(firstResponse: hour, resolved: 25 * hour, now: 30 * hour)
        #expect(late.firstResponse.status == .met)
        #expect(late.resolution.status == .missed)
        #expect(late.resolution.share > 1)
        // The first response missed, the resolution still running and fine: the inbox highlights the running one.
        let mixed = sla(firstResponse: 3 * hour, now: 4 * hour)
        #expect(mixed.firstResponse.status == .missed)
        #expect(mixed.resolution.status == .ok)
        #expect(mixed.highlight == .ok)
    }

    @Test func waitingForTheCustomerStopsTheResolutionClock() {
        let created = at("2026-12-01T10:00:00+02:00")
        func times(_ pauses: [(TimeInterval, TimeInterval?)], resolved: TimeInterval? = nil) -> InquiryTimes {
            InquiryTimes(
                createdAt: created,
                firstResponseAt: created.addingTimeInterval(hour),
                resolvedAt: resolved.map { created.addingTimeInterval($0) },
                pauses: pauses.map {
                    SLAPause(start: created.addingTimeInterval($0.0), end: $0.1.map { created.addingTimeInterval($0) })
                }
            )
        }
        func resolution(_ times: InquiryTimes, now: TimeInterval) -> TargetState {
            policy.evaluate(times, severity: .sev1, now: created.addingTimeInterval(now)).resolution
        }
        // Ten hours waiting: the 24 h target is due after 34 h, and at 30 h only 20 h are used.
        let waited = times([(2 * hour, 12 * hour)])
        #expect(resolution(waited, now: 30 * hour).due == created.addingTimeInterval(34 * hour))
        #expect(resolution(waited, now: 30 * hour).used == 20 * hour)
        #expect(resolution(waited, now: 30 * hour).status == .warning)
        #expect(!resolution(waited, now: 30 * hour).isPaused)
        #expect(resolution(times([(2 * hour, 12 * hour)], resolved: 33 * hour), now: 40 * hour).status == .met)
        #expect(resolution(times([], resolved: 33 * hour), now: 40 * hour).status == .missed)
        // The first response does not pause.
        #expect(
            policy.evaluate(waited, severity: .sev1, now: created).firstResponse.due
                == created.addingTimeInterval(2 * hour)
        )

        // Still waiting: used stops at 20 h, the status does not get worse, and the due time assumes an answer now.
        let waiting = times([(20 * hour, nil)])
        let atForty = resolution(waiting, now: 40 * hour)
        #expect(atForty.isPaused)
        #expect(atForty.used == 20 * hour)
        #expect(atForty.status == .warning)
        #expect(atForty.due == created.addingTimeInterval(44 * hour))
        #expect(resolution(waiting, now: 100 * hour).status == .warning)

        // Overlapping pauses count once (2–12 h and 10–14 h: 12 h), and time before arrival not at all.
        let overlapping = times([(2 * hour, 12 * hour), (10 * hour, 14 * hour), (-5 * hour, 0)])
        #expect(resolution(overlapping, now: 30 * hour).used == 18 * hour)
        #expect(resolution(overlapping, now: 30 * hour).due == created.addingTimeInterval(36 * hour))
    }

    @Test func pausesOnTheBusinessClock() {
        // SEV3, 5 business days from Monday 30 Nov 08:00 end on Friday 4 Dec 16:00; waiting from Tuesday 08:00 to
        // Wednesday 08:00 (8 business hours) moves the due time to Monday 7 Dec 16:00. A pause over a weekend
        // stops nothing that was running.
        let created = at("2026-11-30T08:00:00+02:00")
        let plain = policy.evaluate(InquiryTimes(createdAt: created), severity: .sev3, now: created)
        #expect(plain.resolution.due == at("2026-12-04T16:00:00+02:00"))
        let paused = InquiryTimes(
            createdAt: created,
            firstResponseAt: at("2026-11-30T09:00:00+02:00"),
            pauses: [
                SLAPause(start: at("2026-12-01T08:00:00+02:00"), end: at("2026-12-02T08:00:00+02:00")),
                SLAPause(start: at("2026-12-05T10:00:00+02:00"), end: at("2026-12-06T10:00:00+02:00")),
            ]
        )
        let sla = policy.evaluate(paused, severity: .sev3, now: at("2026-12-07T10:00:00+02:00"))
        #expect(sla.resolution.due == at("2026-12-07T16:00:00+02:00"))
        #expect(sla.resolution.used == 34 * hour)
        #expect(sla.resolution.status == .warning)
        #expect(sla.firstResponse.status == .met)
    }

    @Test func badTargetsNameTheField() {
        func problems(_ make: () throws -> Any) -> [FieldProblem] {
            do {
                _ = try make()
                return []
            } catch let failure as ValidationFailed {
                return failure.problems
            } catch {
                return []
            }
        }
        let zero = problems { try ResponseTarget.hours(0, clock: .calendar, field: "targets.SEV1.firstResponse") }
        #expect(zero.map(\.field) == ["targets.SEV1.firstResponse"])
        #expect(zero.first?.reason(in: .sv) == "måste vara mer än noll")
        #expect(problems { try ResponseTarget.businessDays(0) }.count == 1)
        #expect(problems { try ResponseTarget(.duration(.infinity), clock: .calendar) }.count == 1)
        let daysOnCalendar = problems { try ResponseTarget(.businessDays(1), clock: .calendar) }
        #expect(daysOnCalendar.first?.reason == "business days count only on the business-hours clock")
        #expect(daysOnCalendar.first?.reason(in: .fi) == "arkipäiviä lasketaan vain aukioloaikojen kellolla")

        var missing = ResponseTargets.defaults.bySeverity
        missing[.sev4] = nil
        #expect(
            problems { try ResponseTargets(missing, warningShare: 1) }.map(\.field) == ["targets.SEV4", "warningShare"]
        )
        #expect(problems { try ResponseTargets(ResponseTargets.defaults.bySeverity, warningShare: 0) }.count == 1)
        #expect(problems { try ResponseTargets(ResponseTargets.defaults.bySeverity, warningShare: .nan) }.count == 1)
    }

    @Test func targetsRoundTripThroughJSON() throws {
        let data = try JSONEncoder().encode(ResponseTargets.defaults)
        #expect(String(decoding: data, as: UTF8.self).contains(#""SEV3""#))
        #expect(try JSONDecoder().decode(ResponseTargets.self, from: data) == ResponseTargets.defaults)
        let policy = SLAPolicy()
        #expect(try JSONDecoder().decode(SLAPolicy.self, from: try JSONEncoder().encode(policy)) == policy)
    }
}

/// Pauses and the resolution time read from an inquiry's status moves, as the store records them.
@Suite struct InquiryTimesHistoryTests {
    let created = SupportTestTimes.at("2026-12-01T10:00:00+02:00")
    func after(_ hours: Double) -> Date { created.addingTimeInterval(hours * SupportTestTimes.hour) }

    @Test func waitingAndReopenedStretchesArePauses() {
        let times = InquiryTimes(
            createdAt: created,
            firstResponseAt: after(1),
            moves: [
                (.new, after(0)), (.open, after(1)), (.waitingForCustomer, after(2)), (.open, after(5)),
                (.resolved, after(10)), (.open, after(12)), (.waitingForCustomer, after(14)), (.resolved, after(20)),
            ]
        )
        #expect(
            times.pauses == [
                SLAPause(start: after(2), end: after(5)), SLAPause(start: after(10), end: after(12)),
                SLAPause(start: after(14), end: after(20)),
            ]
        )
        #expect(times.resolvedAt == after(20))
        // 20 h since arrival, 11 h of them stopped: 9 h used of SEV1's 24 h.
        let sla = SLAPolicy().evaluate(times, severity: .sev1, now: after(30))
        #expect(sla.resolution.used == 9 * SupportTestTimes.hour)
        #expect(sla.resolution.status == .met)
    }

    @Test func stillWaitingOrReopened() {
        // Moves given out of order are sorted by time.
        let waiting = InquiryTimes(
            createdAt: created,
            firstResponseAt: after(1),
            moves: [(.waitingForCustomer, after(3)), (.open, after(1))]
        )
        #expect(waiting.pauses == [SLAPause(start: after(3), end: nil)])
        #expect(waiting.resolvedAt == nil)
        #expect(SLAPolicy().evaluate(waiting, severity: .sev1, now: after(10)).resolution.isPaused)

        let reopened = InquiryTimes(
            createdAt: created,
            firstResponseAt: nil,
            moves: [(.resolved, after(4)), (.open, after(6))]
        )
        #expect(reopened.pauses == [SLAPause(start: after(4), end: after(6))])
        #expect(reopened.resolvedAt == nil)
        #expect(InquiryTimes(createdAt: created, firstResponseAt: nil, moves: []).pauses.isEmpty)
    }
}
