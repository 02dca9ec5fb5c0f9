/// Why a CSV file could not be read, and where: the message an importer shows to the person who made the file,
/// in their language (`description(in:)`); `description` is the English the command line prints.
public struct CSVError: Error, Equatable, Sendable, CustomStringConvertible {
    /// 1-based physical line.
    public let line: Int
    /// 1-based field number, when the problem belongs to one field.
    public let column: Int?
    /// Why, in English and Finnish (Swedish from the catalogue). More than one when a header is wrong in several
    /// ways at once: they are said one after another, so a file can be fixed in one go.
    public let messages: [LocalizedMessage]

    public init(line: Int, column: Int? = nil, reason: LocalizedMessage) {
        self.init(line: line, column: column, reasons: [reason])
    }

    public init(line: Int, column: Int? = nil, reasons: [LocalizedMessage]) {
        self.line = line
        self.column = column
        self.messages = reasons
    }

    /// The reason in English.
    public var reason: String { reason(in: .en) }

    /// The reason for a reader of `language`.
    public func reason(in language: Language) -> String {
        messages.map { $0.text(language) }.joined(separator: "; ")
    }

    /// `line 7, column 3: unterminated quoted field`, or `line 7: …` when no single column is at fault.
    public var description: String { description(in: .en) }

    /// The same for a reader of `language`: `rivi 7, sarake 3: …`, `rad 7, kolumn 3: …`.
    public func description(in language: Language) -> String {
        "\(LocalizedMessage.location(line: line, column: column.map(String.init)).text(language)) \(reason(in: language))"
    }
}

extension LocalizedMessage {
    /// Where in a file a problem is, with its colon: `line 7, column 3:` (`rivi 7, sarake 3:`), or `line 7:` when no
    /// column is at fault. The column is a number, or a column's name as the file's header writes it.
    ///
    /// The colon is part of the message so that its catalogue entry matches only such a prefix, not every text that
    /// happens to begin with "line ".
    public static func location(line: Int, column: String?) -> LocalizedMessage {
        if let column {
            .l("line \(line), column \(column):", "rivi \(line), sarake \(column):")
        } else {
            .l("line \(line):", "rivi \(line):")
        }
    }
}

extension CSVError {
    public static func unterminatedQuote(line: Int, column: Int) -> CSVError {
        CSVError(
            line: line,
            column: column,
            reason: .l("unterminated quoted field", "lainausmerkeissä oleva kenttä ei pääty lainausmerkkiin")
        )
    }

    public static func quoteInUnquotedField(line: Int, column: Int) -> CSVError {
        CSVError(
            line: line,
            column: column,
            reason: .l(
                "quote in an unquoted field (quote the whole field and double the quotes inside it)",
                "lainausmerkki lainaamattomassa kentässä (lainaa koko kenttä ja kahdenna sen sisällä olevat lainausmerkit)"
            )
        )
    }

    public static func characterAfterClosingQuote(line: Int, column: Int) -> CSVError {
        CSVError(
            line: line,
            column: column,
            reason: .l(
                "unexpected character after a closing quote",
                "odottamaton merkki loppulainausmerkin jälkeen"
            )
        )
    }

    public static func bareCarriageReturn(line: Int, column: Int) -> CSVError {
        CSVError(
            line: line,
            column: column,
            reason: .l(
                "carriage return without a line feed (line ends must be LF or CRLF)",
                "rivinalkumerkki (CR) ilman rivinvaihtoa (LF) (rivin lopun on oltava LF tai CRLF)"
            )
        )
    }

    public static func invalidUTF8(line: Int, column: Int) -> CSVError {
        CSVError(line: line, column: column, reason: .l("invalid UTF-8", "virheellistä UTF-8:aa"))
    }

    public static func nulByte(line: Int, column: Int) -> CSVError {
        CSVError(line: line, column: column, reason: .l("binary data (NUL byte)", "binääridataa (NUL-tavu)"))
    }

    public static func utf16(line: Int) -> CSVError {
        CSVError(
            line: line,
            reason: .l("UTF-16 text (save the file as UTF-8)", "UTF-16-tekstiä (tallenna tiedosto UTF-8-muodossa)")
        )
    }

    /// "record longer than 1 MiB", "… 64 KiB", "… 1000 bytes": the limit as a person would say it.
    public static func recordTooLong(line: Int, limit: Int) -> CSVError {
        let reason: LocalizedMessage
        if limit >= 1 << 20, limit % (1 << 20) == 0 {
            let mebibytes = limit >> 20
            reason = .l("record longer than \(mebibytes) MiB", "tietue on pidempi kuin \(mebibytes) MiB")
        } else if limit >= 1 << 10, limit % (1 << 10) == 0 {
            let kibibytes = limit >> 10
            reason = .l("record longer than \(kibibytes) KiB", "tietue on pidempi kuin \(kibibytes) KiB")
        } else if limit == 1 {
            reason = .l("record longer than 1 byte", "tietue on pidempi kuin 1 tavu")
        } else {
            reason = .l("record longer than \(limit) bytes", "tietue on pidempi kuin \(limit) tavua")
        }
        return CSVError(line: line, reason: reason)
    }

    public static let emptyFile = CSVError(line: 1, reason: .l("the file is empty", "tiedosto on tyhjä"))
}
