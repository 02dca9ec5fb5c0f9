// Byte-level scanning, where the reader spends its time.
//
// Most records sit whole inside one input chunk and are well formed. Those are read straight from the input, eight
// bytes at a time, and their fields become strings without first being copied. Everything else (a record cut by the
// chunk's end, anything malformed) goes to the state machine, which also words the errors; so the fast path never
// has to be right about an error, only about when to give up.

extension CSVReader {
    enum Byte {
        static let quote = UInt8(ascii: "\"")
        static let cr = UInt8(ascii: "\r")
        static let lf = UInt8(ascii: "\n")
    }

    /// Reads the plain record that starts at `start`, the beginning of a line, and returns where the next line
    /// starts; nil, having changed nothing, when the state machine must read it instead.
    mutating func readPlainRecord(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Int? {
        // A record one byte over the limit is enough to know it is too long.
        let limit = maxRecordBytes < end - start ? start + maxRecordBytes + 1 : end
        var fields: [String] = []
        fields.reserveCapacity(expectedFieldCount)
        var lineFeeds = 0
        var i = start
        while true {
            if i < limit, base[i] == Byte.quote {
                // Unescaped bytes gather in `unescaped` only once a `""` turns up.
                var unescaped: [UInt8] = []
                var segmentStart = i + 1
                while true {
                    let (quote, feeds) = Self.scanQuoted(base, from: segmentStart, to: limit)
                    guard quote + 1 < limit, base[quote] == Byte.quote else { return nil }
                    lineFeeds += feeds
                    if base[quote + 1] != Byte.quote {
                        let tail = UnsafeBufferPointer(start: base + segmentStart, count: quote - segmentStart)
                        if unescaped.isEmpty {
                            fields.append(String(decoding: tail, as: UTF8.self))
                        } else {
                            unescaped.append(contentsOf: tail)
                            fields.append(String(decoding: unescaped, as: UTF8.self))
                        }
                        i = quote + 1
                        break
                    }
                    // Keeps one quote of the pair.
                    unescaped.append(
                        contentsOf: UnsafeBufferPointer(start: base + segmentStart, count: quote + 1 - segmentStart)
                    )
                    segmentStart = quote + 2
                }
            } else {
                let stop = Self.scanUnquoted(base, from: i, to: limit, delimiter: delimiter)
                guard stop < limit else { return nil }
                fields.append(String(decoding: UnsafeBufferPointer(start: base + i, count: stop - i), as: UTF8.self))
                i = stop
            }

            let byte = base[i]
            if byte == delimiter {
                i += 1
            } else if byte == Byte.lf {
                i += 1
                break
            } else if byte == Byte.cr, i + 1 < end, base[i + 1] == Byte.lf {
                i += 2
                break
            } else {
                return nil
            }
        }
        // One check for the whole record: every field is bounded by ASCII (delimiters, quotes, line ends), which
        // cannot sit inside a multi-byte sequence, so a valid record has valid fields and String(decoding:) above
        // repaired nothing.
        guard Self.firstInvalidUTF8Offset(UnsafeBufferPointer(start: base + start, count: i - start)) == nil else {
            return nil
        }
        output.append(CSVRecord(line: line, fields: fields))
        expectedFieldCount = fields.count
        line += 1 + lineFeeds
        return i
    }

    /// First index in `start..<end` holding the delimiter, CR, LF, a quote or NUL; `end` when there is none.
    static func scanUnquoted(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int, delimiter: UInt8) -> Int {
        let delimiters = UInt64(delimiter) &* onesInEveryByte
        var i = start
        while i &+ 8 <= end {
            let word = loadWord(base + i)
            let hits =
                zeroBytes(word ^ delimiters) | zeroBytes(word ^ lineFeedBytes)
                | zeroBytes(word ^ carriageReturnBytes) | zeroBytes(word ^ quoteBytes) | zeroBytes(word)
            if hits != 0 { return i &+ hits.trailingZeroBitCount &>> 3 }
            i &+= 8
        }
        while i < end {
            let byte = base[i]
            if byte == delimiter || byte == Byte.lf || byte == Byte.cr || byte == Byte.quote || byte == 0 { return i }
            i &+= 1
        }
        return end
    }

    /// First index in `start..<end` holding a quote or NUL (`end` when there is none), and the line feeds before it.
    static func scanQuoted(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> (index: Int, lineFeeds: Int) {
        var i = start
        var count = 0
        while i &+ 8 <= end {
            let word = loadWord(base + i)
            let hits = zeroBytes(word ^ quoteBytes) | zeroBytes(word)
            let feeds = zeroBytes(word ^ lineFeedBytes)
            if hits != 0 {
                let bit = hits.trailingZeroBitCount
                count &+= (feeds & ((1 &<< UInt64(bit)) &- 1)).nonzeroBitCount
                return (i &+ bit &>> 3, count)
            }
            count &+= feeds.nonzeroBitCount
            i &+= 8
        }
        while i < end {
            let byte = base[i]
            if byte == Byte.quote || byte == 0 { return (i, count) }
            if byte == Byte.lf { count &+= 1 }
            i &+= 1
        }
        return (end, count)
    }

    // Each byte of the word set to the same value, for comparing eight bytes at once.
    private static var onesInEveryByte: UInt64 { 0x0101_0101_0101_0101 }
    private static var lineFeedBytes: UInt64 { 0x0A0A_0A0A_0A0A_0A0A }
    private static var carriageReturnBytes: UInt64 { 0x0D0D_0D0D_0D0D_0D0D }
    private static var quoteBytes: UInt64 { 0x2222_2222_2222_2222 }

    /// Eight bytes, the first in the lowest bits whatever the machine's byte order.
    @inline(__always)
    private static func loadWord(_ pointer: UnsafePointer<UInt8>) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(pointer).loadUnaligned(as: UInt64.self))
    }

