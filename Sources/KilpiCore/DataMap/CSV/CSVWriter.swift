/// Writes RFC 4180 CSV that ``CSVReader`` (and spreadsheets) read back unchanged.
///
/// It does not defuse spreadsheet formulas (`=`, `+`, `-`, `@` at the start of a field): that changes the data, so
/// it belongs to exports meant to be opened in a spreadsheet, not here.
public enum CSVWriter {
    /// The field as it goes into a line: quoted, with quotes doubled, when it holds a comma, quote or line break.
    public static func escape(_ field: String) -> String {
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
    public static func line(_ fields: [String]) -> String {
        // A lone empty field would be an empty line, which readers skip; quoted, it survives.
        if fields == [""] { return "\"\"\r\n" }
        return fields.map(escape).joined(separator: ",") + "\r\n"
    }

    private static func needsQuotes(_ field: String) -> Bool {
        // A leading U+FEFF at the start of a file would be taken for a byte order mark and dropped.
        if field.unicodeScalars.first == "\u{FEFF}" { return true }
        return field.utf8.contains {
            $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\n")
        }
    }
}
