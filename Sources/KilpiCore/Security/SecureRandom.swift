import Crypto
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Cryptographically secure random bytes and tokens.
///
/// Backed by `SystemRandomNumberGenerator`, which reads the operating system's CSPRNG
/// (`getrandom(2)` on Linux) and is safe to call from any thread.
public enum SecureRandom {
    /// Returns `count` random bytes; an empty array when `count` is not positive.
    public static func bytes(_ count: Int) -> [UInt8] {
        guard count > 0 else { return [] }
        var generator = SystemRandomNumberGenerator()
        var result = [UInt8]()
        result.reserveCapacity(count)
        // Eight bytes per call to the generator instead of one keeps system calls down.
        while result.count < count {
            var word = generator.next()
            for _ in 0..<min(8, count - result.count) {
                result.append(UInt8(truncatingIfNeeded: word))
                word >>= 8
            }
        }
        return result
    }

    /// Fills `buffer` with random bytes from the operating system's CSPRNG in as few system calls as possible
    /// (`SystemRandomNumberGenerator` makes one per eight bytes). On Linux that is one read of /dev/urandom, the
    /// same generator as getrandom(2), which Swift's Glibc module does not expose.
    public static func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        var filled = 0
        #if canImport(Glibc)
        let descriptor = open("/dev/urandom", O_RDONLY | O_CLOEXEC)
        if descriptor >= 0 {
            while filled < buffer.count {
                let count = read(descriptor, base + filled, buffer.count - filled)
                if count > 0 { filled += count } else if count < 0 && errno == EINTR { continue } else { break }
            }
            close(descriptor)
        }
        #elseif canImport(Darwin)
        arc4random_buf(base, buffer.count)
        filled = buffer.count
        #endif
        // Whatever the fast path could not fill (no /dev/urandom in a bare chroot), from the standard generator,
        // which stops the process rather than return anything but random bytes.
        var generator = SystemRandomNumberGenerator()
        while filled < buffer.count {
            buffer[filled] = UInt8(truncatingIfNeeded: generator.next())
            filled += 1
        }
    }

    /// Returns `byteCount` random bytes as base64url without padding, safe in URLs, cookies and file names.
    ///
    /// The default of 32 bytes gives 256 bits, far beyond guessing for session, setup and API tokens.
    public static func token(byteCount: Int = 32) -> String {
        UnpaddedBase64.encodeURLSafe(bytes(byteCount))
    }
}

/// Hashing and comparison helpers for secrets.
public enum Digest {
    /// The SHA-256 of the string's UTF-8 bytes as 64 lowercase hex digits.
    public static func sha256Hex(_ string: String) -> String {
        sha256Hex(Array(string.utf8))
    }

    /// The SHA-256 of `bytes` as 64 lowercase hex digits.
    public static func sha256Hex(_ bytes: [UInt8]) -> String {
        hex(Array(SHA256.hash(data: bytes)))
    }

    /// Constant-time comparison of two strings' UTF-8 bytes.
    ///
    /// Use it whenever one side is a secret (tokens, codes, hashes) so that the time taken does not reveal
    /// how long a prefix matched. Only the lengths can be learned from timing.
    public static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        constantTimeEquals(Array(a.utf8), Array(b.utf8))
    }

    /// Constant-time comparison of two byte arrays; only the lengths can be learned from timing.
    @inline(never)
    public static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        // Every byte of the longer input is visited, whatever the first difference, so that the loop's
        // duration depends on the lengths alone.
        var difference = UInt8(a.count == b.count ? 0 : 1)
        let length = max(a.count, b.count)
        for index in 0..<length {
            let left = index < a.count ? a[index] : 0
            let right = index < b.count ? b[index] : 0
            difference |= left ^ right
        }
        return difference == 0
    }

    /// Lowercase hex of `bytes`.
    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var result = [UInt8]()
        result.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            result.append(digits[Int(byte >> 4)])
            result.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: result, as: UTF8.self)
    }
}
