import Foundation

/// A low / likely / high triple: every impact figure is a range, never a single false-precise number.
public struct Range3: Sendable, Equatable, Codable {
    public var low: Double
    public var likely: Double
    public var high: Double
    public init(_ low: Double, _ likely: Double, _ high: Double) {
        self.low = low
        self.likely = likely
        self.high = high
    }

    public static func + (a: Range3, b: Range3) -> Range3 {
        Range3(a.low + b.low, a.likely + b.likely, a.high + b.high)
    }
    public static func * (a: Range3, b: Range3) -> Range3 {
        Range3(a.low * b.low, a.likely * b.likely, a.high * b.high)
    }
    public static func * (a: Range3, k: Double) -> Range3 { Range3(a.low * k, a.likely * k, a.high * k) }
    public static let zero = Range3(0, 0, 0)

    /// Low ≤ likely ≤ high, none negative.
    public var isOrdered: Bool { low >= 0 && low <= likely && likely <= high && high.isFinite }
}

/// One editable assumption of the impact model: its range and where the numbers come from.
public struct Assumption: Sendable, Equatable, Codable {
    public var value: Range3
    public var source: String
    public init(_ value: Range3, source: String) {
        self.value = value
        self.source = source
    }
}

/// Which GDPR Art. 83 ceiling applies: (4) for controller/processor obligations such as Art. 32–34 (security,
/// breach notification), (5) for the principles, lawfulness and data-subject rights.
public enum FineTier: String, Sendable, CaseIterable, Codable {
    case article83_4 = "art83_4"
    case article83_5 = "art83_5"

    /// The fixed ceiling in euros and the share of worldwide annual turnover; the higher of the two applies.
    public var fixedCeiling: Double { self == .article83_4 ? 10_000_000 : 20_000_000 }
    public var turnoverShare: Double { self == .article83_4 ? 0.02 : 0.04 }

    /// The maximum fine for an undertaking with this annual turnover.
    public func ceiling(turnover: Double) -> Double { max(fixedCeiling, turnoverShare * turnover) }
}

/// Every assumption of the impact estimate. Responders edit them per incident; each carries its source.
public struct ImpactAssumptions: Sendable, Equatable, Codable {
    /// ISO 4217 code the money figures are in.
    public var currency: String
    public var costPerRecord: Assumption
    /// Worldwide annual turnover of the undertaking (the fine ceiling is a share of it).
    public var annualTurnover: Double
    public var fineTier: FineTier
    /// Share of the Art. 83 ceiling expected as a fine.
    public var fineShare: Assumption
    public var noticeCostPerCustomer: Assumption
    /// Share of affected customers who contact support.
    public var supportContactRate: Assumption
    public var supportCostPerContact: Assumption
    /// Share of affected customers expected to leave.
    public var churnRate: Assumption
    /// What a customer who leaves is worth (margin over their remaining lifetime).
    public var customerValue: Assumption

    public static let defaults = ImpactAssumptions(
        currency: "EUR",
        costPerRecord: Assumption(
            Range3(50, 150, 170),
            source:
                "IBM/Ponemon Cost of a Data Breach 2024: USD 4.88 M average total cost per breach. IBM's per-record figure already includes notification and lost business, so lower this if you also count those below."
        ),
        annualTurnover: 25_000_000,
        fineTier: .article83_4,
        fineShare: Assumption(
            Range3(0, 0.02, 0.10),
            source:
                "Judgement: GDPR Art. 83(2) weighs cooperation, mitigation and prior measures; most fines are a small share of the ceiling. Ceiling: GDPR Art. 83(4) EUR 10 M or 2 % of turnover, Art. 83(5) EUR 20 M or 4 %, whichever is higher."
        ),
        noticeCostPerCustomer: Assumption(
            Range3(0.05, 0.5, 2.0),
            source: "Own estimate: email about EUR 0.05 per notice; letters with printing and postage about EUR 2."
        ),
        supportContactRate: Assumption(
            Range3(0.05, 0.15, 0.30),
            source: "Own estimate: share of notified customers who write or call; set from your own support history."
        ),
        supportCostPerContact: Assumption(
            Range3(3, 6, 12),
            source: "Own estimate: fully loaded cost of one support conversation."
        ),
        churnRate: Assumption(
            Range3(0.02, 0.07, 0.20),
            source:
                "IDC consumer survey 2017: 78 % would switch if a breach affected them directly (stated intent, an upper bound; actual churn is far lower)."
        ),
        customerValue: Assumption(
            Range3(50, 120, 300),
            source:
                "Own estimate: average margin a customer brings over their remaining lifetime; set from your own figures."
        )
    )

