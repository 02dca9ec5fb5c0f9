import Foundation
import Testing

@testable import KilpiCore

/// Every refusal of the CSV reader, the customer-list reader and the JSON document readers (playbooks, the response
/// plan) is said in English, Finnish and Swedish: three different texts, each carrying the problem's values, with the
/// location (`line 7, column 3:`) in the language and field paths and column names as written.
@Suite struct ParserMessagesTests {
    /// The three renderings of one problem are different (a missing Swedish entry would fall back to the English)
    /// and each carries every value.
    func expectTranslated(
        _ render: (Language) -> String,
        carrying values: [String],
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let texts = Language.allCases.map(render)
        #expect(Set(texts).count == Language.allCases.count, "\(texts)", sourceLocation: sourceLocation)
        for text in texts {
            for value in values {
                #expect(text.contains(value), "\(value) not in \(text)", sourceLocation: sourceLocation)
            }
        }
    }

    // MARK: - CSV

    static func csvError(_ bytes: [UInt8], maxRecordBytes: Int = CSVReader.defaultMaxRecordBytes) -> CSVError? {
        var reader = CSVReader(maxRecordBytes: maxRecordBytes)
        do {
            _ = try reader.feed(bytes)
            _ = try reader.finish()
            return nil
        } catch { return error }
    }

    static func csvError(_ text: String, maxRecordBytes: Int = CSVReader.defaultMaxRecordBytes) -> CSVError? {
        csvError(Array(text.utf8), maxRecordBytes: maxRecordBytes)
    }

    static func headerError(_ names: [String], line: Int = 1) -> CSVError? {
        do {
            _ = try CSVHeader(CSVRecord(line: line, fields: names), required: ["external_id", "email"])
            return nil
        } catch { return error }
    }

    static func listError(_ text: String, maximum: Int = 1_000_000) -> CSVError? {
        do {
            _ = try CustomerIDList.parse(Data(text.utf8), maximum: maximum)
            return nil
        } catch { return error }
    }

    /// Each CSV refusal with the values its message must carry, produced by the readers themselves.
    static var csvErrors: [(error: CSVError?, values: [String])] {
        [
            (csvError("h\na,\"bc\nd\n"), ["2", "2"]),
            (csvError("h\nab\"c\n"), ["2", "1"]),
            (csvError("x\n\"a\"b,c\n"), ["2", "1"]),
            (csvError("a\rb\n"), ["1"]),
            (csvError(Array("name,city\nMatti,".utf8) + [0xC4, 0x0A]), ["2", "2"]),
            (csvError([0x61, 0x2C, 0x62, 0x00, 0x0A]), ["1", "2"]),
            (csvError([0xFF, 0xFE, 0x61, 0x00]), ["UTF-16", "UTF-8"]),
            (csvError("ok\n12345,67890\n", maxRecordBytes: 10), ["2", "10"]),
            (csvError("ok\n12345,67890\n", maxRecordBytes: 1), ["1"]),
            (csvError("h\n" + String(repeating: "x", count: 3 << 10), maxRecordBytes: 2 << 10), ["2", "2 KiB"]),
            (csvError("h\n" + String(repeating: "x", count: 3 << 20)), ["2", "1 MiB"]),
            (CSVError.emptyFile, ["1"]),
            (headerError(["external_id", "email", " "]), ["3"]),
            (headerError(["external_id", "email", "Email"], line: 4), ["4", "\"email\"", "3"]),
            (headerError(["external_id", "email", "emial"]), ["\"emial\"", "external_id, email"]),
            (headerError(["e-mail", "fon"]), ["\"e-mail\"", "\"fon\"", "external_id, email"]),
            (headerError(["external_id"], line: 5), ["5", "email"]),
            (listError("external_id\nC-1\n \n"), ["3", "external_id"]),
            (listError("external_id\nC-1\nC-2\n", maximum: 1), ["3", "1"]),
            (listError(""), ["1", "external_id"]),
            (listError("external_id\n"), ["2"]),
        ]
    }

