import Foundation

/// A stretch during which an inquiry waited for the customer. The resolution clock stops meanwhile (as Zammad's
/// pending states stop escalation), since nobody can resolve a question whose asker has not answered.
public struct SLAPause: Sendable, Hashable, Codable {
    public let start: Date
    /// Nil while still waiting.
    public let end: Date?

    public init(start: Date, end: Date?) {
        self.start = start
        self.end = end
    }
}

/// The moments of one inquiry that its targets depend on, as the store keeps them.
public struct InquiryTimes: Sendable, Hashable, Codable {
    public var createdAt: Date
    /// The first reply by staff (internal notes do not count).
    public var firstResponseAt: Date?
    public var resolvedAt: Date?
    public var pauses: [SLAPause]

    public init(createdAt: Date, firstResponseAt: Date? = nil, resolvedAt: Date? = nil, pauses: [SLAPause] = []) {
        self.createdAt = createdAt
        self.firstResponseAt = firstResponseAt
        self.resolvedAt = resolvedAt
        self.pauses = pauses
    }
}

/// Where one target stands. The first three are for a target still running, the last two for one that is done.
public enum SLAStatus: String, Sendable, Codable, CaseIterable {
    /// Less than the warning share used.
    case ok
    /// At least the warning share (75 %) used: pre-escalation, someone should pick it up now.
    case warning
    /// The whole allowance used and not done: escalated.
    case breached
    /// Done within the allowance (exactly at the due time counts as met).
    case met
    /// Done, but after the allowance ran out.
    case missed

    /// Whether the target is still running.
    public var isRunning: Bool { self == .ok || self == .warning || self == .breached }
}

/// One target of one inquiry, evaluated at a moment.
public struct TargetState: Sendable, Hashable, Codable {
    public let target: ResponseTarget
    /// The allowance in seconds on the target's clock.
    public let allowed: TimeInterval
    /// Seconds used on the target's clock, up to completion or to now, without pauses; to the millisecond.
    public let used: TimeInterval
    /// `used / allowed`: 1 or more once the target has run out.
    public let share: Double
    /// When the allowance runs out. While the inquiry waits for the customer, the due time assumes the customer
    /// answers now, so it moves on as the wait goes on.
    public let due: Date
    /// When the target was done (answered, resolved), nil while it runs.
    public let completedAt: Date?
    public let status: SLAStatus
    /// Whether the clock is stopped now (waiting for the customer; only the resolution target pauses).
    public let isPaused: Bool
}

/// Both targets of one inquiry at one moment: a pure function of the inquiry's times, its targets, the calendar
/// and `now`, so the inbox, the dashboard and the metrics agree and tests need no clock.
public struct InquirySLA: Sendable, Hashable, Codable {
    public let firstResponse: TargetState
    public let resolution: TargetState

    /// The worst status of the targets still running (breached, then warning, then ok), nil when both are done:
    /// what the inbox and the dashboard highlight.
    public var highlight: SLAStatus? {
        let running = [firstResponse.status, resolution.status].filter(\.isRunning)
        for status in [SLAStatus.breached, .warning, .ok] where running.contains(status) { return status }
        return nil
    }

    /// Evaluates both targets of `times` at `now`.
    ///
    /// Events after `now` have not happened yet, so evaluating at an earlier `now` shows the state as it was then.
    /// Resolving an inquiry without a reply also stops its first-response clock (Zammad does the same when a
    /// ticket is closed). Pauses stop only the resolution clock: waiting for the customer follows a reply. Times
    /// before `createdAt` count as `createdAt`; overlapping pauses count once.
    public static func evaluate(
        _ times: InquiryTimes,
        targets: SeverityTargets,
        calendar: BusinessCalendar,
        warningShare: Double = 0.75,
        now: Date
    ) -> InquirySLA {
        let created = times.createdAt
        func happened(_ date: Date?) -> Date? {
            guard let date, date <= now else { return nil }
            return max(date, created)
        }
        let resolved = happened(times.resolvedAt)
        let answered = [happened(times.firstResponseAt), resolved].compactMap { $0 }.min()

        let first = TargetClock(target: targets.firstResponse, calendar: calendar, created: created, pauses: [])
        let stopsAt = resolved ?? max(now, created)
        let pauses = Self.pauses(times.pauses, from: created, to: stopsAt, now: now)
        let resolution = TargetClock(target: targets.resolution, calendar: calendar, created: created, pauses: pauses)
        let waitingNow =
            resolved == nil && times.pauses.contains { $0.start <= now && ($0.end.map { $0 > now } ?? true) }
        return InquirySLA(
            firstResponse: first.state(completedAt: answered, now: now, warningShare: warningShare, paused: false),
            resolution: resolution.state(
                completedAt: resolved,
                now: now,
                warningShare: warningShare,
                paused: waitingNow
            )
        )
    }

