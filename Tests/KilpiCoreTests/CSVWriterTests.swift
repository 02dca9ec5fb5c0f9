import KilpiCore
import Testing

@Suite("CSV writer")
struct CSVWriterTests {
    @Test func leavesPlainFieldsAlone() {
        #expect(CSVWriter.escape("Matti Virtanen") == "Matti Virtanen")
        #expect(CSVWriter.escape("") == "")
        #expect(CSVWriter.escape(" Äänekoski ") == " Äänekoski ")
    }

    @Test func quotesFieldsThatNeedIt() {
        #expect(CSVWriter.escape("Virtanen, Matti") == "\"Virtanen, Matti\"")
        #expect(CSVWriter.escape("say \"hei\"") == "\"say \"\"hei\"\"\"")
        #expect(CSVWriter.escape("two\nlines") == "\"two\nlines\"")
        #expect(CSVWriter.escape("cr\r") == "\"cr\r\"")
        #expect(CSVWriter.escape("\u{FEFF}x") == "\"\u{FEFF}x\"")
    }

    @Test func endsLinesWithCRLF() {
        #expect(CSVWriter.line(["a", "b,c", ""]) == "a,\"b,c\",\r\n")
        #expect(CSVWriter.line([""]) == "\"\"\r\n")
    }

    @Test func nordicLettersRoundTrip() throws {
        let rows = [["Äänekoski", "Göteborg", "Ørsted"], ["Åsa Öberg", "Jyväskylä, Keski-Suomi", "Malmö \"Möllan\""]]
        let text = rows.map { CSVWriter.line($0) }.joined()
        var reader = CSVReader()
        let records = try reader.feed(Array(text.utf8)) + reader.finish()
        #expect(records.map(\.fields) == rows)
        #expect(records.map(\.line) == [1, 2])
    }

    @Test(arguments: 1...10)
    func randomRecordsRoundTrip(seed: Int) throws {
        var random = CSVTestRandom(seed: UInt64(seed))
        let alphabet: [Character] = [
            "a", "Z", "0", " ", ",", "\"", "\r", "\n", "\r\n", "ä", "Ö", "å", "€", "😀", ";", "\t", "'",
        ]
        let rows: [[String]] = (0..<random.int(in: 1...40)).map { _ in
            (0..<random.int(in: 1...8)).map { _ in
                String((0..<random.int(in: 0...12)).map { _ in alphabet[random.int(in: 0...(alphabet.count - 1))] })
            }
        }
        let bytes = Array(rows.map { CSVWriter.line($0, formulas: .keep) }.joined().utf8)

        var reader = CSVReader()
        var records: [CSVRecord] = []
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + random.int(in: 1...64))
            records += try reader.feed(bytes[start..<end])
            start = end
        }
        records += try reader.finish()
        #expect(records.map(\.fields) == rows)
    }

    // Finding 4 of issue 9: a customer named `=HYPERLINK(...)` ran as a formula in the exported list.
    @Test func defusesCellsASpreadsheetWouldRunAsFormulas() {
        #expect(CSVWriter.escape("=HYPERLINK(\"http://x\",\"y\")") == "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"")
        #expect(CSVWriter.escape("=1+2") == "'=1+2")
        #expect(CSVWriter.escape("+358 40 123") == "'+358 40 123")
        #expect(CSVWriter.escape("-2") == "'-2")
        #expect(CSVWriter.escape("@SUM(A1)") == "'@SUM(A1)")
        #expect(CSVWriter.escape("\t=1") == "'\t=1")
        #expect(CSVWriter.escape("\r=1") == "\"'\r=1\"")
        #expect(CSVWriter.line(["ok", "=1", "a-b"]) == "ok,'=1,a-b\r\n")
        // Not at the start, or already text: left alone.
        #expect(CSVWriter.escape("a=1") == "a=1")
        #expect(CSVWriter.escape("'=1") == "'=1")
        #expect(CSVWriter.escape(" =1") == " =1")
        // Only machine-to-machine files keep them.
        #expect(CSVWriter.escape("=1", formulas: .keep) == "=1")
    }

    @Test(arguments: 1...5)
    func defusedRecordsReadBackAsTheFieldOrTheFieldBehindAQuote(seed: Int) throws {
        var random = CSVTestRandom(seed: UInt64(seed))
        let alphabet: [Character] = ["a", "=", "+", "-", "@", "\t", "\r", ",", "\"", "\n", "'", "ä"]
        let rows: [[String]] = (0..<random.int(in: 1...30)).map { _ in
            (0..<random.int(in: 1...6)).map { _ in
                String((0..<random.int(in: 1...8)).map { _ in alphabet[random.int(in: 0...(alphabet.count - 1))] })
            }
        }
        var reader = CSVReader()
        let records = try reader.feed(Array(rows.map { CSVWriter.line($0) }.joined().utf8)) + reader.finish()
        #expect(records.count == rows.count)
        for (record, row) in zip(records, rows) {
            #expect(record.fields == row.map { CSVWriter.startsFormula($0) ? "'" + $0 : $0 })
            #expect(!record.fields.contains { CSVWriter.startsFormula($0) })
        }
    }
}
