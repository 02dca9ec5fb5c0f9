import Foundation
import KilpiCore
import Testing

@Suite("CSV file")
struct CSVFileTests {
    private func temporaryFile(_ bytes: [UInt8]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("kilpi-csv-\(UUID().uuidString).csv")
            .path
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        return path
    }

    private func records(at path: String) throws -> [CSVRecord] {
        var records: [CSVRecord] = []
        try CSVFile.forEachRecord(at: path) { records.append($0) }
        return records
    }

    @Test func readsAFileAcrossManyChunks() throws {
        var text = CSVWriter.line(["external_id", "name", "email", "country"])
        for index in 1...5000 {
            text += CSVWriter.line(["c-\(index)", "Öberg, Åsa \(index)", "asa\(index)@example.se", "SE"])
        }
        let path = try temporaryFile(Array(text.utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(text.utf8.count > 3 * (64 << 10))

        var count = 0
        var last: CSVRecord?
        try CSVFile.forEachRecord(at: path) { record in
            count += 1
            last = record
        }
        #expect(count == 5001)
        #expect(last == CSVRecord(line: 5001, fields: ["c-5000", "Öberg, Åsa 5000", "asa5000@example.se", "SE"]))
    }

    @Test func refusesA3MBLine() throws {
        let bytes =
            Array("external_id,name\n".utf8) + [UInt8](repeating: UInt8(ascii: "x"), count: 3_000_000)
            + Array("\n1,a\n".utf8)
        let path = try temporaryFile(bytes)
        defer { try? FileManager.default.removeItem(atPath: path) }

        var seen: [CSVRecord] = []
        #expect(throws: CSVError.recordTooLong(line: 2, limit: 1 << 20)) {
            try CSVFile.forEachRecord(at: path) { seen.append($0) }
        }
        #expect(seen == [CSVRecord(line: 1, fields: ["external_id", "name"])])
    }

    @Test func readsAnEmptyFileAsNoRecords() throws {
        let path = try temporaryFile([])
        defer { try? FileManager.default.removeItem(atPath: path) }
        let records = try records(at: path)
        #expect(records.isEmpty)
        #expect(throws: CSVError.emptyFile) {
            try CSVHeader(records.first, required: ["email"])
        }
    }

    @Test func reportsFilesThatCannotBeRead() throws {
        let missing = "/nonexistent/kilpi/customers.csv"
        #expect(throws: CSVFileError.self) { try records(at: missing) }
        do {
            _ = try records(at: missing)
        } catch let error as CSVFileError {
            #expect(error.description == "/nonexistent/kilpi/customers.csv: no such file")
        }
        do {
            _ = try records(at: FileManager.default.temporaryDirectory.path)
        } catch let error as CSVFileError {
            #expect(error.reason == "is a directory")
        }
    }

    @Test func stopsWhenTheBodyThrows() throws {
        struct Stop: Error {}
        let path = try temporaryFile(Array("a\nb\nc\n".utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        var seen: [String] = []
        #expect(throws: Stop.self) {
            try CSVFile.forEachRecord(at: path) { record in
                seen.append(record.fields[0])
                if record.fields[0] == "b" { throw Stop() }
            }
        }
        #expect(seen == ["a", "b"])
    }
}
