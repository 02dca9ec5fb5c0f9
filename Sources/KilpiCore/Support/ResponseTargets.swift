import Foundation

/// Which clock a response target runs on.
///
/// Zammad runs every SLA on its business-hours calendar. Kilpi does not for the worst incidents: a SEV1 breach is
/// answered at night and at weekends, so a customer's question then is late after two real hours, not after two
/// office hours. Hence a per-target choice, with SEV1/SEV2 on `.calendar` and SEV3/SEV4 on `.business` by default.
public enum SLAClock: String, Sendable, Codable, CaseIterable {
    /// Every second counts (24/7).
    case calendar
    /// Only the `BusinessCalendar`'s opening hours count.
    case business

    /// The instant at which `duration` seconds on this clock have passed after `start`.
    public func advance(_ duration: TimeInterval, from start: Date, in calendar: BusinessCalendar) -> Date {
        switch self {
        case .calendar: start.addingTimeInterval(max(duration, 0))
        case .business: calendar.add(duration, to: start)
        }
    }

    /// Seconds on this clock from `start` to `end` (0 when `end` is not after `start`), to the millisecond.
    public func elapsed(from start: Date, to end: Date, in calendar: BusinessCalendar) -> TimeInterval {
        switch self {
        case .calendar: BusinessCalendar.milliseconds(max(end.timeIntervalSince(start), 0))
        case .business: calendar.businessDuration(from: start, to: end)
        }
    }
}

/// How long one target allows, on which clock.
public struct ResponseTarget: Sendable, Hashable, Codable {
    /// The allowance: a duration, or whole business days.
    public enum Amount: Sendable, Hashable, Codable {
        /// Seconds on the target's clock.
        case duration(TimeInterval)
        /// Days of the calendar's `businessDayLength` each (8 h for Mon–Fri 08:00–16:00): "one business day" from
        /// Tuesday 10:00 is Wednesday 10:00. Only on the business clock, where a day's hours mean something.
        case businessDays(Int)
    }

    public let amount: Amount
    public let clock: SLAClock

    /// A target, refused naming `field` unless its amount is more than zero and business days run on the
    /// business clock.
    public init(_ amount: Amount, clock: SLAClock, field: String = "target") throws {
        let positive: Bool
        switch amount {
        case .duration(let seconds): positive = seconds > 0 && seconds.isFinite
        case .businessDays(let days): positive = days > 0
        }
        guard positive else {
            throw ValidationFailed([FieldProblem(field, .l("must be more than zero", "on oltava enemmän kuin nolla"))])
        }
        if case .businessDays = amount, clock != .business {
            throw ValidationFailed([
                FieldProblem(
                    field,
                    .l(
                        "business days count only on the business-hours clock",
                        "arkipäiviä lasketaan vain aukioloaikojen kellolla"
                    )
                )
            ])
        }
        self.amount = amount
        self.clock = clock
    }

    /// `hours` on `clock`.
    public static func hours(_ hours: Double, clock: SLAClock, field: String = "target") throws -> ResponseTarget {
        try ResponseTarget(.duration(hours * 3600), clock: clock, field: field)
    }

    /// `days` business days on the business clock.
    public static func businessDays(_ days: Int, field: String = "target") throws -> ResponseTarget {
        try ResponseTarget(.businessDays(days), clock: .business, field: field)
    }

    /// The allowance in seconds on the target's clock.
    public func seconds(in calendar: BusinessCalendar) -> TimeInterval {
        switch amount {
        case .duration(let seconds): seconds
        case .businessDays(let days): TimeInterval(days) * calendar.businessDayLength
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            try container.decode(Amount.self, forKey: .amount),
            clock: try container.decode(SLAClock.self, forKey: .clock)
        )
    }

    private enum CodingKeys: String, CodingKey { case amount, clock }
}

/// The two targets of one severity.
public struct SeverityTargets: Sendable, Hashable, Codable {
    /// From the inquiry's arrival to the first reply by staff.
    public let firstResponse: ResponseTarget
    /// From the arrival to resolution, not counting time spent waiting for the customer.
    public let resolution: ResponseTarget

    public init(firstResponse: ResponseTarget, resolution: ResponseTarget) {
        self.firstResponse = firstResponse
        self.resolution = resolution
    }
}

/// Response-time targets per incident severity, and when to warn (pre-escalation).
public struct ResponseTargets: Sendable, Hashable, Codable {
    public let bySeverity: [Severity: SeverityTargets]
    /// The share of a target whose use raises `.warning` (Zammad's pre-escalation), 0.75 by default.
    public let warningShare: Double

    /// Targets for every severity; refused naming `targets.SEV3` when one is missing, `warningShare` unless it is
    /// more than 0 and less than 1.
    public init(_ bySeverity: [Severity: SeverityTargets], warningShare: Double = 0.75) throws {
        var problems: [FieldProblem] = []
        for severity in Severity.allCases where bySeverity[severity] == nil {
            problems.append(
                FieldProblem(
                    "targets.\(severity.rawValue)",
                    .l("give targets for every severity", "anna tavoitteet jokaiselle vakavuustasolle")
                )
            )
        }
        if !(warningShare > 0 && warningShare < 1) {
            problems.append(
                FieldProblem(
                    "warningShare",
                    .l("must be more than 0 and less than 1", "on oltava suurempi kuin 0 ja pienempi kuin 1")
                )
            )
        }
        guard problems.isEmpty else { throw ValidationFailed(problems) }
        self.bySeverity = bySeverity
        self.warningShare = warningShare
    }

    /// The targets of `severity`.
    public subscript(severity: Severity) -> SeverityTargets {
        // `init` refuses a set without every severity.
        bySeverity[severity]!
    }

    /// The shipped defaults (issue 11): SEV1 2 h / 24 h and SEV2 4 h / 48 h around the clock (a serious breach
    /// is answered at any hour); SEV3 and SEV4 one business day / 5 business days in opening hours.
    public static let defaults: ResponseTargets = {
        // Constant, valid targets: none of this can throw.
        let sev1 = SeverityTargets(
            firstResponse: try! .hours(2, clock: .calendar),
            resolution: try! .hours(24, clock: .calendar)
        )
        let sev2 = SeverityTargets(
            firstResponse: try! .hours(4, clock: .calendar),
            resolution: try! .hours(48, clock: .calendar)
        )
        let low = SeverityTargets(firstResponse: try! .businessDays(1), resolution: try! .businessDays(5))
        return try! ResponseTargets([.sev1: sev1, .sev2: sev2, .sev3: low, .sev4: low])
    }()

    private enum CodingKeys: String, CodingKey { case bySeverity, warningShare }

    /// Severities are keyed by their names (`"SEV1"`), and decoding validates like `init`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let named = try container.decode([String: SeverityTargets].self, forKey: .bySeverity)
        var bySeverity: [Severity: SeverityTargets] = [:]
        for (name, targets) in named {
            guard let severity = Severity(rawValue: name) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .bySeverity,
                    in: container,
                    debugDescription: "not a severity: \(name)"
                )
            }
            bySeverity[severity] = targets
        }
        try self.init(bySeverity, warningShare: try container.decode(Double.self, forKey: .warningShare))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(
            Dictionary(uniqueKeysWithValues: bySeverity.map { ($0.key.rawValue, $0.value) }),
            forKey: .bySeverity
        )
        try container.encode(warningShare, forKey: .warningShare)
    }
}