    /// 0x80 in every byte of `word` that is zero, 0 in the others; exact, with no false hits from borrows.
    @inline(__always)
    private static func zeroBytes(_ word: UInt64) -> UInt64 {
        let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        return ~(((word & low7) &+ low7) | word | low7)
    }

    /// Offset of the first byte that does not start a well-formed UTF-8 sequence (Unicode Table 3-7), nil if none:
    /// overlong forms, surrogates, code points past U+10FFFF and cut-off sequences all count as invalid.
    static func firstInvalidUTF8Offset(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let base = bytes.baseAddress else { return nil }
        let count = bytes.count
        var i = 0
        while i < count {
            // Most text is ASCII: skip it eight bytes at a time.
            while i + 8 <= count,
                UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0
            {
                i += 8
            }
            guard i < count else { return nil }
            let lead = base[i]
            if lead < 0x80 {
                i += 1
            } else if lead < 0xC2 {
                return i
            } else if lead < 0xE0 {
                guard i + 1 < count, base[i + 1] & 0xC0 == 0x80 else { return i }
                i += 2
            } else if lead < 0xF0 {
                guard i + 2 < count else { return i }
                let second = base[i + 1]
                let low: UInt8 = lead == 0xE0 ? 0xA0 : 0x80
                let high: UInt8 = lead == 0xED ? 0x9F : 0xBF
                guard second >= low, second <= high, base[i + 2] & 0xC0 == 0x80 else { return i }
                i += 3
            } else if lead < 0xF5 {
                guard i + 3 < count else { return i }
                let second = base[i + 1]
                let low: UInt8 = lead == 0xF0 ? 0x90 : 0x80
                let high: UInt8 = lead == 0xF4 ? 0x8F : 0xBF
                guard second >= low, second <= high, base[i + 2] & 0xC0 == 0x80, base[i + 3] & 0xC0 == 0x80 else {
                    return i
                }
                i += 4
            } else {
                return i
            }
        }
        return nil
    }
}
