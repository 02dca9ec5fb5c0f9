import Foundation

/// The support dashboard's arithmetic, kept apart from the queries so each figure has one definition.
public enum SupportMetrics {
    /// The nearest-rank percentile: the smallest value with at least `percent` % of the values at or below it,
    /// i.e. the value at rank ⌈percent/100 × n⌉ of the sorted values. Always one of the values (no interpolation),
    /// so "p90 = 3 h" means a real inquiry waited 3 h. Nil for no values or a percent outside 0 < percent ≤ 100.
    public static func percentile(_ percent: Double, of values: [TimeInterval]) -> TimeInterval? {
        guard !values.isEmpty, percent > 0, percent <= 100 else { return nil }
        let sorted = values.sorted()
        let rank = Int((percent * Double(sorted.count) / 100).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }

    /// Seconds from arrival to the first staff reply of each answered inquiry (replies after `now` not yet), on
    /// `clock`: `.calendar` is what the customer waited, `.business` what the team's hours allowed.
    public static func firstResponseTimes(
        _ inquiries: some Sequence<InquiryTimes>,
        clock: SLAClock = .calendar,
        calendar: BusinessCalendar = .finnishOffice,
        now: Date
    ) -> [TimeInterval] {
        inquiries.compactMap { inquiry in
            guard let answered = inquiry.firstResponseAt, answered <= now else { return nil }
            return clock.elapsed(from: inquiry.createdAt, to: answered, in: calendar)
        }
    }

    /// The first-response figures of the dashboard.
    public struct ResponseTimes: Sendable, Hashable, Codable {
        /// How many inquiries were answered (the percentiles are over these).
        public let count: Int
        public let p50: TimeInterval?
        public let p90: TimeInterval?
    }

    /// p50 and p90 (nearest rank) of `times`.
    public static func responseTimes(_ times: [TimeInterval]) -> ResponseTimes {
        ResponseTimes(count: times.count, p50: percentile(50, of: times), p90: percentile(90, of: times))
    }

    /// The share of decided targets that were kept: met ÷ (met + missed + breached). A breached target is decided
    /// (it can no longer be met) though still running; `.ok` and `.warning` are not decided yet and do not count.
    /// Nil when nothing is decided.
    public static func shareWithinTarget(_ statuses: some Sequence<SLAStatus>) -> Double? {
        var kept = 0
        var decided = 0
        for status in statuses {
            switch status {
            case .met:
                kept += 1
                decided += 1
            case .missed, .breached: decided += 1
            case .ok, .warning: break
            }
        }
        return decided == 0 ? nil : Double(kept) / Double(decided)
    }

    /// The spacing of the backlog's points.
    public enum BacklogStep: String, Sendable, Codable, CaseIterable {
        /// Every 3,600 seconds.
        case hour
        /// The same wall-clock time on each following day in the given zone (so 23 h or 25 h across a DST change).
        case day
    }

    /// How many inquiries were open at one moment.
    public struct BacklogPoint: Sendable, Hashable, Codable {
        public let at: Date
        public let open: Int
    }

    /// The most points one backlog request may ask for.
    public static let maximumBacklogPoints = 10_000

    /// The number of inquiries open at `start` and at each step after it up to `end` (inclusive when a step
    /// lands on it). Open at `t` means arrived at or before `t` and not resolved at or before `t`; waiting for
    /// the customer is still open. Refused naming `from` when `start` is after `end`, `to` beyond
    /// `maximumBacklogPoints` points.
    public static func openBacklog(
        _ inquiries: some Sequence<InquiryTimes>,
        from start: Date,
        to end: Date,
        step: BacklogStep,
        timeZone: TimeZone
    ) throws -> [BacklogPoint] {
        guard start <= end else {
            throw ValidationFailed([
                FieldProblem("from", .l("must not be after the end of the range", "ei saa olla jakson lopun jälkeen"))
            ])
        }
        let moments = try boundaries(from: start, to: end, step: step, timeZone: timeZone)
        var arrivals: [Date] = []
        var resolutions: [Date] = []
        for inquiry in inquiries {
            arrivals.append(inquiry.createdAt)
            // A resolution recorded before arrival (bad data) closes it on arrival, so counts never go negative.
            if let resolved = inquiry.resolvedAt { resolutions.append(max(resolved, inquiry.createdAt)) }
        }
        arrivals.sort()
        resolutions.sort()
        var arrived = 0
        var resolved = 0
        return moments.map { moment in
            while arrived < arrivals.count, arrivals[arrived] <= moment { arrived += 1 }
            while resolved < resolutions.count, resolutions[resolved] <= moment { resolved += 1 }
            return BacklogPoint(at: moment, open: arrived - resolved)
        }
    }

    static func boundaries(from start: Date, to end: Date, step: BacklogStep, timeZone: TimeZone) throws -> [Date] {
        let tooMany = ValidationFailed([
            FieldProblem(
                "to",
                .l(
                    "at most \(maximumBacklogPoints) points: choose a shorter range or a longer step",
                    "enintään \(maximumBacklogPoints) pistettä: valitse lyhyempi jakso tai pidempi väli"
                )
            )
        ])
        switch step {
        case .hour:
            let count = Int((end.timeIntervalSince(start) / 3600).rounded(.down)) + 1
            guard count <= maximumBacklogPoints else { throw tooMany }
            return (0..<count).map { start.addingTimeInterval(TimeInterval($0) * 3600) }
        case .day:
            guard end.timeIntervalSince(start) / 86_400 < Double(maximumBacklogPoints) else { throw tooMany }
            let day = BusinessCalendar.localDate(of: start, in: timeZone)
            let secondOfDay =
                BusinessCalendar.wallSeconds(of: start, in: timeZone) - TimeInterval(day.dayNumber) * 86_400
            var moments: [Date] = []
            var offset = 0
            while true {
                let moment =
                    offset == 0
                    ? start : BusinessCalendar.instant(of: day.adding(days: offset), second: secondOfDay, in: timeZone)
                guard moment <= end else { break }
                moments.append(moment)
                offset += 1
            }
            return moments
        }
    }
}
