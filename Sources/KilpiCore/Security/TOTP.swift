import Crypto
import Foundation

/// Time-based one-time passwords (RFC 6238) as shown by authenticator apps.
public struct TOTP: Sendable {
    /// The HMAC hash function; nearly every authenticator app supports only `.sha1`, the default.
    public enum Algorithm: String, Sendable {
        case sha1 = "SHA1"
        case sha256 = "SHA256"
        case sha512 = "SHA512"
    }

    /// The shared secret key.
    public let secret: [UInt8]
    /// Digits in a code (6 to 10).
    public let digits: Int
    /// Seconds a code stays current.
    public let period: Int
    /// The HMAC hash function.
    public let algorithm: Algorithm

    /// A generator for `secret`.
    ///
    /// - Precondition: `digits` is 6...10 (RFC 4226 asks for at least 6; a 31-bit value has 10 digits)
    ///   and `period` is positive. These come from code, not from users.
    public init(secret: [UInt8], digits: Int = 6, period: Int = 30, algorithm: Algorithm = .sha1) {
        precondition((6...10).contains(digits), "TOTP digits must be 6...10")
        precondition(period > 0, "TOTP period must be positive")
        self.secret = secret
        self.digits = digits
        self.period = period
        self.algorithm = algorithm
    }

    /// 20 random bytes: the 160 bits RFC 4226 recommends, the length of an HMAC-SHA1 key.
    public static func generateSecret() -> [UInt8] {
        SecureRandom.bytes(20)
    }

    /// The number of whole periods since the Unix epoch at `date`.
    public func timeStep(at date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 / Double(period)).rounded(.down))
    }

    /// The code for time step `step`, left-padded with zeros to `digits`.
    public func code(forStep step: Int64) -> String {
        let counter = withUnsafeBytes(of: UInt64(bitPattern: step).bigEndian) { Array($0) }
        let mac = authenticationCode(for: counter)
        // Dynamic truncation (RFC 4226 §5.3): the low nibble of the last byte picks four bytes.
        let offset = Int(mac[mac.count - 1] & 0x0F)
        let value =
            (UInt64(mac[offset] & 0x7F) << 24)
            | (UInt64(mac[offset + 1]) << 16)
            | (UInt64(mac[offset + 2]) << 8)
            | UInt64(mac[offset + 3])
        var modulus: UInt64 = 1
        for _ in 0..<digits { modulus *= 10 }
        let text = String(value % modulus)
        return String(repeating: "0", count: digits - text.count) + text
    }

    /// The code current at `date`.
    public func code(at date: Date) -> String {
        code(forStep: timeStep(at: date))
    }

    /// Returns the matched time step when `code` equals the code of the current step or one up to `window`
    /// steps either side; nil otherwise.
    ///
    /// The window absorbs clock drift and the seconds a person takes to type. The caller stores the last
    /// accepted step per user and rejects steps less than or equal to it, so a code cannot be replayed.
    /// Spaces are ignored ("123 456" as apps display it). Every candidate is computed and compared in
    /// constant time, so timing reveals neither which step matched nor how many digits were right.
    public func match(_ code: String, at date: Date, window: Int = 1) -> Int64? {
        let typed = code.filter { !$0.isWhitespace }
        guard typed.count == digits, typed.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        let current = timeStep(at: date)
        let reach = Int64(max(0, window))
        var matched: Int64?
        // Nearest steps first, so that the step closest to now wins should two codes coincide.
        var candidates: [Int64] = [current]
        if reach > 0 {
            for distance in 1...reach {
                candidates.append(current - distance)
                candidates.append(current + distance)
            }
        }
        for step in candidates where step >= 0 {
            if Digest.constantTimeEquals(self.code(forStep: step), typed), matched == nil {
                matched = step
            }
        }
        return matched
    }

    /// The `otpauth://` URI that authenticator apps read from a QR code, e.g.
    /// `otpauth://totp/Kilpi:anna%40example.fi?secret=…&issuer=Kilpi&algorithm=SHA1&digits=6&period=30`.
    ///
    /// Issuer and account are percent-encoded except for RFC 3986's unreserved characters, so that a
    /// colon, `@`, `&` or space in either cannot be mistaken for the URI's own delimiters.
    public func provisioningURI(account: String, issuer: String) -> String {
        let label = "\(Self.percentEncode(issuer)):\(Self.percentEncode(account))"
        let query = [
            "secret=\(Base32.encode(secret))",
            "issuer=\(Self.percentEncode(issuer))",
            "algorithm=\(algorithm.rawValue)",
            "digits=\(digits)",
            "period=\(period)",
        ]
        return "otpauth://totp/\(label)?\(query.joined(separator: "&"))"
    }

    private func authenticationCode(for message: [UInt8]) -> [UInt8] {
        let key = SymmetricKey(data: secret)
        switch algorithm {
        case .sha1: return Array(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: key))
        case .sha256: return Array(HMAC<SHA256>.authenticationCode(for: message, using: key))
        case .sha512: return Array(HMAC<SHA512>.authenticationCode(for: message, using: key))
        }
    }

    private static func percentEncode(_ text: String) -> String {
        let unreserved = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8)
        var result = ""
        for byte in text.utf8 {
            if unreserved.contains(byte) {
                result.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                result += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return result
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
