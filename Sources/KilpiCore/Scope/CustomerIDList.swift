import Foundation

/// Reads an uploaded list of affected customers: a CSV file with the header `external_id` and one id a line.
/// Errors name the line, as for the data-map imports.
public enum CustomerIDList {
    public static func parse(_ data: Data, maximum: Int = 1_000_000) throws(CSVError) -> [String] {
        var reader = CSVReader()
        var records = try reader.feed(data)
        records += try reader.finish()
        guard let first = records.first else {
            throw CSVError(line: 1, reason: "the file is empty; the first line must name the columns, e.g. external_id")
        }
        let header = try CSVHeader(first, required: ["external_id"], optional: [])
        var ids: [String] = []
        var seen = Set<String>()
        for record in records.dropFirst() {
            if record.fields.count == 1 && record.fields[0].isEmpty { continue }
            let id = (header.value("external_id", in: record) ?? "").trimmingCharacters(in: .whitespaces)
            guard !id.isEmpty else {
                throw CSVError(
                    line: record.line,
                    column: header.index(of: "external_id").map { $0 + 1 },
                    reason: "external_id is empty"
                )
            }
            if seen.insert(id).inserted { ids.append(id) }
            guard ids.count <= maximum else {
                throw CSVError(line: record.line, reason: "more than \(maximum) customers")
            }
        }
        guard !ids.isEmpty else { throw CSVError(line: 2, reason: "the file names no customers") }
        return ids
    }
}
