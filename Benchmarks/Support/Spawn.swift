import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A child process started with posix_spawn and an empty signal mask.
///
/// The threads of a Swift process block most signals and a child inherits the mask: `openssl speed` stops each
/// measurement with SIGALRM and `kilpi` shuts down on SIGTERM, so under Foundation's Process neither behaves.
/// `wait()` also returns the child's own peak memory (wait4's rusage), which Process does not give.
public struct Spawned: Sendable {
    public let pid: pid_t

    public struct Exit: Sendable {
        /// The exit status, or nil when a signal ended the process.
        public let status: Int32?
        /// The child's peak resident memory in MB.
        public let peakRSSMegabytes: Double
    }

    /// Starts `arguments[0]` (looked up on PATH) with its standard output and error going to `outputPath`
    /// (appended), or to /dev/null. `stdoutPipe` instead hands standard output to the given descriptor.
    public static func start(
        _ arguments: [String],
        outputPath: String? = nil,
        stdoutDescriptor: Int32? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> Spawned {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        let sink = outputPath ?? "/dev/null"
        if let stdoutDescriptor {
            posix_spawn_file_actions_adddup2(&actions, stdoutDescriptor, 1)
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, sink, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        }
        posix_spawn_file_actions_addopen(&actions, 2, sink, O_WRONLY | O_CREAT | O_APPEND, 0o600)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGALRM, SIGTERM, SIGINT] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, arguments[0], &actions, &attributes, argv, envp)
        guard spawned == 0 else { throw SpawnError(program: arguments[0], code: spawned) }
        return Spawned(pid: pid)
    }

    /// Waits for the child to end (blocking the calling thread).
    public func wait() -> Exit {
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) == -1 && errno == EINTR {}
        // WIFEXITED and WEXITSTATUS, which Swift does not import.
        let exited = status & 0x7F == 0
        return Exit(status: exited ? (status >> 8) & 0xFF : nil, peakRSSMegabytes: Double(usage.ru_maxrss) / 1024)
    }

    public func terminate() { kill(pid, SIGTERM) }
}

public struct SpawnError: Error, CustomStringConvertible {
    public let program: String
    public let code: Int32
    public var description: String { "cannot start \(program): \(String(cString: strerror(code)))" }
}

/// Runs a program found on PATH and returns its standard output (nil when it cannot start or fails).
public func output(of arguments: [String]) -> String? {
    var fds: [Int32] = [-1, -1]
    guard pipe(&fds) == 0 else { return nil }
    let child: Spawned
    do {
        child = try Spawned.start(arguments, stdoutDescriptor: fds[1])
    } catch {
        close(fds[0])
        close(fds[1])
        return nil
    }
    close(fds[1])
    defer { close(fds[0]) }
    var data: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
        let count = buffer.withUnsafeMutableBytes { read(fds[0], $0.baseAddress, $0.count) }
        if count > 0 {
            data += buffer[0..<count]
        } else if count == 0 || errno != EINTR {
            break
        }
    }
    guard child.wait().status == 0 else { return nil }
    return String(decoding: data, as: UTF8.self)
}
