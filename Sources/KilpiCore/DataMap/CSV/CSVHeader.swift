import Foundation

/// The header row of an import file: which column holds what, whatever order the file puts them in.
///
/// Names are compared trimmed and lower-cased, so ` Email ` in the file is the `email` column.
public struct CSVHeader: Sendable {
    /// The file's column names, normalised, in file order.
    public let columns: [String]
    private let indexes: [String: Int]

    /// Checks the header against the columns an import knows.
    ///
    /// Throws, on the header's line: "the file is empty" when there is no header (pass the reader's first record,
    /// or nil when it had none); an empty or duplicate column name; unknown columns and missing required ones,
    /// all named in one error (a reason for each) so a file can be fixed in one go.
    public init(_ record: CSVRecord?, required: [String], optional: [String] = []) throws(CSVError) {
        guard let record else { throw .emptyFile }
        let names = record.fields.map(Self.normalize)
        var indexes: [String: Int] = [:]
        for (index, name) in names.enumerated() {
            if name.isEmpty {
                throw CSVError(
                    line: record.line,
                    column: index + 1,
                    reason: .l("empty column name", "tyhjä sarakkeen nimi")
                )
            }
            if let first = indexes[name] {
                let earlier = first + 1
                throw CSVError(
                    line: record.line,
                    column: index + 1,
                    reason: .l(
                        "duplicate column \"\(name)\" (also column \(earlier))",
                        "sarake \"\(name)\" toistuu (myös sarake \(earlier))"
                    )
                )
            }
            indexes[name] = index
        }

        let required = required.map(Self.normalize)
        let allowed = required + optional.map(Self.normalize)
        let unknown = names.indices.filter { !allowed.contains(names[$0]) }
        let missing = required.filter { indexes[$0] == nil }
        if !unknown.isEmpty || !missing.isEmpty {
            var problems: [LocalizedMessage] = []
            if unknown.count == 1 {
                let name = names[unknown[0]]
                problems.append(.l("unknown column \"\(name)\"", "tuntematon sarake \"\(name)\""))
            } else {
                for index in unknown {
                    let (name, number) = (names[index], index + 1)
                    problems.append(
                        .l(
                            "unknown column \"\(name)\" (column \(number))",
                            "tuntematon sarake \"\(name)\" (sarake \(number))"
                        )
                    )
                }
            }
            let missingNames = missing.joined(separator: ", ")
            if missing.count == 1 {
                problems.append(
                    .l("missing required column: \(missingNames)", "pakollinen sarake puuttuu: \(missingNames)")
                )
            } else if missing.count > 1 {
                problems.append(
                    .l("missing required columns: \(missingNames)", "pakollisia sarakkeita puuttuu: \(missingNames)")
                )
            }
            if !unknown.isEmpty {
                let choices = allowed.joined(separator: ", ")
                problems.append(.l("the columns can be: \(choices)", "sarakkeet voivat olla: \(choices)"))
            }
            throw CSVError(line: record.line, column: unknown.first.map { $0 + 1 }, reasons: problems)
        }
        self.columns = names
        self.indexes = indexes
    }

    /// 0-based index of the column in each record, nil when the file does not have it.
    public func index(of column: String) -> Int? {
        // Callers nearly always pass a name already in normal form; normalising costs more than the lookup.
        indexes[column] ?? indexes[Self.normalize(column)]
    }

    /// The record's value for the column; nil when the file has no such column or the record stops short of it.
    public func value(_ column: String, in record: CSVRecord) -> String? {
        guard let index = index(of: column), index < record.fields.count else { return nil }
        return record.fields[index]
    }

    private static func normalize(_ name: String) -> String {
        name.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }
}
