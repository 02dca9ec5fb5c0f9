import KilpiCore
import Testing

@Suite("Countries")
struct CountriesTests {
    @Test func holdsEveryAssignedCode() {
        #expect(Countries.iso3166Alpha2.count == 249)
        for code in Countries.iso3166Alpha2 {
            #expect(code.count == 2 && code.allSatisfy { ("A"..."Z").contains($0) }, "\(code)")
        }
    }

    @Test func acceptsAssignedCodesInAnyCase() {
        for code in ["FI", "SE", "DE", "US", "AX", "GB", "SS", "fi", "Se"] {
            #expect(Countries.isValid(code), "\(code)")
        }
    }

    @Test func refusesEverythingElse() {
        for code in ["XX", "fin", "", "F", "UK", "EL", "XK", "AN", "ﬁ", " FI", "F1"] {
            #expect(!Countries.isValid(code), "\(code)")
        }
    }

    @Test func knowsUSStates() {
        #expect(Countries.usStates.count == 52)
        for code in ["CA", "NY", "TX", "DC", "PR", "ak"] {
            #expect(Countries.isUSState(code), "\(code)")
        }
        for code in ["GU", "VI", "AS", "XX", "", "Calif"] {
            #expect(!Countries.isUSState(code), "\(code)")
        }
    }
}
