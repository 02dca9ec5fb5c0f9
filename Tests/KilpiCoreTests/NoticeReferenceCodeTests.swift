import Testing

@testable import KilpiCore

/// The code that tells our notice from a phisher's: short enough to type, random enough not to guess, forgiving of
/// the way people type it.
@Suite struct NoticeReferenceCodeTests {
    @Test func aGeneratedCodeIsTwoGroupsOfFourCrockfordSymbols() {
        for _ in 0..<1_000 {
            let code = NoticeReferenceCode.generate()
            let formatted = code.formatted
            #expect(formatted.count == 9)
            #expect(Array(formatted)[4] == "-")
            #expect(code.canonical.count == 8)
            #expect(formatted.replacingOccurrences(of: "-", with: "") == code.canonical)
            for symbol in code.canonical {
                #expect(NoticeReferenceCode.alphabet.contains(symbol), "\(symbol) in \(formatted)")
                #expect(!"ILOU".contains(symbol), "\(formatted)")
            }
            #expect(NoticeReferenceCode(typed: formatted) == code)
        }
    }

    @Test func theAlphabetIsCrockfordsBase32() {
        #expect(String(NoticeReferenceCode.alphabet) == "0123456789ABCDEFGHJKMNPQRSTVWXYZ")
        #expect(Set(NoticeReferenceCode.alphabet).count == 32)
    }

    @Test func codesDoNotRepeatOverManyDraws() {
        // 40 bits: among 100,000 codes a repeat has a chance of about 0.5 %; 20,000 keep it near 0.02 %, and any
        // bias in the generator (a symbol never drawn, a stuck byte) would repeat at once.
        var seen = Set<String>()
        var symbols: [Character: Int] = [:]
        for _ in 0..<20_000 {
            let code = NoticeReferenceCode.generate()
            seen.insert(code.canonical)
            for symbol in code.canonical { symbols[symbol, default: 0] += 1 }
        }
        #expect(seen.count == 20_000)
        // Every symbol in every position class is drawn: 160,000 symbols over 32 gives 5,000 each.
        #expect(symbols.count == 32)
        #expect(symbols.values.allSatisfy { $0 > 4_000 && $0 < 6_000 })
    }

    @Test(arguments: [
        ("K7M4-Q2XD", "K7M4-Q2XD"),
        ("k7m4-q2xd", "K7M4-Q2XD"),
        ("k7m4q2xd", "K7M4-Q2XD"),
        ("  K7M4 Q2XD \n", "K7M4-Q2XD"),
        ("K 7 M 4 - Q 2 X D", "K7M4-Q2XD"),
        ("OIL0-1234", "0110-1234"),
        ("oil0-1234", "0110-1234"),
    ])
    func typedInputIsNormalised(typed: String, expected: String) {
        #expect(NoticeReferenceCode(typed: typed)?.formatted == expected)
    }

    @Test(arguments: [
        "", "K7M4-Q2X", "K7M4-Q2XDA", "K7M4-Q2XU", "K7M4_Q2XD", "K7M4-Q2XÄ", "https://x", "K7M4-Q2XD-K7M4",
    ])
    func whatIsNotACodeIsRefused(typed: String) {
        #expect(NoticeReferenceCode(typed: typed) == nil)
    }
}
