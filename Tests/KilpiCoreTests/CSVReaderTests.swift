import KilpiCore
import Testing

/// Reads `bytes` fed in pieces of `chunkSize` (all at once when nil), the way a file import would.
private func read(
    _ bytes: [UInt8],
    chunkSize: Int? = nil,
    maxRecordBytes: Int = CSVReader.defaultMaxRecordBytes,
    delimiter: UInt8 = UInt8(ascii: ",")
) throws(CSVError) -> [CSVRecord] {
    var reader = CSVReader(maxRecordBytes: maxRecordBytes, delimiter: delimiter)
    var records: [CSVRecord] = []
    let size = max(1, chunkSize ?? bytes.count)
    var start = 0
    while start < bytes.count {
        let end = min(start + size, bytes.count)
        records += try reader.feed(bytes[start..<end])
        start = end
    }
    records += try reader.finish()
    return records
}

private func read(
    _ text: String,
    chunkSize: Int? = nil,
    maxRecordBytes: Int = CSVReader.defaultMaxRecordBytes
)
    throws(CSVError) -> [CSVRecord]
{
    try read(Array(text.utf8), chunkSize: chunkSize, maxRecordBytes: maxRecordBytes)
}

/// The error reading `bytes` raises, or nil when it reads cleanly.
private func readError(
    _ bytes: [UInt8],
    chunkSize: Int? = nil,
    maxRecordBytes: Int = CSVReader.defaultMaxRecordBytes
)
    -> CSVError?
{
    do {
        _ = try read(bytes, chunkSize: chunkSize, maxRecordBytes: maxRecordBytes)
        return nil
    } catch {
        return error
    }
}

private func readError(
    _ text: String,
    chunkSize: Int? = nil,
    maxRecordBytes: Int = CSVReader.defaultMaxRecordBytes
)
    -> CSVError?
{
    readError(Array(text.utf8), chunkSize: chunkSize, maxRecordBytes: maxRecordBytes)
}

private func fields(_ records: [CSVRecord]) -> [[String]] {
    records.map(\.fields)
}

@Suite("CSV reader")
struct CSVReaderTests {
    @Test func readsLFLines() throws {
        let records = try read("a,b\nc,d\n")
        #expect(records == [CSVRecord(line: 1, fields: ["a", "b"]), CSVRecord(line: 2, fields: ["c", "d"])])
    }

    @Test func readsCRLFLines() throws {
        let records = try read("a,b\r\nc,d\r\n")
        #expect(records == [CSVRecord(line: 1, fields: ["a", "b"]), CSVRecord(line: 2, fields: ["c", "d"])])
    }

    @Test func readsALastLineWithoutLineEnd() throws {
        #expect(fields(try read("a,b\nc,d")) == [["a", "b"], ["c", "d"]])
        #expect(fields(try read("a,\"b\"")) == [["a", "b"]])
        #expect(fields(try read("a,")) == [["a", ""]])
        #expect(fields(try read("a\r")) == [["a"]])
    }

    @Test func readsEmptyFields() throws {
        #expect(fields(try read(",a,\n")) == [["", "a", ""]])
        #expect(fields(try read("\"\"\n")) == [[""]])
        #expect(fields(try read("\"\",\"\"\n")) == [["", ""]])
    }

    @Test func readsNothingFromEmptyInput() throws {
        #expect(try read("").isEmpty)
        #expect(try read("\n\r\n\n").isEmpty)
        #expect(try read([0xEF, 0xBB, 0xBF]).isEmpty)
    }

