/// A QR code (ISO/IEC 18004) holding text in byte mode at error correction level M, in the smallest version
/// (1–40) that fits, with the mask chosen by the standard's penalty rules.
///
/// Text is stored as UTF-8. Non-ASCII text is preceded by an ECI header naming UTF-8 (ECI 26), because
/// byte mode otherwise means ISO-8859-1 and scanners guess (zbar reads a bare "äö" as Shift-JIS "瓣繹").
/// ASCII text, such as `otpauth://` URIs, goes without the header for the widest scanner support.
public struct QRCode: Sendable {
    /// Modules per side (21 for version 1, 4 more for each version after it).
    public let size: Int
    /// The version, 1...40.
    let version: Int
    /// Row-major, `true` for dark.
    private let modules: [Bool]

    /// The quiet zone the standard asks for around the symbol, in modules.
    static let quietZone = 4

    /// Encodes `text` as UTF-8.
    ///
    /// - Throws: `QRCodeError.dataTooLong` when the text does not fit in version 40 at level M:
    ///   2,331 bytes of ASCII, or 2,330 UTF-8 bytes of other text.
    public init(encoding text: String) throws {
        let bytes = Array(text.utf8)
        let needsECI = bytes.contains { $0 >= 0x80 }
        let version = QRVersion.all.first { version in
            let headerBits = (needsECI ? 12 : 0) + 4 + version.characterCountBits
            return headerBits + 8 * bytes.count <= version.dataCodewords * 8
        }
        guard let version else { throw QRCodeError.dataTooLong }
        let data = Self.dataCodewords(for: bytes, declaringUTF8: needsECI, version: version)
        var matrix = QRMatrix(version: version)
        matrix.place(QRErrorCorrection.interleave(data, version: version))
        matrix.applyBestMask()
        self.size = matrix.size
        self.version = version.number
        self.modules = matrix.modules
    }

    /// Whether the module in column `x`, row `y` is dark; false outside the symbol.
    public func isDark(x: Int, y: Int) -> Bool {
        guard (0..<size).contains(x), (0..<size).contains(y) else { return false }
        return modules[y * size + x]
    }

    /// A standalone SVG document of the code with a 4-module quiet zone.
    ///
    /// It has no XML declaration, so the same text also works inline in HTML.
    /// Drawn in module units and scaled by `width`/`height`, with `crispEdges` so that browsers do not blur
    /// module borders into grey, which scanners misread. `title` names the image for screen readers.
    public func svg(moduleSize: Int = 4, title: String) -> String {
        let side = size + 2 * Self.quietZone
        let pixels = side * max(1, moduleSize)
        // One rectangle per horizontal run of dark modules keeps the path a fraction of one square per module.
        var path = ""
        for y in 0..<size {
            var x = 0
            while x < size {
                guard isDark(x: x, y: y) else {
                    x += 1
                    continue
                }
                var run = 1
                while isDark(x: x + run, y: y) { run += 1 }
                path += "M\(x + Self.quietZone) \(y + Self.quietZone)h\(run)v1h-\(run)z"
                x += run
            }
        }
        return """
            <svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="\(pixels)" height="\(pixels)" \
            viewBox="0 0 \(side) \(side)" shape-rendering="crispEdges" role="img">
            <title>\(MarkupEscaping.escape(title))</title>
            <rect width="\(side)" height="\(side)" fill="#fff"/>
            <path d="\(path)" fill="#000"/>
            </svg>

            """
    }

    /// A plain PBM (P1) image: each module `scale` pixels square, with the 4-module quiet zone, 1 for black.
    public func pbm(scale: Int = 4) -> String {
        let scale = max(1, scale)
        let pixels = (size + 2 * Self.quietZone) * scale
        var lines = ["P1", "\(pixels) \(pixels)"]
        lines.reserveCapacity(pixels * 2 + 2)
        for pixelY in 0..<pixels {
            let y = pixelY / scale - Self.quietZone
            var row = ""
            row.reserveCapacity(pixels)
            for pixelX in 0..<pixels {
                row += isDark(x: pixelX / scale - Self.quietZone, y: y) ? "1" : "0"
            }
            // Netpbm asks for lines of at most 70 characters; whitespace between pixels is optional in P1.
            var start = row.startIndex
            while start < row.endIndex {
                let end = row.index(start, offsetBy: 70, limitedBy: row.endIndex) ?? row.endIndex
                lines.append(String(row[start..<end]))
                start = end
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Optional ECI header, mode indicator, character count, the bytes, a terminator and padding,
    /// as whole codewords.
    private static func dataCodewords(for bytes: [UInt8], declaringUTF8: Bool, version: QRVersion) -> [UInt8] {
        var bits = QRBitBuffer()
        if declaringUTF8 {
            bits.append(0b0111, count: 4)  // ECI mode
            bits.append(26, count: 8)  // assignment number 26, UTF-8, in the one-byte form
        }
        bits.append(0b0100, count: 4)  // byte mode
        bits.append(bytes.count, count: version.characterCountBits)
        for byte in bytes {
            bits.append(Int(byte), count: 8)
        }
        let capacity = version.dataCodewords * 8
        bits.append(0, count: min(4, capacity - bits.count))  // terminator, shortened when space runs out
        bits.append(0, count: (8 - bits.count % 8) % 8)
        var codewords = bits.bytes
        // Alternating pad codewords 0xEC and 0x11 fill the rest, as the standard prescribes.
        var pad: UInt8 = 0xEC
        while codewords.count < version.dataCodewords {
            codewords.append(pad)
            pad = pad == 0xEC ? 0x11 : 0xEC
        }
        return codewords
    }
}