    /// The pauses within `start...end`, an open one ending at `now`, sorted and merged.
    static func pauses(_ pauses: [SLAPause], from start: Date, to end: Date, now: Date) -> [DateInterval] {
        let clipped =
            pauses
            .map { (start: max($0.start, start), end: min($0.end ?? now, now, end)) }
            .filter { $0.end > $0.start }
            .sorted { $0.start < $1.start }
        var merged: [DateInterval] = []
        for pause in clipped {
            if let last = merged.last, pause.start <= last.end {
                merged[merged.count - 1] = DateInterval(start: last.start, end: max(last.end, pause.end))
            } else {
                merged.append(DateInterval(start: pause.start, end: pause.end))
            }
        }
        return merged
    }
}

/// The calendar and targets a company uses: the one value the inbox, dashboard and metrics need.
public struct SLAPolicy: Sendable, Equatable, Codable {
    public let calendar: BusinessCalendar
    public let targets: ResponseTargets

    public init(calendar: BusinessCalendar = .finnishOffice, targets: ResponseTargets = .defaults) {
        self.calendar = calendar
        self.targets = targets
    }

    /// Both targets of an inquiry about an incident of `severity`, at `now`.
    public func evaluate(_ times: InquiryTimes, severity: Severity, now: Date) -> InquirySLA {
        InquirySLA.evaluate(
            times,
            targets: targets[severity],
            calendar: calendar,
            warningShare: targets.warningShare,
            now: now
        )
    }
}

/// One target's clock from the inquiry's arrival, with the pauses (sorted, merged, after arrival) it skips.
private struct TargetClock {
    let target: ResponseTarget
    let calendar: BusinessCalendar
    let created: Date
    let pauses: [DateInterval]

    var allowed: TimeInterval { target.seconds(in: calendar) }

    /// Seconds on the clock from arrival to `end`, without the pauses.
    func used(until end: Date) -> TimeInterval {
        let total = target.clock.elapsed(from: created, to: end, in: calendar)
        let paused = pauses.reduce(0) {
            $0 + target.clock.elapsed(from: $1.start, to: min($1.end, end), in: calendar)
        }
        return BusinessCalendar.milliseconds(max(total - paused, 0))
    }

    /// The instant the allowance runs out: the clock runs from arrival, stops at each pause, resumes after it.
    var due: Date {
        var cursor = created
        var remaining = allowed
        for pause in pauses {
            let unpaused = target.clock.advance(remaining, from: cursor, in: calendar)
            if unpaused <= pause.start { return unpaused }
            remaining -= target.clock.elapsed(from: cursor, to: pause.start, in: calendar)
            cursor = pause.end
        }
        return target.clock.advance(remaining, from: cursor, in: calendar)
    }

    func state(completedAt: Date?, now: Date, warningShare: Double, paused: Bool) -> TargetState {
        let used = used(until: completedAt ?? max(now, created))
        let status: SLAStatus
        if completedAt != nil {
            status = used <= allowed ? .met : .missed
        } else if used >= allowed {
            status = .breached
        } else if used >= allowed * warningShare {
            status = .warning
        } else {
            status = .ok
        }
        return TargetState(
            target: target,
            allowed: allowed,
            used: used,
            share: allowed > 0 ? used / allowed : 0,
            due: due,
            completedAt: completedAt,
            status: status,
            isPaused: paused && completedAt == nil
        )
    }
}
