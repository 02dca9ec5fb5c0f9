/// One CSV record: its fields, and the line where it starts so errors about its values can point at it.
public struct CSVRecord: Sendable, Equatable {
    /// 1-based physical line where the record starts (a quoted field may carry it over further lines).
    public let line: Int
    public let fields: [String]

    public init(line: Int, fields: [String]) {
        self.line = line
        self.fields = fields
    }
}

/// A streaming RFC 4180 reader: bytes go in chunk by chunk (for example 64 KiB file reads), complete records come out.
///
/// Memory stays constant whatever the input: the reader holds at most one record, and refuses a record longer
/// than `maxRecordBytes` the moment it gets that long, so a 2 GB line is never buffered.
///
/// What it accepts: LF or CRLF line ends (and a last line without one); fields quoted with `"` holding
/// delimiters, line breaks and `""` for a quote; a UTF-8 byte order mark at the start, which is skipped; empty lines,
/// which are skipped but still counted. Anything else is a ``CSVError`` naming the line (and field): a quote inside
/// an unquoted field, text after a closing quote, a carriage return alone, invalid UTF-8, a NUL byte (binary data),
/// UTF-16 text, an unterminated quote.
///
/// After the first error the reader stays failed: every later call throws that error again.
public struct CSVReader: Sendable {
    public static let defaultMaxRecordBytes = 1 << 20

    /// Raw bytes a record may take, quotes and delimiters included, its line end not.
    public let maxRecordBytes: Int
    public let delimiter: UInt8

    enum State: Sendable {
        /// Nothing of the current line read yet: an empty line can still be skipped.
        case lineStart
        case fieldStart
        case unquoted
        case quoted
        /// A quote inside a quoted field: either the first half of `""` or the closing quote.
        case quoteInQuoted
        /// A carriage return outside quotes: only a line feed may follow.
        case carriageReturn
    }

    var state = State.lineStart
    /// Unescaped bytes of the current record's fields, back to back; `fieldEnds` cuts them apart.
    private var content: [UInt8] = []
    private var fieldEnds: [Int] = []
    /// Raw bytes of the current record so far, checked against `maxRecordBytes`.
    private var recordBytes = 0
    private var recordStarted = false
    var line = 1
    private var recordLine = 1
    /// The first bytes of input, held until it is clear whether they are a byte order mark; nil once settled.
    private var head: [UInt8]? = []
    private var failure: CSVError?
    var output: [CSVRecord] = []
    /// Fields in the last record: the next one likely has as many.
    var expectedFieldCount = 0

    /// - Parameter delimiter: the field separator; `,` unless the file says otherwise (`;` from spreadsheets in
    ///   many European locales, tab). It cannot be a quote, CR, LF or NUL.
    public init(maxRecordBytes: Int = CSVReader.defaultMaxRecordBytes, delimiter: UInt8 = UInt8(ascii: ",")) {
        precondition(maxRecordBytes > 0, "maxRecordBytes must be positive")
        precondition(
            ![Byte.quote, Byte.cr, Byte.lf, 0].contains(delimiter),
            "the delimiter cannot be a quote, CR, LF or NUL"
        )
        self.maxRecordBytes = maxRecordBytes
        self.delimiter = delimiter
    }

    /// Reads more input and returns the records it completed (none, if it ended mid-record).
    public mutating func feed(_ bytes: some Collection<UInt8>) throws(CSVError) -> [CSVRecord] {
        let result = bytes.withContiguousStorageIfAvailable { buffer in
            Result { () throws(CSVError) in try self.feed(buffer: buffer) }
        }
        switch result {
        case .success?:
            break
        case .failure(let error)?:
            throw error
        case nil:
            try Array(bytes).withUnsafeBufferPointer { buffer throws(CSVError) in try feed(buffer: buffer) }
        }
        return takeOutput()
    }

    /// Ends the input: returns the last record when it had no line end, and throws if a quoted field is still open.
    public mutating func finish() throws(CSVError) -> [CSVRecord] {
        if let failure { throw failure }
        do throws(CSVError) {
            if head != nil { try settleHead() }
            switch state {
            case .lineStart:
                break
            case .fieldStart, .unquoted, .quoteInQuoted:
                try endRecord()
            case .carriageReturn:
                if recordStarted { try endRecord() }
            case .quoted:
                let fieldStart = fieldEnds.last ?? 0
                throw CSVError.unterminatedQuote(line: recordLine + lineFeeds(before: fieldStart), column: column)
            }
            state = .lineStart
        } catch {
            failure = error
            throw error
        }
        return takeOutput()
    }

    /// For callers that already hold contiguous bytes, such as ``CSVFile``; completed records wait in `output`.
    mutating func feed(buffer: UnsafeBufferPointer<UInt8>) throws(CSVError) {
        if let failure { throw failure }
        do throws(CSVError) {
            var input = buffer
            if head != nil {
                let taken = min(3 - head!.count, input.count)
                head!.append(contentsOf: input[..<taken])
                input = UnsafeBufferPointer(rebasing: input[taken...])
                guard head!.count == 3 else { return }
                try settleHead()
            }
            try consume(input)
        } catch {
            failure = error
            throw error
        }
    }

    mutating func takeOutput() -> [CSVRecord] {
        var records: [CSVRecord] = []
        swap(&records, &output)
        return records
    }

    // MARK: - Scanning