    /// Problems with the figures, each naming its field.
    public func problems() -> [FieldProblem] {
        var problems: [FieldProblem] = []
        if currency.range(of: "^[A-Z]{3}$", options: .regularExpression) == nil {
            problems.append(
                FieldProblem(
                    "currency",
                    .l(
                        "use a three-letter ISO 4217 code such as EUR",
                        "käytä kolmikirjaimista ISO 4217 -koodia, kuten EUR"
                    )
                )
            )
        }
        if !(annualTurnover >= 0 && annualTurnover.isFinite) {
            problems.append(FieldProblem("annual_turnover", .l("must be zero or more", "oltava nolla tai enemmän")))
        }
        let rates: [(String, Assumption)] = [
            ("fine_share", fineShare), ("support_contact_rate", supportContactRate), ("churn_rate", churnRate),
        ]
        for (name, assumption) in namedAssumptions where !assumption.value.isOrdered {
            problems.append(
                FieldProblem(
                    name,
                    .l("low ≤ likely ≤ high, none negative", "pienin ≤ todennäköisin ≤ suurin, ei negatiivisia")
                )
            )
        }
        for (name, assumption) in rates where assumption.value.high > 1 {
            problems.append(FieldProblem(name, .l("a share: at most 1 (100 %)", "osuus: enintään 1 (100 %)")))
        }
        return problems
    }

    /// The range assumptions with their field names, in display order.
    public var namedAssumptions: [(String, Assumption)] {
        [
            ("cost_per_record", costPerRecord), ("fine_share", fineShare),
            ("notice_cost_per_customer", noticeCostPerCustomer),
            ("support_contact_rate", supportContactRate), ("support_cost_per_contact", supportCostPerContact),
            ("churn_rate", churnRate), ("customer_value", customerValue),
        ]
    }
}

/// The estimate: each line's range and how it was computed, and the total.
public struct ImpactEstimate: Sendable, Equatable, Codable {
    public struct Line: Sendable, Equatable, Codable {
        /// `records`, `fine`, `notification`, `support`, `churn`.
        public let key: String
        public let value: Range3
        /// The formula with the numbers filled in, so nobody has to trust a black box.
        public let formula: String
    }

    public let affectedCustomers: Int
    public let lines: [Line]
    public let total: Range3

    public init(affectedCustomers: Int, assumptions a: ImpactAssumptions) {
        self.affectedCustomers = affectedCustomers
        let n = Double(affectedCustomers)
        let ceiling = a.fineTier.ceiling(turnover: a.annualTurnover)
        let lines = [
            Line(
                key: "records",
                value: a.costPerRecord.value * n,
                formula: "\(affectedCustomers) affected × cost per record"
            ),
            Line(
                key: "fine",
                value: a.fineShare.value * ceiling,
                formula:
                    "share × ceiling \(Int(ceiling)) (GDPR \(a.fineTier == .article83_4 ? "Art. 83(4)" : "Art. 83(5)"): max(\(Int(a.fineTier.fixedCeiling)), \(a.fineTier.turnoverShare) × turnover \(Int(a.annualTurnover))))"
            ),
            Line(
                key: "notification",
                value: a.noticeCostPerCustomer.value * n,
                formula: "\(affectedCustomers) notices × cost per notice"
            ),
            Line(
                key: "support",
                value: a.supportContactRate.value * a.supportCostPerContact.value * n,
                formula: "\(affectedCustomers) × contact rate × cost per contact"
            ),
            Line(
                key: "churn",
                value: a.churnRate.value * a.customerValue.value * n,
                formula: "\(affectedCustomers) × churn rate × customer value"
            ),
        ]
        self.lines = lines
        self.total = lines.reduce(.zero) { $0 + $1.value }
    }
}
