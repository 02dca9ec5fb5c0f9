import Foundation
import KilpiCore
import KilpiTestSupport
import Testing

@Suite("QRCode")
struct QRCodeTests {
    /// Bytes that fit in each version at level M in byte mode (ISO/IEC 18004 table 7), versions 1...40.
    static let byteCapacity = [
        14, 26, 42, 62, 84, 106, 122, 152, 180, 213, 251, 287, 331, 362, 412, 450, 504, 560, 624, 666,
        711, 779, 857, 911, 997, 1059, 1125, 1190, 1264, 1370, 1452, 1538, 1628, 1722, 1809, 1911, 1989, 2099,
        2213, 2331,
    ]

    // MARK: Decoded by a real scanner

    @Test(arguments: [
        "Kilpi",
        "otpauth://totp/Kilpi%20Oy:anna.virtanen%40example.fi?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
            + "&issuer=Kilpi%20Oy&algorithm=SHA1&digits=6&period=30",
        "Hyvä asiakas, tietosi ovat turvassa. Äö åÅ — kiitos kärsivällisyydestä!",
        "äö",
        "Ä",
        "ääääää",
        "Salasana: Öljyämpäri-Åland 🛡️",
        String(repeating: "Tietoturvaloukkaus ärsyttää meitä kaikkia. ", count: 8),
        "1234567890",
        "https://kilpi.example/trust?lang=fi&ref=qr#updates",
    ])
    func zbarDecodesTheSymbol(text: String) throws {
        let decoded = try Self.zbarDecode(QRCode(encoding: text))
        #expect(decoded == text)
    }

    @Test func zbarDecodesAProvisioningURI() throws {
        let totp = TOTP(secret: TOTP.generateSecret())
        let uri = totp.provisioningURI(account: "anna.virtanen@example.fi", issuer: "Kilpi")
        #expect(uri.count > 100)
        let code = try QRCode(encoding: uri)
        #expect(code.size <= 4 * 10 + 17)
        let decoded = try Self.zbarDecode(code)
        #expect(decoded == uri)
    }

    /// Each version filled to the last byte, so that every capacity, block layout, alignment pattern grid
    /// and version-information block is checked by the scanner.
    @Test(arguments: 1...40)
    func zbarDecodesEveryVersionAtFullCapacity(version: Int) throws {
        let text = Self.sampleText(length: Self.byteCapacity[version - 1], seed: version)
        let code = try QRCode(encoding: text)
        #expect(code.size == 4 * version + 17)
        let decoded = try Self.zbarDecode(code, scale: version > 20 ? 3 : 4)
        #expect(decoded == text)
    }

    // MARK: Structure

    @Test func picksTheSmallestVersionThatFits() throws {
        for (index, capacity) in Self.byteCapacity.enumerated() {
            let version = index + 1
            #expect(try QRCode(encoding: String(repeating: "x", count: capacity)).size == 4 * version + 17)
            if version < 40 {
                #expect(try QRCode(encoding: String(repeating: "x", count: capacity + 1)).size == 4 * version + 21)
            }
        }
        // "ä" is two UTF-8 bytes, and non-ASCII text costs 12 bits of ECI header: 6 fill version 1.
        #expect(try QRCode(encoding: String(repeating: "ä", count: 6)).size == 21)
        #expect(try QRCode(encoding: String(repeating: "ä", count: 7)).size == 25)
        #expect(try QRCode(encoding: String(repeating: "ä", count: 1165)).size == 177)
        #expect(try QRCode(encoding: "").size == 21)
    }

    @Test func refusesTextBeyondVersion40() {
        #expect(throws: QRCodeError.dataTooLong) { try QRCode(encoding: String(repeating: "x", count: 2332)) }
        #expect(throws: QRCodeError.dataTooLong) { try QRCode(encoding: String(repeating: "ä", count: 1166)) }
        #expect(throws: QRCodeError.dataTooLong) { try QRCode(encoding: String(repeating: "x", count: 2329) + "ä") }
    }