    /// 1-based number of the field being read.
    private var column: Int { fieldEnds.count + 1 }

    private mutating func settleHead() throws(CSVError) {
        let bytes = head ?? []
        head = nil
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            throw .utf16(line: 1)
        }
        try bytes.withUnsafeBufferPointer { buffer throws(CSVError) in try consume(buffer) }
    }

    private mutating func consume(_ input: UnsafeBufferPointer<UInt8>) throws(CSVError) {
        guard let base = input.baseAddress else { return }
        let end = input.count
        let delimiter = self.delimiter
        var i = 0
        while i < end {
            switch state {
            case .lineStart:
                let byte = base[i]
                if byte == Byte.lf {
                    line += 1
                    i += 1
                } else if byte == Byte.cr {
                    state = .carriageReturn
                    i += 1
                } else if let next = readPlainRecord(base, from: i, to: end) {
                    i = next
                } else {
                    recordStarted = true
                    recordLine = line
                    state = .fieldStart
                }

            case .fieldStart:
                if base[i] == Byte.quote {
                    try count(1)
                    state = .quoted
                    i += 1
                } else {
                    state = .unquoted
                }

            case .unquoted:
                // Scanning stops one byte past the limit, so an endless line is refused without reading it all.
                let j = Self.scanUnquoted(base, from: i, to: scanLimit(from: i, to: end), delimiter: delimiter)
                if j > i { try append(UnsafeBufferPointer(start: base + i, count: j - i)) }
                if j == end { return }
                i = j + 1
                let byte = base[j]
                if byte == delimiter {
                    try count(1)
                    fieldEnds.append(content.count)
                    state = .fieldStart
                } else if byte == Byte.lf {
                    try endRecord()
                    line += 1
                    state = .lineStart
                } else if byte == Byte.cr {
                    state = .carriageReturn
                } else if byte == Byte.quote {
                    throw .quoteInUnquotedField(line: line, column: column)
                } else {
                    throw .nulByte(line: line, column: column)
                }

            case .quoted:
                let (j, lineFeeds) = Self.scanQuoted(base, from: i, to: scanLimit(from: i, to: end))
                line += lineFeeds
                if j > i { try append(UnsafeBufferPointer(start: base + i, count: j - i)) }
                if j == end { return }
                i = j + 1
                if base[j] == 0 { throw .nulByte(line: line, column: column) }
                try count(1)
                state = .quoteInQuoted

            case .quoteInQuoted:
                let byte = base[i]
                i += 1
                if byte == Byte.quote {
                    try count(1)
                    content.append(Byte.quote)
                    state = .quoted
                } else if byte == delimiter {
                    try count(1)
                    fieldEnds.append(content.count)
                    state = .fieldStart
                } else if byte == Byte.lf {
                    try endRecord()
                    line += 1
                    state = .lineStart
                } else if byte == Byte.cr {
                    state = .carriageReturn
                } else if byte == 0 {
                    throw .nulByte(line: line, column: column)
                } else {
                    throw .characterAfterClosingQuote(line: line, column: column)
                }

            case .carriageReturn:
                guard base[i] == Byte.lf else {
                    throw .bareCarriageReturn(line: line, column: recordStarted ? column : 1)
                }
                i += 1
                if recordStarted { try endRecord() }
                line += 1
                state = .lineStart
            }
        }
    }

    /// Where a scan from `start` must stop: the end of the input, or one byte past what the record may still take.
    private func scanLimit(from start: Int, to end: Int) -> Int {
        let room = maxRecordBytes - recordBytes
        return room < end - start ? start + room + 1 : end
    }

    private mutating func count(_ bytes: Int) throws(CSVError) {
        recordBytes += bytes
        if recordBytes > maxRecordBytes { throw .recordTooLong(line: recordLine, limit: maxRecordBytes) }
    }

    private mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) throws(CSVError) {
        try count(bytes.count)
        content.append(contentsOf: bytes)
    }

    private mutating func endRecord() throws(CSVError) {
        fieldEnds.append(content.count)
        var fields: [String] = []
        fields.reserveCapacity(fieldEnds.count)
        let invalid: (field: Int, offset: Int)? = content.withUnsafeBufferPointer { bytes in
            var start = 0
            for (index, end) in fieldEnds.enumerated() {
                let field = UnsafeBufferPointer(rebasing: bytes[start..<end])
                // Validated here rather than by String(validating:), which is generic over the encoding and several
                // times slower; once valid, String(decoding:) has nothing to repair.
                if let offset = Self.firstInvalidUTF8Offset(field) { return (index, start + offset) }
                fields.append(String(decoding: field, as: UTF8.self))
                start = end
            }
            return nil
        }
        if let invalid {
            throw .invalidUTF8(line: recordLine + lineFeeds(before: invalid.offset), column: invalid.field + 1)
        }
        output.append(CSVRecord(line: recordLine, fields: fields))
        content.removeAll(keepingCapacity: true)
        fieldEnds.removeAll(keepingCapacity: true)
        recordBytes = 0
        recordStarted = false
    }

    /// Line feeds in the record's content before `offset`: every one of them sat inside a quoted field, so they
    /// turn an offset back into a physical line.
    private func lineFeeds(before offset: Int) -> Int {
        content[..<offset].reduce(0) { $1 == Byte.lf ? $0 + 1 : $0 }
    }
}
