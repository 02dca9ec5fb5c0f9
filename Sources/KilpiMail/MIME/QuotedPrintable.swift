/// Quoted-printable body encoding (RFC 2045 §6.7) of UTF-8 text, with CRLF line ends.
///
/// Beyond the RFC's rules it also encodes a line-initial "." and "From " (as `=2E`, `=46rom `): mbox tools turn
/// "From " into ">From " and broken relays eat a lone ".", and an encoded byte survives both. The SMTP layer still
/// dot-stuffs (RFC 5321 §4.5.2): this is defence in depth, not a replacement.
public enum QuotedPrintable {
    /// Encoded lines are at most this long, the "=" of a soft line break included (RFC 2045 rule 5).
    static let maximumLineLength = 76

    /// Encodes `text`; any line end (CRLF, LF or a lone CR) becomes a hard CRLF. The result ends without a line
    /// break unless the text did.
    public static func encode(_ text: String) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count + text.utf8.count / 8)
        var line: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        var pending = iterator.next()
        while let byte = pending {
            pending = iterator.next()
            if byte == 0x0D || byte == 0x0A {
                if byte == 0x0D, pending == 0x0A { pending = iterator.next() }
                encodeLine(line, into: &output)
                output.append(contentsOf: [0x0D, 0x0A])
                line.removeAll(keepingCapacity: true)
            } else {
                line.append(byte)
            }
        }
        encodeLine(line, into: &output)
        return output
    }

    /// One hard line, with soft line breaks where it is longer than 76 characters.
    static func encodeLine(_ line: [UInt8], into output: inout [UInt8]) {
        var column = 0
        for index in line.indices {
            let byte = line[index]
            let isLast = index == line.index(before: line.endIndex)
            let literal = isLiteral(byte, isLast: isLast, atLineStart: column == 0, rest: line[(index + 1)...])
            let width = literal ? 1 : 3
            // The last character of the line may use the column a soft break's "=" would need.
            let room = isLast ? maximumLineLength : maximumLineLength - 1
            if column + width > room {
                output.append(contentsOf: [UInt8(ascii: "="), 0x0D, 0x0A])
                column = 0
                // A new physical line: the start-of-line rules apply again to this byte.
                let literalHere = isLiteral(byte, isLast: isLast, atLineStart: true, rest: line[(index + 1)...])
                column += append(byte, literal: literalHere, into: &output)
            } else {
                column += append(byte, literal: literal, into: &output)
            }
        }
    }

    static func append(_ byte: UInt8, literal: Bool, into output: inout [UInt8]) -> Int {
        if literal {
            output.append(byte)
            return 1
        }
        output.append(UInt8(ascii: "="))
        output.append(hexDigits[Int(byte >> 4)])
        output.append(hexDigits[Int(byte & 0x0F)])
        return 3
    }

    static func isLiteral(_ byte: UInt8, isLast: Bool, atLineStart: Bool, rest: ArraySlice<UInt8>) -> Bool {
        switch byte {
        // Space and tab are literal except at the end of a line, where transports may strip them (rule 3).
        case 0x20, 0x09: return !isLast
        case UInt8(ascii: "="): return false
        case UInt8(ascii: "."): return !atLineStart
        case UInt8(ascii: "F"): return !(atLineStart && rest.starts(with: "rom ".utf8))
        case 33...126: return true
        default: return false
        }
    }

    static let hexDigits = Array("0123456789ABCDEF".utf8)
}
