/// The module grid of a QR code while it is being built: function patterns, codeword placement, masking
/// and the penalty score that chooses the mask (ISO/IEC 18004 §7.7–7.9).
struct QRMatrix: Sendable {
    let version: QRVersion
    let size: Int
    /// Row-major: index `y * size + x`.
    private(set) var modules: [Bool]
    /// Modules of finder, timing, alignment, format and version patterns, which data and masks leave alone.
    private var isFunction: [Bool]

    init(version: QRVersion) {
        self.version = version
        size = version.size
        modules = Array(repeating: false, count: size * size)
        isFunction = Array(repeating: false, count: size * size)
        drawFunctionPatterns()
    }

    // MARK: Function patterns

    private mutating func drawFunctionPatterns() {
        for index in 0..<size {
            setFunction(x: 6, y: index, dark: index % 2 == 0)
            setFunction(x: index, y: 6, dark: index % 2 == 0)
        }
        drawFinder(centreX: 3, centreY: 3)
        drawFinder(centreX: size - 4, centreY: 3)
        drawFinder(centreX: 3, centreY: size - 4)

        let centres = version.alignmentPatternCentres
        let last = centres.count - 1
        for (i, centreX) in centres.enumerated() {
            for (j, centreY) in centres.enumerated() {
                // The three corners that hold finder patterns get no alignment pattern.
                let overlapsFinder = (i == 0 && j == 0) || (i == 0 && j == last) || (i == last && j == 0)
                if !overlapsFinder {
                    drawAlignment(centreX: centreX, centreY: centreY)
                }
            }
        }
        // Reserve the format areas now so that codeword placement skips them; the real bits follow the mask.
        drawFormatInformation(mask: 0)
        drawVersionInformation()
    }

    /// A 7×7 finder with its one-module light separator, clipped at the symbol's edge.
    private mutating func drawFinder(centreX: Int, centreY: Int) {
        for dy in -4...4 {
            for dx in -4...4 {
                let x = centreX + dx
                let y = centreY + dy
                guard (0..<size).contains(x), (0..<size).contains(y) else { continue }
                let ring = max(abs(dx), abs(dy))
                setFunction(x: x, y: y, dark: ring != 2 && ring != 4)
            }
        }
    }

    private mutating func drawAlignment(centreX: Int, centreY: Int) {
        for dy in -2...2 {
            for dx in -2...2 {
                setFunction(x: centreX + dx, y: centreY + dy, dark: max(abs(dx), abs(dy)) != 1)
            }
        }
    }

    /// Level M and the mask number, BCH(15, 5)-protected and XOR-ed with 0x5412 so it is never all light,
    /// written twice: around the top-left finder, and split between the other two.
    mutating func drawFormatInformation(mask: Int) {
        let levelM = 0b00
        let data = levelM << 3 | mask
        var remainder = data
        for _ in 0..<10 {
            remainder = (remainder << 1) ^ ((remainder >> 9) * 0x537)
        }
        let bits = (data << 10 | remainder) ^ 0x5412
        func bit(_ index: Int) -> Bool { (bits >> index) & 1 == 1 }

        for index in 0...5 {
            setFunction(x: 8, y: index, dark: bit(index))
        }
        setFunction(x: 8, y: 7, dark: bit(6))
        setFunction(x: 8, y: 8, dark: bit(7))
        setFunction(x: 7, y: 8, dark: bit(8))
        for index in 9..<15 {
            setFunction(x: 14 - index, y: 8, dark: bit(index))
        }

        for index in 0..<8 {
            setFunction(x: size - 1 - index, y: 8, dark: bit(index))
        }
        for index in 8..<15 {
            setFunction(x: 8, y: size - 15 + index, dark: bit(index))
        }
        setFunction(x: 8, y: size - 8, dark: true)  // the dark module, always set
    }

    /// From version 7 on, the version number with BCH(18, 6) protection, in two 6×3 blocks.
    private mutating func drawVersionInformation() {
        guard version.number >= 7 else { return }
        var remainder = version.number
        for _ in 0..<12 {
            remainder = (remainder << 1) ^ ((remainder >> 11) * 0x1F25)
        }
        let bits = version.number << 12 | remainder
        for index in 0..<18 {
            let dark = (bits >> index) & 1 == 1
            let a = size - 11 + index % 3
            let b = index / 3
            setFunction(x: a, y: b, dark: dark)
            setFunction(x: b, y: a, dark: dark)
        }
    }

    private mutating func setFunction(x: Int, y: Int, dark: Bool) {
        modules[y * size + x] = dark
        isFunction[y * size + x] = true
    }

    // MARK: Codewords

