/// Splits a stream of bytes into messages: an mbox (the file starts with a `From ` line; each message starts at a
/// `From ` line that is the first of the file or follows an empty line) or else one message (.eml). Lines come out
/// LF-terminated without CR, and in an mbox `>From `, `>>From `, ... lose one `>` (the mboxrd unquoting, which
/// also undoes the older mboxo quoting of `From `).
///
/// Memory stays bounded whatever the input: a message over `maxMessageBytes` is dropped as it is read and comes out
/// empty and marked `tooLarge`, a single over-long line included.
struct MboxSplitter {
    struct Message {
        var bytes: [UInt8]
        /// 1 for the first message.
        var index: Int
        /// The line the message starts on, from 1: its `From ` line in an mbox.
        var line: Int
        var tooLarge: Bool
    }

    enum Format { case mbox, single }

    let maxMessageBytes: Int
    private(set) var format: Format?
    private var output: [Message] = []

    private var pendingLine: [UInt8] = []
    private var pendingLineTooLong = false
    private var lineNumber = 0

    private var current: Message?
    private var previousLineEmpty = true
    private var count = 0

    init(maxMessageBytes: Int) {
        self.maxMessageBytes = maxMessageBytes
    }

    mutating func feed(_ buffer: UnsafeBufferPointer<UInt8>) {
        var start = 0
        while start < buffer.count {
            var end = start
            while end < buffer.count, buffer[end] != 0x0A { end += 1 }
            append(toPendingLine: UnsafeBufferPointer(rebasing: buffer[start..<end]))
            if end == buffer.count { break }
            lineEnded()
            start = end + 1
        }
    }

    mutating func feed(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { feed($0) }
    }

    /// The end of the input: the last line (without a line break) and the last message come out.
    mutating func finish() {
        if !pendingLine.isEmpty || pendingLineTooLong { lineEnded() }
        endMessage()
    }

    /// The messages completed so far, each handed out once.
    mutating func takeOutput() -> [Message] {
        defer { output.removeAll() }
        return output
    }

    private mutating func append(toPendingLine bytes: UnsafeBufferPointer<UInt8>) {
        guard !pendingLineTooLong else { return }
        if pendingLine.count + bytes.count > maxMessageBytes {
            // Only the start matters now (is it a "From " line?); the rest of the line is dropped.
            pendingLine += bytes.prefix(max(0, 16 - pendingLine.count))
            pendingLineTooLong = true
        } else {
            pendingLine += bytes
        }
    }

    private mutating func lineEnded() {
        lineNumber += 1
        var line = pendingLine[...]
        if line.last == 0x0D { line = line.dropLast() }
        let tooLong = pendingLineTooLong
        defer {
            pendingLine.removeAll(keepingCapacity: pendingLine.capacity <= 1 << 16)
            pendingLineTooLong = false
        }

        let isFromLine = line.starts(with: Self.fromPrefix)
        if format == nil {
            // Empty lines before the first message are skipped.
            if line.isEmpty, !tooLong { return }
            format = isFromLine ? .mbox : .single
        }
        switch format {
        case .mbox where isFromLine && (previousLineEmpty || current == nil):
            endMessage()
            startMessage()
            previousLineEmpty = false
            return
        case .mbox:
            if current == nil { startMessage() }
            // mboxrd: ">From " and ">>From " lose one ">" (a body line "From " was quoted when it was stored).
            var quoted = line.drop { $0 == UInt8(ascii: ">") }
            if quoted.startIndex > line.startIndex, quoted.starts(with: Self.fromPrefix) {
                quoted = line.dropFirst()
                appendLine(quoted, tooLong: tooLong)
            } else {
                appendLine(line, tooLong: tooLong)
            }
        default:
            if current == nil { startMessage() }
            appendLine(line, tooLong: tooLong)
        }
        previousLineEmpty = line.isEmpty && !tooLong
    }

    private mutating func startMessage() {
        count += 1
        current = Message(bytes: [], index: count, line: lineNumber, tooLarge: false)
    }

    private mutating func appendLine(_ line: ArraySlice<UInt8>, tooLong: Bool) {
        guard var message = current, !message.tooLarge else { return }
        current = nil  // keeps `message.bytes` uniquely referenced while it grows
        if tooLong || message.bytes.count + line.count + 1 > maxMessageBytes {
            message.tooLarge = true
            message.bytes = []
        } else {
            message.bytes += line
            message.bytes.append(0x0A)
        }
        current = message
    }

    private mutating func endMessage() {
        guard var message = current else { return }
        current = nil
        // The empty line before the next "From " line is the separator's, not the message's.
        while message.bytes.count >= 2, message.bytes[message.bytes.count - 1] == 0x0A,
            message.bytes[message.bytes.count - 2] == 0x0A
        {
            message.bytes.removeLast()
        }
        output.append(message)
    }

    static let fromPrefix = Array("From ".utf8)
}