    @Test func drawsFinderPatternsAndTheDarkModule() throws {
        let code = try QRCode(encoding: "Kilpi")
        let last = code.size - 1
        for (originX, originY) in [(0, 0), (last - 6, 0), (0, last - 6)] {
            for dy in 0..<7 {
                for dx in 0..<7 {
                    let ring = max(abs(dx - 3), abs(dy - 3))
                    #expect(code.isDark(x: originX + dx, y: originY + dy) == (ring != 2))
                }
            }
        }
        // Separators around the top-left finder, timing pattern, and the always-dark module.
        for index in 0..<8 {
            #expect(!code.isDark(x: 7, y: index))
            #expect(!code.isDark(x: index, y: 7))
        }
        for index in 8..<(code.size - 8) {
            #expect(code.isDark(x: index, y: 6) == (index % 2 == 0))
            #expect(code.isDark(x: 6, y: index) == (index % 2 == 0))
        }
        #expect(code.isDark(x: 8, y: code.size - 8))
        #expect(!code.isDark(x: -1, y: 0))
        #expect(!code.isDark(x: 0, y: code.size))
    }

    @Test func formatInformationNamesLevelMInBothCopies() throws {
        let code = try QRCode(encoding: "otpauth://totp/Kilpi:anna%40example.fi?secret=JBSWY3DPEHPK3PXP")
        let size = code.size
        func bit(_ dark: Bool, _ index: Int) -> Int { dark ? 1 << index : 0 }
        var second = 0
        for index in 0..<8 { second |= bit(code.isDark(x: size - 1 - index, y: 8), index) }
        for index in 8..<15 { second |= bit(code.isDark(x: 8, y: size - 15 + index), index) }
        let first = Self.formatInformation(of: code)
        #expect(first == second ^ 0x5412)
        #expect(first >> 13 == 0b00)  // level M
        // The 10 BCH bits are the remainder of the 5 data bits times x¹⁰ modulo the generator 0x537.
        var remainder = first >> 10
        for _ in 0..<10 { remainder = (remainder << 1) ^ ((remainder >> 9) * 0x537) }
        #expect(first & 0x3FF == remainder)
    }

    @Test func maskSelectionDependsOnContent() throws {
        // A fixed mask would give one number for every input; the penalty rules pick different ones.
        var masks = Set<Int>()
        for seed in 0..<24 {
            let code = try QRCode(encoding: Self.sampleText(length: 40, seed: seed))
            masks.insert(Self.formatInformation(of: code) >> 10 & 0b111)
        }
        #expect(masks.count >= 3)
    }

    // MARK: Rendering

    @Test func svgIsStandaloneAccessibleAndCrisp() throws {
        let code = try QRCode(encoding: "Kilpi")
        let svg = code.svg(moduleSize: 5, title: "Skannaa <Kilpi> & \"kirjaudu\"")
        #expect(svg.hasPrefix("<svg "))
        #expect(svg.contains("xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.contains("shape-rendering=\"crispEdges\""))
        #expect(svg.contains("role=\"img\""))
        #expect(svg.contains("viewBox=\"0 0 29 29\""))  // 21 modules and 4 on each side
        #expect(svg.contains("width=\"145\" height=\"145\""))
        #expect(svg.contains("<title>Skannaa &lt;Kilpi&gt; &amp; &quot;kirjaudu&quot;</title>"))
        #expect(!svg.contains("<Kilpi>"))
        #expect(code.svg(title: "x").contains("width=\"116\" height=\"116\""))
    }

    @Test func svgPathPaintsExactlyTheDarkModules() throws {
        let code = try QRCode(encoding: "otpauth://totp/Kilpi:anna%40example.fi?secret=JBSWY3DPEHPK3PXP")
        let svg = code.svg(title: "QR")
        let start = try #require(svg.range(of: "<path d=\""))
        let end = try #require(svg.range(of: "\"", range: start.upperBound..<svg.endIndex))
        var painted = Set<[Int]>()
        // Each rectangle is "M<x> <y>h<width>v1h-<width>z" in module units, quiet zone included.
        for rectangle in svg[start.upperBound..<end.lowerBound].split(separator: "z") {
            let numbers = rectangle.split(whereSeparator: { "Mhv- ".contains($0) }).compactMap { Int($0) }
            // Split on the letters, "M4 4h7v1h-7" gives [4, 4, 7, 1, 7].
            try #require(numbers.count == 5, "\(rectangle)")
            try #require(numbers[2] > 0 && numbers[3] == 1 && numbers[4] == numbers[2], "\(rectangle)")
            for x in numbers[0]..<numbers[0] + numbers[2] {
                #expect(painted.insert([x - 4, numbers[1] - 4]).inserted)
            }
        }
        var dark = Set<[Int]>()
        for y in 0..<code.size {
            for x in 0..<code.size where code.isDark(x: x, y: y) { dark.insert([x, y]) }
        }
        #expect(painted == dark)
    }

