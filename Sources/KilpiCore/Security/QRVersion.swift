/// Capacity and error-correction layout of one QR code version at error correction level M (ISO/IEC 18004
/// table 9); level M recovers about 15 % of damaged codewords, the usual choice for codes shown on screens.
struct QRVersion: Sendable {
    /// 1 ... 40.
    let number: Int

    /// Error-correction codewords in each block, by version (index 0 unused).
    private static let eccCodewordsPerBlock = [
        0, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26,
        26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28,
    ]

    /// Number of error-correction blocks, by version (index 0 unused).
    private static let blockCounts = [
        0, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16,
        17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49,
    ]

    static let all = (1...40).map(QRVersion.init(number:))

    /// Modules per side.
    var size: Int { number * 4 + 17 }

    var eccCodewordsPerBlock: Int { Self.eccCodewordsPerBlock[number] }

    var blockCount: Int { Self.blockCounts[number] }

    /// Bits of the byte-mode character count field.
    var characterCountBits: Int { number <= 9 ? 8 : 16 }

    /// Modules available for codewords once the function patterns are drawn, remainder bits included.
    var rawDataModules: Int {
        var result = (16 * number + 128) * number + 64
        if number >= 2 {
            let alignmentCount = number / 7 + 2
            result -= (25 * alignmentCount - 10) * alignmentCount - 55
            if number >= 7 {
                result -= 36  // two version information blocks of 18 modules
            }
        }
        return result
    }

    /// All codewords, data and error correction.
    var totalCodewords: Int { rawDataModules / 8 }

    /// Codewords left for data after error correction.
    var dataCodewords: Int { totalCodewords - eccCodewordsPerBlock * blockCount }

    /// Centre coordinates of the alignment patterns along either axis.
    var alignmentPatternCentres: [Int] {
        guard number > 1 else { return [] }
        let count = number / 7 + 2
        // Evenly spaced from the far edge back towards 6, with an even step; the first gap takes the rest.
        let step = (number * 8 + count * 3 + 5) / (count * 4 - 4) * 2
        var result = [6]
        var position = size - 7
        while result.count < count {
            result.insert(position, at: 1)
            position -= step
        }
        return result
    }
}