    /// Places codewords bit by bit, most significant first, in two-module columns that zigzag up and down
    /// from the bottom-right corner, skipping the vertical timing pattern and every function module.
    /// Modules left over at the end are remainder bits and stay light (before masking).
    mutating func place(_ codewords: [UInt8]) {
        let bitCount = codewords.count * 8
        var bitIndex = 0
        var right = size - 1
        while right >= 1 {
            if right == 6 { right = 5 }
            // Column pairs alternate direction, starting upward at the right edge.
            let upward = (right + 1) & 2 == 0
            for vertical in 0..<size {
                let y = upward ? size - 1 - vertical : vertical
                for x in stride(from: right, through: right - 1, by: -1) where !isFunction[y * size + x] {
                    if bitIndex < bitCount {
                        let byte = codewords[bitIndex >> 3]
                        modules[y * size + x] = (byte >> UInt8(7 - (bitIndex & 7))) & 1 == 1
                        bitIndex += 1
                    }
                }
            }
            right -= 2
        }
    }

    // MARK: Masking

    /// Flips the data modules selected by mask pattern `mask`; applying it twice undoes it.
    mutating func applyMask(_ mask: Int) {
        for y in 0..<size {
            for x in 0..<size where !isFunction[y * size + x] && Self.maskSelects(mask, x: x, y: y) {
                modules[y * size + x].toggle()
            }
        }
    }

    /// ISO/IEC 18004 table 10, with x the column and y the row.
    private static func maskSelects(_ mask: Int, x: Int, y: Int) -> Bool {
        switch mask {
        case 0: (x + y) % 2 == 0
        case 1: y % 2 == 0
        case 2: x % 3 == 0
        case 3: (x + y) % 3 == 0
        case 4: (x / 3 + y / 2) % 2 == 0
        case 5: x * y % 2 + x * y % 3 == 0
        case 6: (x * y % 2 + x * y % 3) % 2 == 0
        default: ((x + y) % 2 + x * y % 3) % 2 == 0
        }
    }

    /// Tries all eight masks and keeps the one with the lowest penalty, so the symbol avoids large blocks,
    /// long runs and finder look-alikes that confuse scanners.
    mutating func applyBestMask() {
        var best = (mask: 0, penalty: Int.max)
        for mask in 0..<8 {
            applyMask(mask)
            drawFormatInformation(mask: mask)
            let score = penalty()
            if score < best.penalty {
                best = (mask, score)
            }
            applyMask(mask)
        }
        applyMask(best.mask)
        drawFormatInformation(mask: best.mask)
    }

    /// The penalty score of ISO/IEC 18004 §7.8.3: runs (N1 = 3), 2×2 blocks (N2 = 3),
    /// finder-like patterns (N3 = 40) and dark/light imbalance (N4 = 10).
    func penalty() -> Int {
        var score = 0
        for line in 0..<size {
            score += linePenalty(first: line * size, stride: 1)  // row
            score += linePenalty(first: line, stride: size)  // column
        }
        for y in 0..<size - 1 {
            for x in 0..<size - 1 {
                let index = y * size + x
                let colour = modules[index]
                if colour == modules[index + 1], colour == modules[index + size],
                    colour == modules[index + size + 1]
                {
                    score += 3
                }
            }
        }
        var dark = 0
        for module in modules where module { dark += 1 }
        let total = size * size
        // Each full 5 % that the dark share strays from 50 % costs 10.
        let deviation = (abs(dark * 20 - total * 10) + total - 1) / total - 1
        score += max(0, deviation) * 10
        return score
    }

    /// Rules 1 and 3 along one row or column, read as `modules[first + i * stride]`.
    private func linePenalty(first: Int, stride: Int) -> Int {
        func dark(_ position: Int) -> Bool {
            // The quiet zone beyond the edge is light, as a scanner sees it.
            position >= 0 && position < size && modules[first + position * stride]
        }
        var score = 0
        // Rule 1: 3 for a run of five equal modules, plus 1 for each module beyond five.
        var runLength = 1
        for position in 1...size {
            if position < size && dark(position) == dark(position - 1) {
                runLength += 1
            } else {
                if runLength >= 5 { score += runLength - 2 }
                runLength = 1
            }
        }
        // Rule 3: 40 for each dark-light-dark³-light-dark (1:1:3:1:1) with four light modules on one side.
        for start in 0...(size - 7) {
            guard dark(start), !dark(start + 1), dark(start + 2), dark(start + 3), dark(start + 4),
                !dark(start + 5), dark(start + 6)
            else { continue }
            if !dark(start - 1), !dark(start - 2), !dark(start - 3), !dark(start - 4) { score += 40 }
            if !dark(start + 7), !dark(start + 8), !dark(start + 9), !dark(start + 10) { score += 40 }
        }
        return score
    }
}
