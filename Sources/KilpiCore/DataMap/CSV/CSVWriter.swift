/// Writes RFC 4180 CSV. Every export Kilpi offers (the affected customers of an incident, registers, anything
/// later) goes through ``line(_:formulas:)`` with its default, so a cell a spreadsheet would run as a formula is
/// defused in one place rather than remembered per export.
public enum CSVWriter {
    /// What to do with a field a spreadsheet would read as a formula.
    public enum Formulas: Sendable {
        /// Prefix it with `'` (OWASP's advice): Excel, LibreOffice and Google Sheets then show it as text. For every
        /// file a person may open in a spreadsheet, which is every export.
        case defuse
        /// Leave it as it is, so ``CSVReader`` reads back exactly what was written. Only for machine-to-machine
        /// files (test fixtures, files Kilpi itself imports again).
        case keep
    }

    /// The field as it goes into a line: defused when it would start a formula (see ``Formulas``), then quoted,
    /// with quotes doubled, when it holds a comma, quote or line break.
    public static func escape(_ field: String, formulas: Formulas = .defuse) -> String {
        let field = formulas == .defuse && startsFormula(field) ? "'" + field : field
        guard needsQuotes(field) else { return field }
        var escaped = "\""
        escaped.reserveCapacity(field.utf8.count + 2)
        for character in field.unicodeScalars {
            if character == "\"" { escaped.unicodeScalars.append("\"") }
            escaped.unicodeScalars.append(character)
        }
        escaped.unicodeScalars.append("\"")
        return escaped
    }

    /// One record, CRLF-terminated.
    public static func line(_ fields: [String], formulas: Formulas = .defuse) -> String {
        // A lone empty field would be an empty line, which readers skip; quoted, it survives.
        if fields == [""] { return "\"\"\r\n" }
        return fields.map { escape($0, formulas: formulas) }.joined(separator: ",") + "\r\n"
    }

    /// Whether a spreadsheet would take the field for a formula: it starts with `=`, `+`, `-`, `@`, a tab or a
    /// carriage return (the last two because some spreadsheets skip them and read the `=` behind).
    public static func startsFormula(_ field: String) -> Bool {
        guard let first = field.utf8.first else { return false }
        return first == UInt8(ascii: "=") || first == UInt8(ascii: "+") || first == UInt8(ascii: "-")
            || first == UInt8(ascii: "@") || first == UInt8(ascii: "\t") || first == UInt8(ascii: "\r")
    }

    private static func needsQuotes(_ field: String) -> Bool {
        // A leading U+FEFF at the start of a file would be taken for a byte order mark and dropped.
        if field.unicodeScalars.first == "\u{FEFF}" { return true }
        return field.utf8.contains {
            $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\n")
        }
    }
}