    @Test func pbmHasQuietZoneAndScaledModules() throws {
        let code = try QRCode(encoding: "Kilpi")
        let pbm = code.pbm(scale: 3)
        let lines = pbm.split(separator: "\n").map(String.init)
        #expect(lines[0] == "P1")
        #expect(lines[1] == "87 87")  // (21 + 8) · 3
        #expect(lines.dropFirst(2).allSatisfy { $0.count <= 70 })
        let pixels = Array(lines.dropFirst(2).joined())
        #expect(pixels.count == 87 * 87)
        func pixel(_ x: Int, _ y: Int) -> Character { pixels[y * 87 + x] }
        for offset in 0..<12 {
            #expect(pixel(offset, 0) == "0" && pixel(0, offset) == "0")  // quiet zone
        }
        #expect(pixel(12, 12) == "1" && pixel(14, 14) == "1")  // finder corner module, all 3×3 pixels
        #expect(pixel(15, 15) == "0")  // its light ring
    }

    // MARK: Helpers

    /// The 15 format bits around the top-left finder, with the 0x5412 mask removed.
    static func formatInformation(of code: QRCode) -> Int {
        func bit(_ dark: Bool, _ index: Int) -> Int { dark ? 1 << index : 0 }
        var bits = 0
        for index in 0...5 { bits |= bit(code.isDark(x: 8, y: index), index) }
        bits |= bit(code.isDark(x: 8, y: 7), 6)
        bits |= bit(code.isDark(x: 8, y: 8), 7)
        bits |= bit(code.isDark(x: 7, y: 8), 8)
        for index in 9..<15 { bits |= bit(code.isDark(x: 14 - index, y: 8), index) }
        return bits ^ 0x5412
    }

    /// Printable ASCII that varies from position to position, so no version is tested with uniform data only.
    static func sampleText(length: Int, seed: Int) -> String {
        var state = UInt32(truncatingIfNeeded: seed &* 2_654_435_761 &+ 1)
        var scalars = String.UnicodeScalarView()
        for _ in 0..<length {
            state = state &* 1_103_515_245 &+ 12_345
            scalars.append(Unicode.Scalar(UInt8(33 + (state >> 16) % 94)))
        }
        return String(scalars)
    }

    /// Decodes the code's PBM image with zbarimg and returns the text it read.
    static func zbarDecode(_ code: QRCode, scale: Int = 4) throws -> String {
        let zbarimg = try #require(
            executable(named: "zbarimg"),
            "zbarimg not found: install zbar-tools (apt-get install -y zbar-tools) to run the QR code tests"
        )
        let file = FileManager.default.temporaryDirectory
            .appendingPathComponent("kilpi-qr-\(UUID().uuidString).pbm")
        try code.pbm(scale: scale).write(to: file, atomically: true, encoding: .ascii)
        defer { try? FileManager.default.removeItem(at: file) }

        let process = Process()
        process.executableURL = zbarimg
        process.arguments = ["--raw", "-q", file.path]
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.runOneAtATime()
        // Read before waiting, so that a full pipe cannot stall zbarimg.
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "zbarimg exited \(process.terminationStatus): \(errorText)")

        var text = String(decoding: data, as: UTF8.self)
        // --raw still ends each symbol with a newline.
        if text.hasSuffix("\n") { text.removeLast() }
        return text
    }

    static func executable(named name: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let directories = path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin"]
        for directory in directories {
            let candidate = URL(fileURLWithPath: directory).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) {
                return candidate
            }
        }
        return nil
    }
}
