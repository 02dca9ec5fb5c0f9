import Foundation

/// Reads CSV files from disk through ``CSVReader``, 64 KiB at a time.
public enum CSVFile {
    static let chunkSize = 64 << 10

    /// Calls `body` with each record of the file at `path`, in order; memory stays constant whatever the file size.
    ///
    /// Throws ``CSVFileError`` when the file cannot be read, ``CSVError`` for malformed content, and whatever `body`
    /// throws, which stops the reading.
    public static func forEachRecord(
        at path: String,
        maxRecordBytes: Int = CSVReader.defaultMaxRecordBytes,
        _ body: (CSVRecord) throws -> Void
    ) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw CSVFileError.noSuchFile(path)
        }
        guard !isDirectory.boolValue else { throw CSVFileError.isADirectory(path) }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CSVFileError.cannotBeOpened(path)
        }
        defer { try? handle.close() }
        try forEachRecord(in: handle, path: path, maxRecordBytes: maxRecordBytes, body)
    }

    /// Same as ``forEachRecord(at:maxRecordBytes:_:)`` for an open handle, such as standard input.
    public static func forEachRecord(
        in handle: FileHandle,
        maxRecordBytes: Int = CSVReader.defaultMaxRecordBytes,
        _ body: (CSVRecord) throws -> Void
    ) throws {
        try forEachRecord(in: handle, path: "standard input", maxRecordBytes: maxRecordBytes, body)
    }

    private static func forEachRecord(
        in handle: FileHandle,
        path: String,
        maxRecordBytes: Int,
        _ body: (CSVRecord) throws -> Void
    ) throws {
        var reader = CSVReader(maxRecordBytes: maxRecordBytes)
        while true {
            let chunk: Data
            do {
                chunk = try handle.read(upToCount: chunkSize) ?? Data()
            } catch {
                throw CSVFileError.readFailed(path, detail: error.localizedDescription)
            }
            if chunk.isEmpty { break }
            try chunk.withUnsafeBytes { (raw: UnsafeRawBufferPointer) throws in
                try reader.feed(buffer: raw.assumingMemoryBound(to: UInt8.self))
            }
            for record in reader.takeOutput() { try body(record) }
        }
        for record in try reader.finish() { try body(record) }
    }
}
