import NIOCore

/// The bytes the client writes: commands and message data.
enum SMTPWireFormat {
    /// Whether an envelope address can go into `MAIL FROM:<…>` or `RCPT TO:<…>` as it is: printable ASCII without
    /// space, angle brackets or controls (CR/LF would start a new command: SMTP command injection), at most 254
    /// octets. An empty sender is the null reverse-path `<>`.
    static func isSafeEnvelopeAddress(_ address: String, allowEmpty: Bool) -> Bool {
        if address.isEmpty { return allowEmpty }
        return address.utf8.count <= 254
            && address.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "<") && $0 != UInt8(ascii: ">") }
    }

    static func writeEnvelope(_ mail: RenderedMail, to buffer: inout ByteBuffer) {
        buffer.writeStaticString("MAIL FROM:<")
        buffer.writeString(mail.envelopeSender)
        buffer.writeStaticString(">\r\nRCPT TO:<")
        buffer.writeString(mail.recipient)
        buffer.writeStaticString(">\r\nDATA\r\n")
    }

    /// Appends `bytes` as DATA content in one pass: a dot is doubled at the start of every line (RFC 5321
    /// §4.5.2), a bare CR or LF becomes CRLF (so no server can read a line end where another would not: "SMTP
    /// smuggling"), the content ends with CRLF, then the terminating ".\r\n".
    static func writeData(_ bytes: [UInt8], to buffer: inout ByteBuffer) {
        let cr = UInt8(ascii: "\r")
        let lf = UInt8(ascii: "\n")
        let dot = UInt8(ascii: ".")
        buffer.reserveCapacity(minimumWritableBytes: bytes.count + bytes.count / 32 + 8)
        bytes.withUnsafeBufferPointer { input in
            let count = input.count
            var chunkStart = 0
            var index = 0
            var atLineStart = true
            @inline(__always) func flush(_ end: Int) {
                if end > chunkStart { buffer.writeBytes(UnsafeBufferPointer(rebasing: input[chunkStart..<end])) }
            }
            while index < count {
                let byte = input[index]
                if atLineStart {
                    atLineStart = false
                    if byte == dot {
                        flush(index)
                        buffer.writeInteger(dot)
                        chunkStart = index
                    }
                }
                if byte == cr {
                    if index + 1 < count, input[index + 1] == lf {
                        index += 2
                        atLineStart = true
                        continue
                    }
                    flush(index)
                    buffer.writeStaticString("\r\n")
                    chunkStart = index + 1
                    atLineStart = true
                } else if byte == lf {
                    flush(index)
                    buffer.writeStaticString("\r\n")
                    chunkStart = index + 1
                    atLineStart = true
                }
                index += 1
            }
            flush(count)
        }
        if !bytes.isEmpty,
            !(bytes.count >= 2 && bytes[bytes.count - 2] == cr && bytes[bytes.count - 1] == lf)
                && bytes[bytes.count - 1] != cr && bytes[bytes.count - 1] != lf
        {
            buffer.writeStaticString("\r\n")
        }
        buffer.writeStaticString(".\r\n")
    }
}
