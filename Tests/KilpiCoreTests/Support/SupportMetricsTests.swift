import Foundation
import Testing

@testable import KilpiCore

/// The dashboard's arithmetic on small examples worked out by hand.
@Suite struct SupportMetricsTests {
    let hour = SupportTestTimes.hour
    func at(_ text: String) -> Date { SupportTestTimes.at(text) }

    @Test func nearestRankPercentile() {
        // Wikipedia's examples of the nearest-rank method.
        let five: [TimeInterval] = [35, 20, 50, 15, 40]  // unsorted on purpose
        #expect(SupportMetrics.percentile(5, of: five) == 15)
        #expect(SupportMetrics.percentile(30, of: five) == 20)
        #expect(SupportMetrics.percentile(40, of: five) == 20)
        #expect(SupportMetrics.percentile(50, of: five) == 35)
        #expect(SupportMetrics.percentile(100, of: five) == 50)
        let ten: [TimeInterval] = [3, 6, 7, 8, 8, 10, 13, 15, 16, 20]
        #expect(SupportMetrics.percentile(25, of: ten) == 7)
        #expect(SupportMetrics.percentile(50, of: ten) == 8)  // interpolation would say 9
        #expect(SupportMetrics.percentile(75, of: ten) == 15)
        #expect(SupportMetrics.percentile(90, of: ten) == 16)
        #expect(SupportMetrics.percentile(91, of: ten) == 20)
        #expect(SupportMetrics.percentile(100, of: ten) == 20)
        #expect(SupportMetrics.percentile(50, of: [42]) == 42)
        #expect(SupportMetrics.percentile(50, of: []) == nil)
        #expect(SupportMetrics.percentile(0, of: ten) == nil)
        #expect(SupportMetrics.percentile(100.5, of: ten) == nil)

        let summary = SupportMetrics.responseTimes(ten)
        #expect(summary.count == 10)
        #expect(summary.p50 == 8)
        #expect(summary.p90 == 16)
    }

    @Test func firstResponseTimesOnEitherClock() {
        let now = at("2026-12-10T12:00:00+02:00")
        let inquiries = [
            // Friday 15:00, answered Monday 09:00: 66 h of waiting, 2 h of opening hours.
            InquiryTimes(createdAt: at("2026-11-27T15:00:00+02:00"), firstResponseAt: at("2026-11-30T09:00:00+02:00")),
            InquiryTimes(createdAt: at("2026-12-01T10:00:00+02:00"), firstResponseAt: at("2026-12-01T10:30:00+02:00")),
            // Unanswered, and answered only after now: neither counts.
            InquiryTimes(createdAt: at("2026-12-01T10:00:00+02:00")),
            InquiryTimes(createdAt: at("2026-12-09T10:00:00+02:00"), firstResponseAt: at("2026-12-11T10:00:00+02:00")),
        ]
        #expect(SupportMetrics.firstResponseTimes(inquiries, now: now) == [66 * hour, 0.5 * hour])
        #expect(SupportMetrics.firstResponseTimes(inquiries, clock: .business, now: now) == [2 * hour, 0.5 * hour])
    }

    @Test func shareWithinTarget() {
        #expect(SupportMetrics.shareWithinTarget([.met, .met, .missed, .breached, .ok, .warning]) == 0.5)
        #expect(SupportMetrics.shareWithinTarget([.met, .met, .met, .missed]) == 0.75)
        #expect(SupportMetrics.shareWithinTarget([.ok, .warning]) == nil)
        #expect(SupportMetrics.shareWithinTarget([]) == nil)

        // From evaluated inquiries: one answered in time, one late, one still waiting within its time.
        let policy = SLAPolicy()
        let created = at("2026-12-01T10:00:00+02:00")
        let now = created.addingTimeInterval(5 * hour)
        let statuses = [nil, 3 * hour, 0.5 * hour].map { answered in
            policy.evaluate(
                InquiryTimes(createdAt: created, firstResponseAt: answered.map { created.addingTimeInterval($0) }),
                severity: .sev2,
                now: now
            ).firstResponse.status
        }
        #expect(statuses == [.breached, .met, .met])
        #expect(SupportMetrics.shareWithinTarget(statuses) == 2.0 / 3.0)
    }

