import Foundation
import Hummingbird
import KilpiCore
import NIOCore

/// A `multipart/form-data` body (RFC 7578) for console uploads, read as it arrives: text fields are kept in memory
/// (small), file parts go straight to their own file in a private temporary directory (0700, files 0600), so a
/// 64 MB upload is never held in memory. ``remove()`` deletes the directory; `RouteRegistry.upload` calls it once
/// the handler is done, also when it throws. Anything malformed is refused with a clear message.
struct MultipartForm: Sendable {
    struct Part: Sendable {
        let name: String
        let filename: String?
        /// A text field's value (nil for a file part, or when it is not UTF-8).
        let text: String?
        /// Where a file part's bytes are (nil for a text field).
        let path: String?
        /// Its size in bytes.
        let size: Int
    }

    /// The body was larger than the route allows.
    struct TooLarge: Error {}

    /// Text fields are form values (ids, times, a note), not files: this bounds them all together.
    static let maximumTextBytes = 1 << 20

    let parts: [Part]
    /// The private directory holding the file parts.
    let directory: String

    subscript(_ name: String) -> Part? { parts.first { $0.name == name } }

    /// Every text value sent under `name` (checkbox groups send one part per ticked box).
    func values(_ name: String) -> [String] { parts.filter { $0.name == name }.compactMap(\.text) }

    /// Deletes the files of the upload.
    func remove() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    static func boundary(fromContentType contentType: String) -> String? {
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].lowercased() == "boundary" else { continue }
            let value = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            return (1...70).contains(value.count) ? value : nil
        }
        return nil
    }

    /// Reads `body` as it arrives into a new directory in `parent` (nil: the system's temporary directory). Throws
    /// ``TooLarge`` past `maximumBytes`, `FormError` for a malformed body; on any error the files written so far
    /// are deleted.
    static func receive<Body: AsyncSequence>(
        _ body: Body,
        boundary: String,
        maximumBytes: Int,
        in parent: String? = nil
    ) async throws -> MultipartForm where Body.Element == ByteBuffer {
        let collector = try Collector(in: parent)
        do {
            var scanner = MultipartScanner(boundary: boundary)
            var received = 0
            for try await buffer in body {
                received += buffer.readableBytes
                guard received <= maximumBytes else { throw TooLarge() }
                try buffer.withUnsafeReadableBytes { bytes in
                    try scanner.feed(bytes) { try collector.handle($0) }
                }
            }
            try scanner.finish()
            return MultipartForm(parts: collector.parts, directory: collector.directory)
        } catch {
            collector.abandon()
            throw error
        }
    }

    /// Parses a body already in memory (tests, small bodies); same rules as ``receive(_:boundary:maximumBytes:)``.
    static func parse(_ data: Data, boundary: String, in parent: String? = nil) throws -> MultipartForm {
        let collector = try Collector(in: parent)
        do {
            var scanner = MultipartScanner(boundary: boundary)
            try data.withUnsafeBytes { bytes in try scanner.feed(bytes) { try collector.handle($0) } }
            try scanner.finish()
            return MultipartForm(parts: collector.parts, directory: collector.directory)
        } catch {
            collector.abandon()
            throw error
        }
    }

    /// Turns scanner events into parts: text in memory, files on disk. Used by one request at a time.
    private final class Collector {
        let directory: String
        private(set) var parts: [Part] = []
        private var name = ""
        private var filename: String?
        private var text: [UInt8] = []
        private var textTotal = 0
        private var file: FileHandle?
        private var path: String?
        private var size = 0

        init(in parent: String?) throws {
            let parent = parent.map { URL(fileURLWithPath: $0) } ?? FileManager.default.temporaryDirectory
            let directory = parent.appendingPathComponent("kilpi-upload-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(
                atPath: directory,
                withIntermediateDirectories: false,
                attributes: [.posixPermissions: 0o700]
            )
            self.directory = directory
        }

        func handle(_ event: MultipartScanner.Event) throws {
            switch event {
            case .begin(let headers):
                var name: String?
                var filename: String?
                for line in headers.split(separator: "\r\n") where line.lowercased().hasPrefix("content-disposition:") {
                    name = MultipartForm.parameter("name", in: String(line))
                    filename = MultipartForm.parameter("filename", in: String(line))
                }
                guard let name else {
                    throw FormError(.l("a multipart part has no name", "multipart-osalta puuttuu nimi"))
                }
                self.name = name
                self.filename = filename
                text = []
                size = 0
                if filename != nil {
                    let path = "\(directory)/part-\(parts.count)"
                    guard
                        FileManager.default.createFile(
                            atPath: path,
                            contents: nil,
                            attributes: [.posixPermissions: 0o600]
                        ), let handle = FileHandle(forWritingAtPath: path)
                    else { throw UploadStorageError() }
                    self.path = path
                    file = handle
                } else {
                    path = nil
                    file = nil
                }
            case .data(let bytes):
                size += bytes.count
                if let file {
                    try file.write(contentsOf: Data(bytes))
                } else {
                    textTotal += bytes.count
                    guard textTotal <= MultipartForm.maximumTextBytes else {
                        throw FormError(
                            .l(
                                "\(name): the form's text fields are larger than 1 MB",
                                "\(name): lomakkeen tekstikentät ovat yli 1 Mt"
                            )
                        )
                    }
                    text.append(contentsOf: bytes)
                }
            case .end:
                if let file {
                    try file.close()
                    self.file = nil
                    parts.append(Part(name: name, filename: filename, text: nil, path: path, size: size))
                } else {
                    let value = String(validating: text, as: UTF8.self)
                    parts.append(Part(name: name, filename: filename, text: value, path: nil, size: size))
                }
            }
        }

        func abandon() {
            try? file?.close()
            file = nil
            try? FileManager.default.removeItem(atPath: directory)
        }
    }

    fileprivate static func parameter(_ key: String, in line: String) -> String? {
        for piece in line.split(separator: ";") {
            let pair = piece.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            if pair.count == 2, pair[0] == key {
                return pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
        }
        return nil
    }
}