    @Test func everyCSVRefusalIsSaidInEachLanguageWithItsValues() throws {
        var reasons: [Language: Set<String>] = [:]
        for (index, (error, values)) in Self.csvErrors.enumerated() {
            let error = try #require(error, "case \(index) was accepted")
            expectTranslated({ error.description(in: $0) }, carrying: values)
            expectTranslated({ error.reason(in: $0) }, carrying: values.filter { !$0.allSatisfy(\.isNumber) })
            #expect(error.description(in: .en) == error.description)
            #expect(error.reason(in: .en) == error.reason)
            for language in Language.allCases { reasons[language, default: []].insert(error.reason(in: language)) }
        }
        // Different problems read differently in every language.
        for language in Language.allCases { #expect(reasons[language]?.count == Self.csvErrors.count) }
    }

    @Test func theLocationIsSaidInTheReadersLanguage() throws {
        let quote = try #require(Self.csvError("h\na,\"bc\nd\n"))
        #expect(quote.description == "line 2, column 2: unterminated quoted field")
        #expect(
            quote.description(in: .fi) == "rivi 2, sarake 2: lainausmerkeissä oleva kenttä ei pääty lainausmerkkiin"
        )
        #expect(quote.description(in: .sv) == "rad 2, kolumn 2: ett citerat fält saknar avslutande citattecken")
        let long = try #require(Self.csvError("ok\n12345,67890\n", maxRecordBytes: 10))
        #expect(long.description(in: .fi) == "rivi 2: tietue on pidempi kuin 10 tavua")
        #expect(long.description(in: .sv) == "rad 2: posten är längre än 10 byte")
        // A header wrong in several ways says each, in order, in the language; column names stay as written.
        let header = try #require(Self.headerError(["e-mail", "fon"]))
        #expect(
            header.description(in: .sv)
                == #"rad 1, kolumn 1: okänd kolumn "e-mail" (kolumn 1); okänd kolumn "fon" (kolumn 2); obligatoriska kolumner saknas: external_id, email; kolumnerna kan vara: external_id, email"#
        )
        #expect(
            header.description(in: .fi)
                == #"rivi 1, sarake 1: tuntematon sarake "e-mail" (sarake 1); tuntematon sarake "fon" (sarake 2); pakollisia sarakkeita puuttuu: external_id, email; sarakkeet voivat olla: external_id, email"#
        )
        // The location's catalogue entry matches only a location: other text beginning with "line " is left alone.
        #expect(MessageCatalogue.swedish.lookup("line manager") == nil)
        #expect(MessageCatalogue.swedish.lookup("line 12, column email:") == "rad 12, kolumn email:")
    }

    @Test func aFileThatCannotBeReadIsSaidInEachLanguage() throws {
        let errors: [CSVFileError] = [
            .noSuchFile("/x/customers.csv"), .isADirectory("/x"), .cannotBeOpened("/x/customers.csv"),
            .readFailed("/x/customers.csv"), .readFailed("/x/customers.csv", detail: "I/O error"),
        ]
        for error in errors {
            expectTranslated({ error.description(in: $0) }, carrying: [error.path])
            #expect(error.description(in: .en) == error.description)
        }
        #expect(Set(errors.map { $0.reason(in: .sv) }).count == errors.count)
        #expect(CSVFileError.noSuchFile("/x/a.csv").description == "/x/a.csv: no such file")
        #expect(CSVFileError.noSuchFile("/x/a.csv").description(in: .sv) == "/x/a.csv: filen finns inte")
        let missing = "/nonexistent/kilpi/customers.csv"
        let error = #expect(throws: CSVFileError.self) { try CSVFile.forEachRecord(at: missing) { _ in } }
        #expect(error?.description(in: .fi) == "\(missing): tiedostoa ei ole")
    }

    // MARK: - JSON documents

    static let validPlaybook = """
        {"id": "test", "threat_kind": "phishing", "title": {"en": "T", "fi": "T"}, "reviewed_on": "2026-01-01",
         "steps": [{"title": {"en": "S", "fi": "S"}, "phase": "containment", "owner": "technical_lead", "due_after_hours": 4, "checklist": []}]}
        """

    static func playbookError(_ text: String) -> DocumentError? {
        do {
            _ = try PlaybookParser.parse(text)
            return nil
        } catch { return error }
    }

    static func playbookError(_ data: Data) -> DocumentError? {
        do {
            _ = try PlaybookParser.parse(data)
            return nil
        } catch { return error }
    }

    static func planError(_ text: String) -> DocumentError? {
        do {
            _ = try ResponsePlan.parse(text)
            return nil
        } catch { return error }
    }

    static func broken(_ from: String, _ to: String) -> DocumentError? {
        let text = validPlaybook.replacingOccurrences(of: from, with: to)
        precondition(text != validPlaybook, "\(from) is not in the valid playbook")
        return playbookError(text)
    }

    /// Every refusal of the playbook and plan readers, with its location and the values its message must carry.
    static var documentErrors: [(error: DocumentError?, location: String, values: [String])] {
        let manySteps = (0...100).map { _ in
            #"{"title": {"en": "S", "fi": "S"}, "phase": "containment", "owner": "commander", "due_after_hours": 1, "checklist": []}"#
        }
        return [
            (playbookError(Data(repeating: 0x20, count: PlaybookParser.maximumBytes + 1)), "file", ["512"]),
            (playbookError(Data([0xFF, 0xFE, 0x00])), "file", ["UTF-8"]),
            (playbookError("{\n  \"id\": \"x\",\n  oops\n}"), "line 3, column 3", ["3", "JSON"]),
            (playbookError(""), "file", ["JSON"]),
            (playbookError("[1, 2]"), "playbook", []),
            (broken(#""id": "test""#, #""id": "test", "colour": "red""#), "colour", ["id, reviewed_on, steps"]),
            (broken(#""id": "test""#, #""id": "Bad Id!""#), "id", ["63"]),
            (broken(#""phishing""#, #""<b>ransomware</b>""#), "threat_kind", ["\"<b>ransomware</b>\"", "phishing"]),
            (broken(#""title": {"en": "T", "fi": "T"}, "#, ""), "title", []),
            (broken("2026-01-01", "2026-02-30"), "reviewed_on", ["\"2026-02-30\""]),
            (steps("\"none\""), "steps", []),
            (steps("[]"), "steps", []),
            (
                playbookError(
                    validPlaybook.replacingOccurrences(
                        of: #""steps": [{"#,
                        with: #""steps": [\#(manySteps.joined(separator: ", ")), {"#
                    )
                ), "steps", ["100"]
            ),
            (broken("containment", "panic"), "steps[0].phase", ["\"panic\"", "containment"]),
            (broken("technical_lead", "cto"), "steps[0].owner", ["\"cto\"", "commander"]),
            (broken(#""due_after_hours": 4"#, #""due_after_hours": true"#), "steps[0].due_after_hours", ["8760"]),
            (
                broken(#""checklist": []"#, #""checklist": [], "purpose": "bribe""#), "steps[0].purpose",
                ["\"bribe\""]
            ),
            (broken(#""checklist": []"#, #""checklist": 1"#), "steps[0].checklist", []),
            (broken(#""fi": "S""#, #""fi": 5"#), "steps[0].title.fi", []),
            (broken(#""fi": "S""#, #""fi": " ""#), "steps[0].title.fi", []),
            (
                broken(#""fi": "S""#, #""fi": "\#(String(repeating: "x", count: 2001))""#), "steps[0].title.fi",
                ["2000"]
            ),
            (broken(#""title": {"en": "S", "fi": "S"}"#, #""title": 1"#), "steps[0].title", []),
            (planError("{\"roles\": }"), "line 1, column 11", ["1", "11"]),
            (planError("[]"), "plan", []),
            (planError(#"{"budget": 1}"#), "budget", ["contacts, exercises, roles"]),
            (planError(#"{"roles": {"ceo": {"name": "X"}}}"#), "roles.ceo", ["commander"]),
            (planError(#"{"roles": {"commander": "X"}}"#), "roles.commander", []),
            (planError(#"{"roles": {"commander": {"phone": "1"}}}"#), "roles.commander.name", []),
            (planError(#"{"roles": {"commander": {"name": "X", "phone": 1}}}"#), "roles.commander.phone", []),
            (planError(#"{"contacts": 1}"#), "contacts", []),
            (
                planError(#"{"contacts": [{"kind": "lawyer", "name": "X", "phone": "1"}]}"#), "contacts[0].kind",
                ["\"lawyer\"", "legal"]
            ),
            (planError(#"{"contacts": [{"kind": "legal", "name": "X"}]}"#), "contacts[0]", []),
            (planError(#"{"exercises": {}}"#), "exercises", []),
            (
                planError(#"{"exercises": [{"date": "yesterday", "description": "x"}]}"#), "exercises[0].date",
                ["\"yesterday\""]
            ),
            (
                DocumentError(at: "Resources/playbooks", .l("missing from the build", "puuttuu koosteesta")),
                "Resources/playbooks", []
            ),
        ]
    }

    /// A playbook whose `steps` is `json`.
    static func steps(_ json: String) -> DocumentError? {
        playbookError(
            #"{"id": "x", "threat_kind": "phishing", "title": {"en": "T", "fi": "T"}, "reviewed_on": "2026-01-01", "steps": \#(json)}"#
        )
    }

    @Test func everyDocumentRefusalIsSaidInEachLanguageWithItsValues() throws {
        for (index, (error, location, values)) in Self.documentErrors.enumerated() {
            let error = try #require(error, "case \(index) (\(location)) was accepted")
            #expect(error.location == location, "case \(index): \(error)")
            expectTranslated({ error.reason(in: $0) }, carrying: [])
            expectTranslated({ error.description(in: $0) }, carrying: values)
            #expect(error.description(in: .en) == error.description)
            if case .field(let path) = error.place {
                // A field's path is what the document says: the same in every language.
                for language in Language.allCases {
                    #expect(error.description(in: language).hasPrefix("\(path): "))
                }
                #expect(error.fieldProblem() == FieldProblem(path, error.message))
            } else {
                #expect(error.fieldProblem().field == "document")
                expectTranslated({ error.fieldProblem().description(in: $0) }, carrying: values)
            }
        }
    }

    @Test func aSyntaxErrorNamesItsLineInTheLanguage() throws {
        let error = try #require(Self.playbookError("{\n  \"id\": \"x\",\n  oops\n}"))
        #expect(error.place == .position(line: 3, column: 3))
        #expect(error.description == "line 3, column 3: not valid JSON")
        #expect(error.description(in: .fi) == "rivi 3, sarake 3: ei kelvollista JSONia")
        #expect(error.description(in: .sv) == "rad 3, kolumn 3: ogiltig JSON")
        #expect(error.fieldProblem().description(in: .sv) == "document: rad 3, kolumn 3: ogiltig JSON")
        #expect(error.fieldProblem().description == "document: line 3, column 3: not valid JSON")
        let owner = try #require(Self.broken("technical_lead", "cto"))
        #expect(
            owner.description(in: .sv)
                == #"steps[0].owner: okänd roll "cto"; använd en av: \#(IncidentRole.allCases.map(\.rawValue).joined(separator: ", "))"#
        )
        #expect(owner.description(in: .fi).hasPrefix(#"steps[0].owner: tuntematon rooli "cto""#))
        let whole = try #require(Self.playbookError(Data([0xFF, 0xFE, 0x00])))
        #expect(whole.description == "file: not UTF-8 text")
        #expect(whole.description(in: .fi) == "tiedosto: ei UTF-8-tekstiä")
        #expect(whole.description(in: .sv) == "fil: ingen UTF-8-text")
    }

    @Test func aShippedFilesNameStaysInFrontOfTheLocation() throws {
        let inner = try #require(Self.broken("technical_lead", "cto"))
        let shipped = DocumentError(inner.place, inner.message, file: "phishing.json")
        #expect(shipped.location == "phishing.json: steps[0].owner")
        #expect(shipped.description.hasPrefix("phishing.json: steps[0].owner: unknown role \"cto\""))
        #expect(shipped.description(in: .sv).hasPrefix("phishing.json: steps[0].owner: okänd roll \"cto\""))
    }
}
