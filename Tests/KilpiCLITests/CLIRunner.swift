import Foundation
import KilpiTestSupport
import Testing

/// Runs the built `kilpi` executable and captures what it prints.
struct CLIRunner {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// `.build/<config>/kilpi`, next to the test bundle.
    static var executable: URL {
        var directory = Bundle.main.bundleURL
        for bundle in Bundle.allBundles where bundle.bundleURL.pathExtension == "xctest" {
            directory = bundle.bundleURL.deletingLastPathComponent()
        }
        let candidate = directory.appendingPathComponent("kilpi")
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        // swift-testing on Linux runs from the build folder itself.
        return URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(
            "kilpi"
        )
    }

    static func run(
        _ arguments: [String],
        environment: [String: String] = [:],
        workingDirectory: URL? = nil,
        timeout: TimeInterval = 120,
        stopWhen: ((String) -> Bool)? = nil
    ) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        // Files, not pipes: a chatty process can never block on a full pipe while we wait for it.
        let scratch = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        var env = ProcessInfo.processInfo.environment
        for variable in ["KILPI_DATABASE_URL", "KILPI_DATABASE_PASSWORD_FILE", "KILPI_KEY_FILE", "KILPI_MASTER_KEY"] {
            env[variable] = nil
        }
        for (key, value) in environment { env[key] = value }
        process.environment = env
        // A private working folder by default, so files created with default names (kilpi.key) never land in the repo.
        process.currentDirectoryURL = workingDirectory ?? scratch
        let outURL = scratch.appendingPathComponent("stdout")
        let errURL = scratch.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.runOneAtATime()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.1)
            // Servers never exit by themselves: stop them once they printed what the test waits for.
            if let stopWhen, let text = try? String(contentsOf: outURL, encoding: .utf8), stopWhen(text) { break }
        }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        try out.close()
        try err.close()
        let outData = try Data(contentsOf: outURL)
        let errData = try Data(contentsOf: errURL)
        return Result(
            status: process.terminationStatus,
            stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self)
        )
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "kilpi-cli-\(UUID().uuidString)",
            isDirectory: true
        )
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

extension CLIRunner.Result {
    /// The error contract: exactly one line on stderr that starts `kilpi: error:` and no stack trace.
    func expectOneLineError(containing fragment: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(status != 0, "expected a non-zero exit", sourceLocation: sourceLocation)
        let lines = stderr.split(separator: "\n", omittingEmptySubsequences: true)
        #expect(lines.count == 1, "stderr should be one line, got: \(stderr)", sourceLocation: sourceLocation)
        #expect(
            stderr.hasPrefix("kilpi: error:") || stderr.hasPrefix("Error:"),
            "stderr: \(stderr)",
            sourceLocation: sourceLocation
        )
        #expect(
            stderr.lowercased().contains(fragment.lowercased()),
            "stderr should mention \(fragment): \(stderr)",
            sourceLocation: sourceLocation
        )
        #expect(
            !stderr.contains("Fatal error") && !stderr.contains("Stack dump") && !stderr.contains(".swift:"),
            sourceLocation: sourceLocation
        )
    }
}