    @Test func hourlyBacklog() throws {
        func hourly(_ text: String) -> Date { at("2026-12-01T\(text):00+02:00") }
        let inquiries = [
            InquiryTimes(createdAt: hourly("09:30"), resolvedAt: hourly("11:00")),  // A
            InquiryTimes(createdAt: hourly("10:00")),  // B: arrives on a boundary, counts there
            InquiryTimes(createdAt: hourly("08:00"), resolvedAt: hourly("10:00")),  // C: resolved on a boundary
            InquiryTimes(createdAt: hourly("12:30")),  // D: after the last point
            InquiryTimes(createdAt: hourly("08:30"), resolvedAt: hourly("08:00")),  // bad data: never open
        ]
        let points = try SupportMetrics.openBacklog(
            inquiries,
            from: hourly("09:00"),
            to: hourly("12:00"),
            step: .hour,
            timeZone: BusinessCalendar.finnishOffice.timeZone
        )
        #expect(points.map(\.at) == [hourly("09:00"), hourly("10:00"), hourly("11:00"), hourly("12:00")])
        #expect(points.map(\.open) == [1, 2, 1, 1])
        // A range that is not a whole number of steps stops at the last step inside it.
        let partial = try SupportMetrics.openBacklog(
            inquiries,
            from: hourly("09:00"),
            to: hourly("10:59"),
            step: .hour,
            timeZone: BusinessCalendar.finnishOffice.timeZone
        )
        #expect(partial.map(\.open) == [1, 2])
    }

    @Test func dailyBacklogFollowsLocalMidnightAcrossDST() throws {
        let zone = BusinessCalendar.finnishOffice.timeZone
        let inquiries = [
            InquiryTimes(createdAt: at("2026-03-28T10:00:00+02:00"), resolvedAt: at("2026-03-30T10:00:00+03:00")),
            InquiryTimes(createdAt: at("2026-03-29T23:30:00+03:00")),
        ]
        let points = try SupportMetrics.openBacklog(
            inquiries,
            from: at("2026-03-28T00:00:00+02:00"),
            to: at("2026-03-31T00:00:00+03:00"),
            step: .day,
            timeZone: zone
        )
        #expect(
            points.map(\.at) == [
                at("2026-03-28T00:00:00+02:00"), at("2026-03-29T00:00:00+02:00"), at("2026-03-30T00:00:00+03:00"),
                at("2026-03-31T00:00:00+03:00"),
            ]
        )
        #expect(points.map(\.open) == [0, 1, 2, 1])
    }

    @Test func backlogRefusesBadRanges() {
        let start = at("2026-12-01T00:00:00+02:00")
        let zone = BusinessCalendar.finnishOffice.timeZone
        #expect {
            try SupportMetrics.openBacklog(
                [],
                from: start,
                to: start.addingTimeInterval(-1),
                step: .hour,
                timeZone: zone
            )
        } throws: { error in
            (error as? ValidationFailed)?.problems.map(\.field) == ["from"]
        }
        #expect {
            try SupportMetrics.openBacklog(
                [],
                from: start,
                to: start.addingTimeInterval(10_000 * hour),
                step: .hour,
                timeZone: zone
            )
        } throws: { error in
            let problem = (error as? ValidationFailed)?.problems.first
            return problem?.field == "to"
                && problem?.reason(in: .sv) == "högst 10000 punkter: välj en kortare period eller ett längre intervall"
        }
        // The most allowed, and a single point.
        #expect(
            (try? SupportMetrics.openBacklog(
                [],
                from: start,
                to: start.addingTimeInterval(9_999 * hour),
                step: .hour,
                timeZone: zone
            ))?.count
                == 10_000
        )
        #expect((try? SupportMetrics.openBacklog([], from: start, to: start, step: .day, timeZone: zone))?.count == 1)
    }
}