/// The temporary directory could not take the upload (disk full, permissions): a server problem, not the user's.
struct UploadStorageError: Error {}

/// Finds the parts of a multipart body fed in pieces of any size: tells the start of each part (its headers), its
/// bytes in order, and its end. Keeps only what might still be the start of a delimiter between pieces.
struct MultipartScanner {
    enum Event {
        case begin(headers: String)
        case data(UnsafeRawBufferPointer)
        case end
    }

    private enum State { case preamble, afterDelimiter, headers, body, done }

    /// CRLF, `--` and the boundary: what ends a part.
    private let delimiter: [UInt8]
    /// Unscanned bytes. It starts with a CRLF of its own so that a body starting with the delimiter, as bodies
    /// do, needs no special case.
    private var buffer: [UInt8] = [13, 10]
    private var state = State.preamble
    /// A part's headers are a few lines; this stops a body that never ends its headers from growing the buffer.
    private static let maximumHeaderBytes = 16 << 10
    private static let maximumPreambleBytes = 64 << 10
    private var preamble = 0

    init(boundary: String) {
        delimiter = Array("\r\n--\(boundary)".utf8)
    }

    mutating func feed(_ bytes: UnsafeRawBufferPointer, _ emit: (Event) throws -> Void) throws {
        buffer.append(contentsOf: bytes)
        try scan(emit)
    }

    /// The body has ended: it must have ended with the closing delimiter.
    mutating func finish() throws {
        guard state == .done else {
            throw FormError(
                state == .preamble
                    ? .l("the upload is not multipart/form-data", "lähetys ei ole multipart/form-data-muotoinen")
                    : .l("the upload was cut off", "lähetys katkesi kesken")
            )
        }
    }

    private mutating func scan(_ emit: (Event) throws -> Void) throws {
        var start = 0
        defer { buffer.removeSubrange(0..<start) }
        while true {
            switch state {
            case .preamble:
                if let found = find(delimiter, from: start) {
                    start = found + delimiter.count
                    state = .afterDelimiter
                } else {
                    let keep = max(start, buffer.count - (delimiter.count - 1))
                    preamble += keep - start
                    start = keep
                    guard preamble <= Self.maximumPreambleBytes else {
                        throw FormError(
                            .l("the upload is not multipart/form-data", "lähetys ei ole multipart/form-data-muotoinen")
                        )
                    }
                    return
                }
            case .afterDelimiter:
                // "--" closes the body; CRLF starts the next part.
                guard buffer.count - start >= 2 else { return }
                if buffer[start] == UInt8(ascii: "-") && buffer[start + 1] == UInt8(ascii: "-") {
                    state = .done
                } else if buffer[start] == 13 && buffer[start + 1] == 10 {
                    start += 2
                    state = .headers
                } else {
                    throw FormError(.l("malformed multipart body", "virheellinen multipart-sisältö"))
                }
            case .headers:
                if buffer.count - start >= 2 && buffer[start] == 13 && buffer[start + 1] == 10 {
                    try emit(.begin(headers: ""))
                    start += 2
                    state = .body
                } else if let found = find([13, 10, 13, 10], from: start) {
                    try emit(.begin(headers: String(decoding: buffer[start..<found], as: UTF8.self)))
                    start = found + 4
                    state = .body
                } else {
                    guard buffer.count - start <= Self.maximumHeaderBytes else {
                        throw FormError(.l("malformed multipart part headers", "virheelliset multipart-osan otsakkeet"))
                    }
                    return
                }
            case .body:
                if let found = find(delimiter, from: start) {
                    try emitData(start..<found, emit)
                    try emit(.end)
                    start = found + delimiter.count
                    state = .afterDelimiter
                } else {
                    // The last bytes may be the start of a delimiter cut by the piece boundary: keep them.
                    let safe = buffer.count - (delimiter.count - 1)
                    if safe > start {
                        try emitData(start..<safe, emit)
                        start = safe
                    }
                    return
                }
            case .done:
                // The epilogue after the closing delimiter means nothing.
                start = buffer.count
                return
            }
        }
    }

    private func emitData(_ range: Range<Int>, _ emit: (Event) throws -> Void) throws {
        guard !range.isEmpty else { return }
        try buffer.withUnsafeBytes { bytes in
            try emit(.data(UnsafeRawBufferPointer(rebasing: bytes[range])))
        }
    }

    /// The index of the first `needle` in the buffer at or after `from`.
    private func find(_ needle: [UInt8], from: Int) -> Int? {
        guard let first = needle.first, buffer.count - from >= needle.count else { return nil }
        return buffer.withUnsafeBufferPointer { haystack -> Int? in
            var index = from
            let last = haystack.count - needle.count
            while index <= last {
                // memchr finds the candidate first byte quickly; then the rest is compared.
                let remaining = last - index + 1
                guard let hit = memchr(haystack.baseAddress! + index, Int32(first), remaining) else { return nil }
                let position = haystack.baseAddress!.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                var matches = true
                for offset in 1..<needle.count where haystack[position + offset] != needle[offset] {
                    matches = false
                    break
                }
                if matches { return position }
                index = position + 1
            }
            return nil
        }
    }
}
