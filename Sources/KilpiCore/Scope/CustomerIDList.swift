import Foundation

/// Reads an uploaded list of affected customers: a CSV file with the header `external_id` and one id a line.
/// Errors name the line, as for the data-map imports, in the reader's language (``CSVError/description(in:)``).
public enum CustomerIDList {
    public static func parse(_ data: Data, maximum: Int = 1_000_000) throws(CSVError) -> [String] {
        var reader = CSVReader()
        var records = try reader.feed(data)
        records += try reader.finish()
        var list = Collector(maximum: maximum)
        for record in records { try list.add(record) }
        return try list.result()
    }

    /// The list in the file at `path` (a console upload's temporary file), read 64 KiB at a time. Throws
    /// ``CSVError`` for bad content, ``CSVFileError`` when the file cannot be read.
    public static func parse(fileAt path: String, maximum: Int = 1_000_000) throws -> [String] {
        var list = Collector(maximum: maximum)
        try CSVFile.forEachRecord(at: path) { try list.add($0) }
        return try list.result()
    }

    private struct Collector {
        let maximum: Int
        var header: CSVHeader?
        var ids: [String] = []
        var seen = Set<String>()

        init(maximum: Int) { self.maximum = maximum }

        mutating func add(_ record: CSVRecord) throws(CSVError) {
            guard let header else {
                header = try CSVHeader(record, required: ["external_id"], optional: [])
                return
            }
            if record.fields.count == 1 && record.fields[0].isEmpty { return }
            let id = (header.value("external_id", in: record) ?? "").trimmingCharacters(in: .whitespaces)
            guard !id.isEmpty else {
                throw CSVError(
                    line: record.line,
                    column: header.index(of: "external_id").map { $0 + 1 },
                    reason: .l("external_id is empty", "external_id on tyhjä")
                )
            }
            if seen.insert(id).inserted { ids.append(id) }
            guard ids.count <= maximum else {
                throw CSVError(
                    line: record.line,
                    reason: .l("more than \(maximum) customers", "yli \(maximum) asiakasta")
                )
            }
        }

        func result() throws(CSVError) -> [String] {
            guard header != nil else {
                throw CSVError(
                    line: 1,
                    reason: .l(
                        "the file is empty; the first line must name the columns, e.g. external_id",
                        "tiedosto on tyhjä; ensimmäisen rivin on nimettävä sarakkeet, esim. external_id"
                    )
                )
            }
            guard !ids.isEmpty else {
                throw CSVError(
                    line: 2,
                    reason: .l("the file names no customers", "tiedostossa ei ole yhtään asiakasta")
                )
            }
            return ids
        }
    }
}
