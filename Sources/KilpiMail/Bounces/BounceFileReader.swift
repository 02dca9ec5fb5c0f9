import Foundation
import KilpiCore

/// Reads bounce files for `kilpi notices bounces FILE...`: an mbox of returned mail (`From `-separated, mboxrd or
/// mboxo) or one message (.eml), with CRLF or LF line ends. Every message yields at least one ``BounceRecord``
/// (one per recipient of a delivery status notification), in file order, so a message that is not a bounce or
/// names no notice is reported by its index and line instead of being skipped silently.
///
/// The file is streamed (64 KiB at a time) and each message is read on its own, at most `maxMessageBytes`; a larger
/// one is reported `unreadable` and skipped, so memory stays bounded whatever the file's size.
public enum BounceFileReader {
    public static let defaultMaxMessageBytes = 10 << 20
    static let chunkSize = 64 << 10

    /// Every record of the file at `path`. `bounceDomain` is the domain of our VERP bounce addresses
    /// (`bounces+<id>@bounceDomain`).
    public static func read(
        path: String,
        bounceDomain: String,
        maxMessageBytes: Int = defaultMaxMessageBytes
    ) throws(BounceFileError) -> [BounceRecord] {
        var records: [BounceRecord] = []
        try forEachRecord(path: path, bounceDomain: bounceDomain, maxMessageBytes: maxMessageBytes) {
            records.append($0)
        }
        return records
    }

    /// Every record of `bytes` (a whole mbox or one message).
    public static func read(
        bytes: [UInt8],
        bounceDomain: String,
        maxMessageBytes: Int = defaultMaxMessageBytes
    ) -> [BounceRecord] {
        let reader = BounceMessageReader(bounceDomain: bounceDomain)
        var splitter = MboxSplitter(maxMessageBytes: maxMessageBytes)
        splitter.feed(bytes)
        splitter.finish()
        return splitter.takeOutput().flatMap { records(of: $0, reader: reader, maxMessageBytes: maxMessageBytes) }
    }

    /// Calls `body` with each record of the file at `path` as soon as its message has been read: memory stays
    /// bounded by one message whatever the file's size.
    public static func forEachRecord(
        path: String,
        bounceDomain: String,
        maxMessageBytes: Int = defaultMaxMessageBytes,
        _ body: (BounceRecord) -> Void
    ) throws(BounceFileError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .noSuchFile(path)
        }
        guard !isDirectory.boolValue else { throw .isADirectory(path) }
        guard let handle = FileHandle(forReadingAtPath: path) else { throw .cannotBeOpened(path) }
        defer { try? handle.close() }

        let reader = BounceMessageReader(bounceDomain: bounceDomain)
        var splitter = MboxSplitter(maxMessageBytes: maxMessageBytes)
        while true {
            let chunk: Data
            do {
                chunk = try handle.read(upToCount: chunkSize) ?? Data()
            } catch {
                throw .readFailed(path, detail: error.localizedDescription)
            }
            if chunk.isEmpty { break }
            chunk.withUnsafeBytes { raw in splitter.feed(raw.assumingMemoryBound(to: UInt8.self)) }
            for message in splitter.takeOutput() {
                records(of: message, reader: reader, maxMessageBytes: maxMessageBytes).forEach(body)
            }
        }
        splitter.finish()
        for message in splitter.takeOutput() {
            records(of: message, reader: reader, maxMessageBytes: maxMessageBytes).forEach(body)
        }
    }

    /// The records of one message (its bytes as they are in the file, CRLF or LF), numbered `index` and
    /// starting on `line`.
    public static func records(
        ofMessage bytes: [UInt8],
        bounceDomain: String,
        index: Int = 1,
        line: Int = 1
    ) -> [BounceRecord] {
        var normalised: [UInt8] = []
        normalised.reserveCapacity(bytes.count)
        for (offset, byte) in bytes.enumerated()
        where !(byte == 0x0D && offset + 1 < bytes.count && bytes[offset + 1] == 0x0A) {
            normalised.append(byte)
        }
        return BounceMessageReader(bounceDomain: bounceDomain).records(normalised[...], index: index, line: line)
    }

    static func records(
        of message: MboxSplitter.Message,
        reader: BounceMessageReader,
        maxMessageBytes: Int
    ) -> [BounceRecord] {
        guard !message.tooLarge else {
            let mebibytes = Double(maxMessageBytes) / Double(1 << 20)
            let text = mebibytes >= 1 ? String(format: "%g", mebibytes) : String(format: "%.3g", mebibytes)
            return [
                BounceRecord(
                    kind: .unreadable,
                    outboxID: nil,
                    status: "",
                    diagnostic: "",
                    action: nil,
                    finalRecipient: nil,
                    messageIndex: message.index,
                    line: message.line,
                    explanation: BounceRecord.tooLarge(text)
                )
            ]
        }
        return reader.records(message.bytes[...], index: message.index, line: message.line)
    }
}