    @Test func quotedFieldsHoldDelimitersQuotesAndLineBreaks() throws {
        let text = "id,text\n1,\"hello, \"\"world\"\"\nsecond line\"\n2,\"a\r\nb\"\r\n3,x\n"
        let records = try read(text)
        #expect(
            records == [
                CSVRecord(line: 1, fields: ["id", "text"]),
                CSVRecord(line: 2, fields: ["1", "hello, \"world\"\nsecond line"]),
                CSVRecord(line: 4, fields: ["2", "a\r\nb"]),
                CSVRecord(line: 6, fields: ["3", "x"]),
            ]
        )
    }

    @Test func skipsEmptyLinesButCountsThem() throws {
        let records = try read("a\n\n\r\nb\n\n")
        #expect(records == [CSVRecord(line: 1, fields: ["a"]), CSVRecord(line: 4, fields: ["b"])])
    }

    @Test func keepsSpacesAroundUnquotedFields() throws {
        #expect(fields(try read(" a , b \n")) == [[" a ", " b "]])
    }

    @Test func readsOtherDelimiters() throws {
        #expect(fields(try read(Array("a;\"b;c\";d\n".utf8), delimiter: UInt8(ascii: ";"))) == [["a", "b;c", "d"]])
        #expect(fields(try read(Array("a\tb,c\n".utf8), delimiter: UInt8(ascii: "\t"))) == [["a", "b,c"]])
    }

    @Test func refusesAQuoteInsideAnUnquotedField() {
        let error = readError("a,b\nc,d\"e\n")
        #expect(error?.line == 2)
        #expect(error?.column == 2)
        #expect(error?.reason.hasPrefix("quote in an unquoted field") == true)
    }

    @Test func refusesTextAfterAClosingQuote() {
        let error = readError("x\n\"a\"b,c\n")
        #expect(error?.description == "line 2, column 1: unexpected character after a closing quote")
        #expect(readError("a,\"b\" ,c\n")?.column == 2)
    }

    @Test func refusesACarriageReturnWithoutLineFeed() {
        let error = readError("a,b\rc,d\r")
        #expect(error?.line == 1)
        #expect(error?.column == 2)
        #expect(error?.reason.hasPrefix("carriage return without a line feed") == true)
        #expect(readError("\rx")?.line == 1)
    }

    @Test func refusesAnUnterminatedQuote() {
        #expect(readError("h\na,\"bc\nd\n")?.description == "line 2, column 2: unterminated quoted field")
        #expect(readError("\"")?.description == "line 1, column 1: unterminated quoted field")
    }

    @Test func skipsAByteOrderMark() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("name,email\n".utf8)
        #expect(fields(try read(bytes)) == [["name", "email"]])
        #expect(fields(try read(bytes, chunkSize: 1)) == [["name", "email"]])
        #expect(fields(try read(bytes, chunkSize: 2)) == [["name", "email"]])
        // Only at the very start: further in it is an ordinary U+FEFF.
        #expect(fields(try read("a,\u{FEFF}b\n")) == [["a", "\u{FEFF}b"]])
        #expect(fields(try read([0xEF, 0xBB, 0xBF, 0x61])) == [["a"]])
        #expect(fields(try read([0x61, 0x62])) == [["ab"]])
    }

    @Test func refusesUTF16() {
        #expect(readError([0xFF, 0xFE, 0x61, 0x00])?.description == "line 1: UTF-16 text (save the file as UTF-8)")
        #expect(readError([0xFE, 0xFF, 0x00, 0x61], chunkSize: 1)?.line == 1)
    }

    @Test func refusesInvalidUTF8NamingLineAndColumn() {
        // "Äänekoski" as a spreadsheet saves it in Latin-1.
        let latin1 = Array("name,city\nMatti,".utf8) + [0xC4, 0xE4, 0x6E, 0x65, 0x6B, 0x6F, 0x73, 0x6B, 0x69, 0x0A]
        let error = readError(latin1)
        #expect(error?.description == "line 2, column 2: invalid UTF-8")
        #expect(error?.description == "line 2, column 2: invalid UTF-8")
    }

    @Test func invalidUTF8InAMultiLineFieldNamesItsOwnLine() {
        let bytes = Array("a,\"one\ntwo\nth".utf8) + [0xFF] + Array("ree\"\n".utf8)
        #expect(readError(bytes)?.description == "line 3, column 2: invalid UTF-8")
    }

    @Test func refusesTruncatedAndOverlongUTF8() {
        #expect(readError([0x61, 0x2C, 0xC3])?.column == 2)  // cut-off "Ã…"
        #expect(readError([0xC0, 0xAF, 0x0A])?.reason == "invalid UTF-8")  // overlong "/"
        #expect(readError([0xED, 0xA0, 0x80, 0x0A])?.reason == "invalid UTF-8")  // a UTF-16 surrogate
    }

    @Test func refusesNULBytes() {
        #expect(
            readError([0x61, 0x2C, 0x62, 0x00, 0x0A])?.description == "line 1, column 2: binary data (NUL byte)"
        )
        #expect(
            readError(Array("a\n\"x\ny".utf8) + [0x00])?.description == "line 3, column 1: binary data (NUL byte)"
        )
        #expect(readError([0x00])?.description == "line 1, column 1: binary data (NUL byte)")
        #expect(readError(Array("\"a\"".utf8) + [0x00])?.reason == "binary data (NUL byte)")
    }

    @Test func refusesBinaryFilesWithoutCrashing() {
        let png: [UInt8] = [
            0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
        ]
        #expect(readError(png)?.description == "line 1, column 1: invalid UTF-8")
        let zip: [UInt8] = [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]
        #expect(readError(zip)?.reason == "binary data (NUL byte)")

        var random = CSVTestRandom(seed: 42)
        var errors = 0
        for _ in 0..<200 {
            let bytes = (0..<random.int(in: 1...4096)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            if readError(bytes, chunkSize: random.int(in: 1...512)) != nil { errors += 1 }
        }
        #expect(errors == 200)
    }

    @Test func refusesARecordOverTheLimit() throws {
        #expect(fields(try read("123456789\n1234567890\n", maxRecordBytes: 10)) == [["123456789"], ["1234567890"]])
        #expect(fields(try read("\"12345678\"\n", maxRecordBytes: 10)) == [["12345678"]])
        #expect(
            readError("ok\n12345,67890\n", maxRecordBytes: 10)?.description == "line 2: record longer than 10 bytes"
        )
        #expect(readError("\"1\"\"2345678\"\n", maxRecordBytes: 10)?.line == 1)
        #expect(readError("\"12345\n67890\"\n", maxRecordBytes: 10)?.line == 1)
        #expect(readError(String(repeating: "x", count: 11), chunkSize: 3, maxRecordBytes: 10)?.line == 1)
    }

    @Test func namesTheDefaultLimitInMiB() {
        let line = String(repeating: "a", count: CSVReader.defaultMaxRecordBytes + 1)
        #expect(readError("h\n" + line)?.description == "line 2: record longer than 1 MiB")
    }

    @Test func refusesAnEndlessLineAsSoonAsItPassesTheLimit() {
        // A 2 GB line, fed the way a file is read: the reader must give up after 1 MiB, never buffering the rest.
        var reader = CSVReader()
        let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 64 << 10)
        var chunksFed = 0
        var caught: CSVError?
        while chunksFed < (2 << 30) / chunk.count {
            chunksFed += 1
            do { _ = try reader.feed(chunk) } catch {
                caught = error
                break
            }
        }
        #expect(caught?.description == "line 1: record longer than 1 MiB")
        #expect(chunksFed == CSVReader.defaultMaxRecordBytes / chunk.count + 1)
    }

    @Test func staysFailedAfterAnError() {
        var reader = CSVReader()
        #expect(throws: CSVError.nulByte(line: 1, column: 1)) {
            try reader.feed([0x61, 0x62, 0x00])
        }
        #expect(throws: CSVError.nulByte(line: 1, column: 1)) {
            try reader.feed(Array("a,b\n".utf8))
        }
        #expect(throws: CSVError.nulByte(line: 1, column: 1)) { try reader.finish() }
    }

    @Test func readsMultiByteCharactersSplitAcrossChunks() throws {
        let text = "Äänekoski,Göteborg,Ørsted,€,😀\n"
        for size in 1...6 {
            #expect(fields(try read(text, chunkSize: size)) == [["Äänekoski", "Göteborg", "Ørsted", "€", "😀"]])
        }
    }

    @Test func readsTheSameFedByteByByte() throws {
        // Every state boundary falls between two chunks somewhere in here: CRLF, "", a BOM, multi-byte characters.
        let bytes: [UInt8] =
            [0xEF, 0xBB, 0xBF]
            + Array(
                """
                id,name,note\r
                1,"Virtanen, Matti","he said ""hei""\r
                and left"\r
                \r
                2,Åsa Öberg,\"\"\"\"\r
                3,,"ä"\r
                4,"",x
                """.utf8
            )
        let whole = try read(bytes)
        #expect(
            whole == [
                CSVRecord(line: 1, fields: ["id", "name", "note"]),
                CSVRecord(line: 2, fields: ["1", "Virtanen, Matti", "he said \"hei\"\r\nand left"]),
                CSVRecord(line: 5, fields: ["2", "Åsa Öberg", "\""]),
                CSVRecord(line: 6, fields: ["3", "", "ä"]),
                CSVRecord(line: 7, fields: ["4", "", "x"]),
            ]
        )
        #expect(try read(bytes, chunkSize: 1) == whole)
        for size in 2...9 {
            #expect(try read(bytes, chunkSize: size) == whole)
        }
    }

    @Test(arguments: [CSVReader.defaultMaxRecordBytes, 16])
    func readsTheSameWhateverTheChunkSize(maxRecordBytes: Int) {
        // Whole records inside one chunk take a faster path than records cut by a chunk's end; fed byte by byte,
        // nothing takes it. Both must agree on every input, good or bad, down to the error.
        var random = CSVTestRandom(seed: UInt64(maxRecordBytes))
        let pieces: [[UInt8]] = [
            [0x61], [0x61], [0x61], [0x62, 0x63], [0x2C], [0x2C], [0x22], [0x22], [0x0D, 0x0A], [0x0A], [0x0A], [0x0D],
            [0xC3, 0xA4], [0xE2, 0x82, 0xAC], [0xFF], [0xC3], [0x00], [0x20],
        ]
        func result(_ bytes: [UInt8], chunkSize: Int?) -> Result<[CSVRecord], CSVError> {
            Result { () throws(CSVError) in try read(bytes, chunkSize: chunkSize, maxRecordBytes: maxRecordBytes) }
        }
        var outcomes: Set<String> = []
        for _ in 0..<2000 {
            var bytes: [UInt8] = []
            for _ in 0..<random.int(in: 0...60) {
                // Rare pieces (invalid UTF-8, NUL, a lone CR) appear less often, so that many inputs are valid.
                let index = random.int(in: 0...(pieces.count - 1))
                if index >= 14 && random.int(in: 0...3) > 0 { continue }
                bytes += pieces[index]
            }
            let whole = result(bytes, chunkSize: nil)
            #expect(result(bytes, chunkSize: 1) == whole, "\(bytes)")
            #expect(result(bytes, chunkSize: random.int(in: 2...17)) == whole, "\(bytes)")
            switch whole {
            case .success: outcomes.insert("ok")
            case .failure(let error): outcomes.insert(error.reason)
            }
        }
        // The inputs reached every outcome, so the comparison covered each of them.
        #expect(outcomes.count >= (maxRecordBytes == 16 ? 8 : 7), "\(outcomes)")
    }

    @Test func acceptsAnyByteCollection() throws {
        var reader = CSVReader()
        let records = try reader.feed(Array("a,b\nc".utf8).lazy.map { $0 }) + reader.finish()
        #expect(fields(records) == [["a", "b"], ["c"]])
    }

    @Test func describesErrorsWithAndWithoutColumn() {
        #expect(
            CSVError.unterminatedQuote(line: 7, column: 3).description == "line 7, column 3: unterminated quoted field"
        )
        #expect(CSVError.recordTooLong(line: 7, limit: 1 << 20).description == "line 7: record longer than 1 MiB")
    }
}

/// A seeded generator (SplitMix64), so a failing random test can be replayed. Shared by this module's tests.
struct CSVTestRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func int(in range: ClosedRange<Int>) -> Int {
        Int.random(in: range, using: &self)
    }
}
