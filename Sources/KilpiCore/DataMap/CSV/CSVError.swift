/// Why a CSV file could not be read, and where: the message an importer shows to the person who made the file.
public struct CSVError: Error, Equatable, Sendable, CustomStringConvertible {
    /// 1-based physical line.
    public let line: Int
    /// 1-based field number, when the problem belongs to one field.
    public let column: Int?
    public let reason: String

    public init(line: Int, column: Int? = nil, reason: String) {
        self.line = line
        self.column = column
        self.reason = reason
    }

    /// `line 7, column 3: unterminated quoted field`, or `line 7: …` when no single column is at fault.
    public var description: String {
        if let column {
            "line \(line), column \(column): \(reason)"
        } else {
            "line \(line): \(reason)"
        }
    }
}

extension CSVError {
    static func unterminatedQuote(line: Int, column: Int) -> CSVError {
        CSVError(line: line, column: column, reason: "unterminated quoted field")
    }

    static func quoteInUnquotedField(line: Int, column: Int) -> CSVError {
        CSVError(
            line: line,
            column: column,
            reason: "quote in an unquoted field (quote the whole field and double the quotes inside it)"
        )
    }

    static func characterAfterClosingQuote(line: Int, column: Int) -> CSVError {
        CSVError(line: line, column: column, reason: "unexpected character after a closing quote")
    }

    static func bareCarriageReturn(line: Int, column: Int) -> CSVError {
        CSVError(
            line: line,
            column: column,
            reason: "carriage return without a line feed (line ends must be LF or CRLF)"
        )
    }

    static func invalidUTF8(line: Int, column: Int) -> CSVError {
        CSVError(line: line, column: column, reason: "invalid UTF-8")
    }

    static func nulByte(line: Int, column: Int) -> CSVError {
        CSVError(line: line, column: column, reason: "binary data (NUL byte)")
    }

    static func recordTooLong(line: Int, limit: Int) -> CSVError {
        CSVError(line: line, reason: "record longer than \(byteCountText(limit))")
    }

    static let emptyFile = CSVError(line: 1, reason: "the file is empty")

    /// "1 MiB", "64 KiB", "1000 bytes": the limit as a person would say it.
    static func byteCountText(_ count: Int) -> String {
        if count >= 1 << 20, count % (1 << 20) == 0 { return "\(count >> 20) MiB" }
        if count >= 1 << 10, count % (1 << 10) == 0 { return "\(count >> 10) KiB" }
        return count == 1 ? "1 byte" : "\(count) bytes"
    }
}
