/// Reed–Solomon error correction over GF(2⁸) with the QR polynomial x⁸ + x⁴ + x³ + x² + 1, and the split of
/// codewords into blocks (ISO/IEC 18004 §7.5).
enum QRErrorCorrection {
    /// The data codewords split into blocks, each followed by its error-correction codewords, interleaved
    /// column by column so that a smudge damages a little of many blocks rather than all of one.
    static func interleave(_ data: [UInt8], version: QRVersion) -> [UInt8] {
        let blockCount = version.blockCount
        let eccLength = version.eccCodewordsPerBlock
        let shortBlockLength = version.totalCodewords / blockCount
        // The last blocks are one data codeword longer when the total does not divide evenly.
        let shortBlockCount = blockCount - version.totalCodewords % blockCount
        let divisor = generatorPolynomial(degree: eccLength)

        var dataBlocks: [[UInt8]] = []
        var eccBlocks: [[UInt8]] = []
        var offset = 0
        for index in 0..<blockCount {
            let dataLength = shortBlockLength - eccLength + (index < shortBlockCount ? 0 : 1)
            let block = Array(data[offset..<offset + dataLength])
            offset += dataLength
            dataBlocks.append(block)
            eccBlocks.append(remainder(of: block, dividedBy: divisor))
        }

        var result: [UInt8] = []
        result.reserveCapacity(version.totalCodewords)
        let longestData = dataBlocks.map(\.count).max() ?? 0
        for column in 0..<longestData {
            for block in dataBlocks where column < block.count {
                result.append(block[column])
            }
        }
        for column in 0..<eccLength {
            for block in eccBlocks {
                result.append(block[column])
            }
        }
        return result
    }

    /// Coefficients of ∏(x − αⁱ) for i in 0..<degree, highest power first and the leading 1 left out.
    static func generatorPolynomial(degree: Int) -> [UInt8] {
        var coefficients = [UInt8](repeating: 0, count: degree)
        coefficients[degree - 1] = 1
        var root: UInt8 = 1
        for _ in 0..<degree {
            for index in 0..<degree {
                coefficients[index] = multiply(coefficients[index], root)
                if index + 1 < degree {
                    coefficients[index] ^= coefficients[index + 1]
                }
            }
            root = multiply(root, 0x02)
        }
        return coefficients
    }

    /// The remainder of data·x^degree divided by the generator: the error-correction codewords.
    static func remainder(of data: [UInt8], dividedBy divisor: [UInt8]) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: divisor.count)
        for byte in data {
            let factor = byte ^ result.removeFirst()
            result.append(0)
            for index in divisor.indices {
                result[index] ^= multiply(divisor[index], factor)
            }
        }
        return result
    }

    /// Multiplication in GF(2⁸) modulo 0x11D, through logarithm tables.
    static func multiply(_ x: UInt8, _ y: UInt8) -> UInt8 {
        guard x != 0, y != 0 else { return 0 }
        return field.exponentials[Int(field.logarithms[Int(x)]) + Int(field.logarithms[Int(y)])]
    }

    /// Powers of the generator α = 2, written out twice so that a sum of two logarithms needs no modulo,
    /// and their inverse.
    private static let field: (exponentials: [UInt8], logarithms: [UInt8]) = {
        var exponentials = [UInt8](repeating: 0, count: 510)
        var logarithms = [UInt8](repeating: 0, count: 256)
        var value = 1
        for power in 0..<255 {
            exponentials[power] = UInt8(value)
            exponentials[power + 255] = UInt8(value)
            logarithms[value] = UInt8(power)
            value <<= 1
            if value > 0xFF { value ^= 0x11D }
        }
        return (exponentials, logarithms)
    }()
}
