import Foundation
import KilpiCore
import Testing

@Suite struct ImpactModelTests {
    @Test func theFineCeilingIsTheHigherOfTheFixedSumAndTheTurnoverShare() {
        #expect(FineTier.article83_4.ceiling(turnover: 100_000_000) == 10_000_000)
        #expect(FineTier.article83_4.ceiling(turnover: 1_000_000_000) == 20_000_000)
        #expect(FineTier.article83_5.ceiling(turnover: 100_000_000) == 20_000_000)
        #expect(FineTier.article83_5.ceiling(turnover: 1_000_000_000) == 40_000_000)
    }

    @Test func eachLineIsItsFormulaAndTheTotalIsTheirSum() throws {
        var a = ImpactAssumptions.defaults
        a.costPerRecord.value = Range3(10, 20, 30)
        a.annualTurnover = 2_000_000_000
        a.fineTier = .article83_5
        a.fineShare.value = Range3(0, 0.01, 0.1)
        a.noticeCostPerCustomer.value = Range3(0.1, 0.5, 1)
        a.supportContactRate.value = Range3(0.1, 0.2, 0.5)
        a.supportCostPerContact.value = Range3(4, 5, 10)
        a.churnRate.value = Range3(0.01, 0.05, 0.2)
        a.customerValue.value = Range3(100, 200, 400)
        #expect(a.problems().isEmpty)
        let estimate = ImpactEstimate(affectedCustomers: 1000, assumptions: a)
        let lines = Dictionary(uniqueKeysWithValues: estimate.lines.map { ($0.key, $0.value) })
        #expect(close(lines["records"], Range3(10_000, 20_000, 30_000)))
        #expect(close(lines["fine"], Range3(0, 800_000, 8_000_000)))  // ceiling 4 % of 2 bn = 80 M
        #expect(close(lines["notification"], Range3(100, 500, 1000)))
        #expect(close(lines["support"], Range3(400, 1000, 5000)))
        #expect(close(lines["churn"], Range3(1000, 10_000, 80_000)))
        #expect(close(estimate.total, Range3(11_500, 831_500, 8_116_000)))
        #expect(estimate.lines.allSatisfy { !$0.formula.isEmpty })
    }

    @Test func badAssumptionsAreNamed() {
        var a = ImpactAssumptions.defaults
        a.currency = "euro"
        a.churnRate.value = Range3(0.2, 0.1, 0.3)
        a.supportContactRate.value = Range3(0.5, 1, 2)
        a.annualTurnover = -1
        #expect(
            Set(a.problems().map(\.field)) == ["currency", "churn_rate", "support_contact_rate", "annual_turnover"]
        )
        #expect(ImpactAssumptions.defaults.problems().isEmpty)
        #expect(ImpactAssumptions.defaults.namedAssumptions.allSatisfy { !$0.1.source.isEmpty })
    }

    /// Money arithmetic in doubles: equal to a cent.
    private func close(_ a: Range3?, _ b: Range3) -> Bool {
        guard let a else { return false }
        return abs(a.low - b.low) < 0.01 && abs(a.likely - b.likely) < 0.01 && abs(a.high - b.high) < 0.01
    }
}
