import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The system calls behind `KeyRingSource`: Foundation's file APIs cannot create a file with its final mode
/// (they write, then chmod), check the mode of the very file they read, or flush a rename to disk.
enum KeyFile {
    /// A key file holds a few lines; anything bigger is not one.
    static let maximumSize = 64 * 1024

    /// The file's text, or nil when it does not exist. Refuses files open to group or others.
    static func read(_ path: String) throws(VaultError) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            let error = errno
            if error == ENOENT { return nil }
            throw .keyFileUnavailable("cannot read key file \(path): \(describe(error))")
        }
        defer { close(descriptor) }

        // The mode of the file actually opened, not of whatever the path names a moment later.
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw .keyFileUnavailable("cannot read key file \(path): \(describe(errno))")
        }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            throw .keyFileUnavailable("key file \(path) is not a regular file")
        }
        let permissions = Int(status.st_mode) & 0o777
        guard permissions & 0o077 == 0 else {
            let octal = String(permissions, radix: 8)
            throw .insecureKeyFile(
                "key file \(path) has mode \(String(repeating: "0", count: max(0, 4 - octal.count)) + octal); "
                    + "it must be 0600 (chmod 600 \(path))"
            )
        }
        guard Int(status.st_size) <= maximumSize else {
            throw .invalidKeys("key file \(path) is larger than \(maximumSize / 1024) KiB; it is not a key file")
        }

        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { Foundation.read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                throw .keyFileUnavailable("cannot read key file \(path): \(describe(errno))")
            }
            bytes += buffer[0..<count]
            guard bytes.count <= maximumSize else {
                throw .invalidKeys("key file \(path) is larger than \(maximumSize / 1024) KiB; it is not a key file")
            }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .invalidKeys("key file \(path) is not UTF-8 text")
        }
        return text
    }

    /// Creates the file with `contents` unless it exists; false when another process got there first.
    ///
    /// The contents go into a temporary file first (O_CREAT|O_EXCL, mode 0600), which is then hard-linked to
    /// `path`: link(2) fails when `path` exists, like O_EXCL, and the key file appears complete or not at all,
    /// so a second process starting at the same moment never reads it empty or half written.
    static func createExclusively(_ path: String, contents: String) throws(VaultError) -> Bool {
        let temporary = try writeTemporaryFile(beside: path, contents: contents, action: "create")
        defer { unlink(temporary) }
        if link(temporary, path) == 0 {
            syncFolder(of: path)
            return true
        }
        let error = errno
        if error == EEXIST { return false }
        guard [EPERM, ENOTSUP, EOPNOTSUPP, EXDEV, EMLINK].contains(error) else {
            throw .keyFileUnavailable("cannot create key file \(path): \(describe(error))")
        }
        // A file system without hard links: create in place; `KeyRingSource.load` re-reads a file it finds
        // empty just after losing this race.
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(0o600))
        guard descriptor >= 0 else {
            let error = errno
            if error == EEXIST { return false }
            throw .keyFileUnavailable("cannot create key file \(path): \(describe(error))")
        }
        do {
            try restrictAndWrite(descriptor, contents: contents, path: path, action: "create")
        } catch {
            close(descriptor)
            unlink(path)
            throw error
        }
        close(descriptor)
        syncFolder(of: path)
        return true
    }

    /// Atomically replaces (or creates) the file: temporary file in the same folder, fsync, rename, fsync folder.
    static func replace(_ path: String, contents: String) throws(VaultError) {
        let temporary = try writeTemporaryFile(beside: path, contents: contents, action: "write")
        guard rename(temporary, path) == 0 else {
            let error = errno
            unlink(temporary)
            throw .keyFileUnavailable("cannot write key file \(path): \(describe(error))")
        }
        syncFolder(of: path)
    }

    /// A new file with mode 0600 and `contents`, flushed to disk, in the folder of `path` (so that rename and
    /// link stay within one file system); returns its path.
    private static func writeTemporaryFile(
        beside path: String,
        contents: String,
        action: String
    ) throws(VaultError) -> String {
        let temporary = folder(of: path) + "/." + fileName(of: path) + ".tmp-" + Digest.hex(SecureRandom.bytes(6))
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(0o600))
        guard descriptor >= 0 else {
            throw .keyFileUnavailable("cannot \(action) key file \(path): \(describe(errno))")
        }
        do {
            try restrictAndWrite(descriptor, contents: contents, path: path, action: action)
        } catch {
            close(descriptor)
            unlink(temporary)
            throw error
        }
        close(descriptor)
        return temporary
    }

    /// Sets 0600 on the still-empty file (open's mode passes through the umask, which may remove owner bits),
    /// then writes everything and flushes it to disk.
    private static func restrictAndWrite(
        _ descriptor: Int32,
        contents: String,
        path: String,
        action: String
    ) throws(VaultError) {
        guard fchmod(descriptor, mode_t(0o600)) == 0 else {
            throw .keyFileUnavailable("cannot \(action) key file \(path): \(describe(errno))")
        }
        let bytes = Array(contents.utf8)
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes {
                write(descriptor, $0.baseAddress! + written, bytes.count - written)
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw .keyFileUnavailable("cannot \(action) key file \(path): \(describe(errno))")
            }
            written += count
        }
        guard fsync(descriptor) == 0 else {
            throw .keyFileUnavailable("cannot \(action) key file \(path): \(describe(errno))")
        }
    }

    /// Makes the new directory entry durable; a lost key file means unreadable data. Best effort: some file
    /// systems cannot fsync a folder.
    private static func syncFolder(of path: String) {
        let descriptor = open(folder(of: path), O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }

    private static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    private static func fileName(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    private static func describe(_ error: Int32) -> String {
        String(cString: strerror(error))
    }
}
