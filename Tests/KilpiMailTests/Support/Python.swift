import Foundation
import KilpiTestSupport
import Testing

/// Runs Python's own mail tools on what Kilpi built. CI installs python3 and dkimpy (.ci/run); a machine without
/// them fails these tests with a message saying what is missing, because a skipped check proves nothing.
enum Python {
    /// Runs `python3 -c SCRIPT ARGS…`; fails the test (and throws) when python3 or a module it imports is missing.
    static func run(
        _ script: String,
        _ arguments: [String],
        sourceLocation: SourceLocation = #_sourceLocation
    )
        throws -> (status: Int32, output: String)
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do {
            try process.runOneAtATime()
        } catch {
            Issue.record("python3 could not be started (\(error)); install it", sourceLocation: sourceLocation)
            throw error
        }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let output = String(decoding: data, as: UTF8.self)
        if process.terminationStatus == 127 || output.contains("ModuleNotFoundError") {
            Issue.record(
                "python3 or a module is missing (CI installs dkimpy==1.1.8 in .ci/run): \(output)",
                sourceLocation: sourceLocation
            )
            throw MissingTool()
        }
        return (process.terminationStatus, output)
    }

    struct MissingTool: Error {}

    /// A fresh file under the temporary directory; the caller removes its folder.
    static func temporaryFile(_ name: String, _ contents: [UInt8]) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kilpi-mail-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent(name)
        try Data(contents).write(to: file)
        return file
    }
}
