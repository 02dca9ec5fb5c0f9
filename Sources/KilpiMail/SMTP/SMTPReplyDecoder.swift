import NIOCore

/// A reply as the decoder hands it on, with whether more bytes were already waiting behind it (after a STARTTLS
/// reply, any such byte is plain text injected before the handshake, see RFC 3207 §5 and CVE-2011-0411).
struct SMTPReplyFrame {
    let reply: SMTPReply
    let moreBuffered: Bool
}

/// Reads replies (RFC 5321 §4.2: `code-text` lines, then `code text`) with hard bounds, so a hostile or broken
/// server cannot make the client buffer without limit: a line is at most `maximumLineLength` bytes and a reply at
/// most `maximumReplyBytes`. Control characters in the text become spaces; the text is decoded as UTF-8 with
/// invalid bytes replaced.
struct SMTPReplyDecoder: ByteToMessageDecoder {
    typealias InboundOut = SMTPReplyFrame

    /// RFC 5321 §4.5.3.1.5 allows 512 octets; generous, still bounded.
    static let maximumLineLength = 2048
    static let maximumReplyBytes = 64 * 1024

    private var code: Int?
    private var lines: [String] = []
    private var replyBytes = 0

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        let view = buffer.readableBytesView
        guard let newline = view.firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.readableBytes > Self.maximumLineLength { throw SMTPDecodingError("a reply line is too long") }
            return .needMoreData
        }
        let lineLength = view.distance(from: view.startIndex, to: newline)
        guard lineLength < Self.maximumLineLength else { throw SMTPDecodingError("a reply line is too long") }
        replyBytes += lineLength + 1
        guard replyBytes <= Self.maximumReplyBytes else { throw SMTPDecodingError("a reply is too long") }
        var line = buffer.readSlice(length: lineLength + 1)!
        var length = lineLength
        if length > 0, line.getInteger(at: line.readerIndex + length - 1, as: UInt8.self) == UInt8(ascii: "\r") {
            length -= 1
        }
        guard length >= 3, let bytes = line.readBytes(length: length) else {
            throw SMTPDecodingError("a reply line without a code")
        }
        guard bytes[0...2].allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
            (UInt8(ascii: "1")...UInt8(ascii: "5")).contains(bytes[0])
        else { throw SMTPDecodingError("a reply line without a code") }
        let lineCode = Int(bytes[0] - 48) * 100 + Int(bytes[1] - 48) * 10 + Int(bytes[2] - 48)
        if let code, code != lineCode { throw SMTPDecodingError("a multi-line reply changes its code") }
        code = lineCode
        let isLast: Bool
        if length == 3 {
            isLast = true
        } else if bytes[3] == UInt8(ascii: " ") {
            isLast = true
        } else if bytes[3] == UInt8(ascii: "-") {
            isLast = false
        } else {
            throw SMTPDecodingError("a reply line without a separator after its code")
        }
        lines.append(Self.text(bytes.dropFirst(4)))
        guard isLast else { return .continue }
        let reply = SMTPReply(code: lineCode, lines: lines)
        code = nil
        lines = []
        replyBytes = 0
        context.fireChannelRead(wrapInboundOut(SMTPReplyFrame(reply: reply, moreBuffered: buffer.readableBytes > 0)))
        return .continue
    }

    mutating func decodeLast(
        context: ChannelHandlerContext,
        buffer: inout ByteBuffer,
        seenEOF: Bool
    ) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        // A partial reply at the end of the stream is dropped: the handler reports the lost connection.
        return .needMoreData
    }

    private static func text(_ bytes: ArraySlice<UInt8>) -> String {
        guard bytes.contains(where: { $0 < 0x20 || $0 == 0x7F }) else { return String(decoding: bytes, as: UTF8.self) }
        return String(decoding: bytes.map { $0 < 0x20 || $0 == 0x7F ? UInt8(ascii: " ") : $0 }, as: UTF8.self)
    }
}

struct SMTPDecodingError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
