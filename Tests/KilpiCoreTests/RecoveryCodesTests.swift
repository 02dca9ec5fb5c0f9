import Foundation
import KilpiCore
import Testing

@Suite("RecoveryCodes")
struct RecoveryCodesTests {
    static let alphabet = Set("23456789abcdefghjkmnpqrstuvwxyz")

    @Test func generatesTenDistinctCodesInGroupsOfFour() {
        let codes = RecoveryCodes.generate()
        #expect(RecoveryCodes.count == 10)
        #expect(codes.count == 10)
        #expect(Set(codes).count == 10)
        for code in codes {
            let groups = code.split(separator: "-", omittingEmptySubsequences: false)
            #expect(groups.count == 3, "\(code)")
            #expect(groups.allSatisfy { $0.count == 4 }, "\(code)")
            #expect(groups.joined().allSatisfy { Self.alphabet.contains($0) }, "\(code)")
        }
        #expect(RecoveryCodes.generate(count: 3).count == 3)
        #expect(RecoveryCodes.generate(count: 0).isEmpty)
    }

    @Test func avoidsAmbiguousSymbolsAndCarriesEnoughEntropy() {
        let symbols = RecoveryCodes.generate(count: 200).map(RecoveryCodes.normalize).joined()
        for ambiguous in "0o1li" {
            #expect(!symbols.contains(ambiguous))
        }
        // 2,400 draws leave a fair generator missing one of 31 symbols with odds of about 31·e⁻⁷⁸.
        let used = Set(symbols)
        #expect(used == Self.alphabet)
        let symbolsPerCode = RecoveryCodes.normalize(RecoveryCodes.generate(count: 1)[0]).count
        let bits = Double(symbolsPerCode) * log2(Double(used.count))
        #expect(bits >= 50)
    }

    @Test func normalizeLowercasesAndStripsSpacesAndDashes() {
        #expect(RecoveryCodes.normalize("k7pm-3xqa-9fde") == "k7pm3xqa9fde")
        #expect(RecoveryCodes.normalize(" K7PM 3XQA-9fde\t") == "k7pm3xqa9fde")
        #expect(RecoveryCodes.normalize("k7pm--3xqa 9fde") == "k7pm3xqa9fde")
    }

    @Test func hashIsSHA256OfTheNormalizedCode() {
        let expected = Digest.sha256Hex("k7pm3xqa9fde")
        #expect(RecoveryCodes.hash("k7pm-3xqa-9fde") == expected)
        #expect(RecoveryCodes.hash("K7PM 3XQA 9FDE") == expected)
        #expect(RecoveryCodes.hash("k7pm-3xqa-9fdf") != expected)
        #expect(expected.count == 64)
    }
}
