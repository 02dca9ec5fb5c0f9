import KilpiCore
import Testing

@Suite("CSV header")
struct CSVHeaderTests {
    static let required = ["external_id", "name", "email"]
    static let optional = ["phone", "language", "country", "region"]

    private func header(_ names: [String], line: Int = 1) throws(CSVError) -> CSVHeader {
        try CSVHeader(CSVRecord(line: line, fields: names), required: Self.required, optional: Self.optional)
    }

    private func headerError(_ names: [String]) -> CSVError? {
        do {
            _ = try header(names)
            return nil
        } catch {
            return error
        }
    }

    @Test func mapsColumnsInAnyOrder() throws {
        let header = try header(["email", " Name ", "EXTERNAL_ID", "country"])
        #expect(header.columns == ["email", "name", "external_id", "country"])
        #expect(header.index(of: "external_id") == 2)
        #expect(header.index(of: "Email") == 0)
        #expect(header.index(of: "phone") == nil)

        let record = CSVRecord(line: 2, fields: ["a@example.fi", "Äiti", "c-1", "FI"])
        #expect(header.value("name", in: record) == "Äiti")
        #expect(header.value("country", in: record) == "FI")
        #expect(header.value("phone", in: record) == nil)
        #expect(header.value("country", in: CSVRecord(line: 3, fields: ["a@example.fi"])) == nil)
    }

    @Test func listsEveryMissingRequiredColumn() {
        let error = headerError(["name", "phone"])
        #expect(error?.description == "line 1: missing required columns: external_id, email")
        #expect(headerError(["name", "email"])?.reason == "missing required column: external_id")
    }

    @Test func refusesUnknownColumns() {
        let error = headerError(["external_id", "name", "email", "emial"])
        #expect(error?.line == 1)
        #expect(error?.column == 4)
        #expect(
            error?.reason.hasPrefix("unknown column \"emial\"; the columns can be: external_id, name, email, phone")
                == true
        )

        let both = headerError(["external_id", "name", "e-mail", "fon"])
        #expect(both?.column == 3)
        #expect(
            both?.reason.hasPrefix(
                "unknown column \"e-mail\" (column 3); unknown column \"fon\" (column 4); missing required column: email;"
            ) == true
        )
    }

    @Test func refusesDuplicateAndEmptyColumns() {
        #expect(
            headerError(["external_id", "name", "email", "Email"])?.description
                == "line 1, column 4: duplicate column \"email\" (also column 3)"
        )
        #expect(
            headerError(["external_id", "name", "email", " "])?.description == "line 1, column 4: empty column name"
        )
    }

    @Test func reportsTheHeaderLine() {
        let error = #expect(throws: CSVError.self) { try header(["external_id", "name"], line: 3) }
        #expect(error?.description == "line 3: missing required column: email")
    }

    @Test func refusesAnEmptyFile() {
        #expect(throws: CSVError.emptyFile) {
            try CSVHeader(nil, required: Self.required)
        }
        #expect(CSVError.emptyFile.description == "line 1: the file is empty")
    }
}
