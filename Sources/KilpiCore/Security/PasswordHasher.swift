import Crypto
import CryptoExtras
import Foundation

/// Hashes and verifies passwords with scrypt, stored as PHC-style strings.
///
/// The stored string carries its own parameters, so the cost can be raised later: old hashes still verify,
/// and `needsRehash` tells the login flow to store a fresh hash while it has the plain password at hand.
public struct PasswordHasher: Sendable {
    /// Base-2 logarithm of scrypt's CPU/memory cost N.
    public let logN: Int
    /// scrypt's block size.
    public let r: Int
    /// scrypt's parallelism.
    public let p: Int

    /// N = 2^17, r = 8, p = 1: 128 MiB a hash, the minimum OWASP recommends for scrypt.
    public static let standard = PasswordHasher(logN: 17, r: 8, p: 1)

    static let saltByteCount = 16
    static let hashByteCount = 32

    /// Bounds on what is read back from stored strings. A damaged or hostile string could otherwise ask for
    /// terabytes of memory or hours of work; these leave room to raise the cost well beyond `standard`.
    /// Hashes shorter than 32 bytes are refused because scrypt's output is a prefix of its longer outputs:
    /// a truncated hash would still verify, with fewer bits to guess.
    private static let logNRange = 1...24
    private static let rRange = 1...32
    private static let pRange = 1...16
    private static let maximumMemory = 2 << 30
    private static let storedSaltBytes = 1...64
    private static let storedHashBytes = 32...64

    /// A hasher with the given scrypt parameters; `hash` throws if they are out of range.
    public init(logN: Int, r: Int, p: Int) {
        self.logN = logN
        self.r = r
        self.p = p
    }

    /// Hashes `password` (NFC-normalised) with a fresh 16-byte salt.
    ///
    /// - Returns: `$scrypt$ln=17,r=8,p=1$<salt>$<hash>`, salt and 32-byte hash in base64 without padding.
    /// - Throws: `PasswordHashingError` when the parameters are out of range or derivation fails.
    public func hash(_ password: String) throws -> String {
        let parameters = Parameters(logN: logN, r: r, p: p)
        guard parameters.isWithinBounds else { throw PasswordHashingError.invalidParameters }
        let salt = SecureRandom.bytes(Self.saltByteCount)
        let derived = try Self.derive(password, salt: salt, parameters: parameters, byteCount: Self.hashByteCount)
        return "$scrypt$ln=\(logN),r=\(r),p=\(p)$\(UnpaddedBase64.encode(salt))$\(UnpaddedBase64.encode(derived))"
    }

    /// Whether `password` produces the hash stored in `encoded`, using the parameters stored there (not this
    /// hasher's), compared in constant time. Malformed or out-of-range input gives false, never a trap.
    public func verify(_ password: String, against encoded: String) -> Bool {
        guard let stored = StoredHash(encoded) else { return false }
        guard
            let derived = try? Self.derive(
                password,
                salt: stored.salt,
                parameters: stored.parameters,
                byteCount: stored.hash.count
            )
        else { return false }
        return Digest.constantTimeEquals(derived, stored.hash)
    }

    /// Whether `encoded` was made with weaker parameters (or a shorter salt) than this hasher uses,
    /// or cannot be read at all; either way the password should be hashed again on the next successful login.
    public func needsRehash(_ encoded: String) -> Bool {
        guard let stored = StoredHash(encoded) else { return true }
        return stored.parameters.logN < logN
            || stored.parameters.r < r
            || stored.parameters.p < p
            || stored.salt.count < Self.saltByteCount
    }

    private static func derive(
        _ password: String,
        salt: [UInt8],
        parameters: Parameters,
        byteCount: Int
    ) throws -> [UInt8] {
        let passwordBytes = Array(password.precomposedStringWithCanonicalMapping.utf8)
        let key: SymmetricKey
        do {
            key = try KDF.Scrypt.deriveKey(
                from: passwordBytes,
                salt: salt,
                outputByteCount: byteCount,
                rounds: 1 << parameters.logN,
                blockSize: parameters.r,
                parallelism: parameters.p,
                maxMemory: parameters.memory + 64 * 1024
            )
        } catch {
            throw PasswordHashingError.derivationFailed
        }
        return key.withUnsafeBytes { Array($0) }
    }

    private struct Parameters {
        var logN: Int
        var r: Int
        var p: Int

        /// Bytes scrypt needs: 128·N·r for the big array plus 128·r·p for the blocks.
        var memory: Int { 128 * r * ((1 << logN) + p) }

        var isWithinBounds: Bool {
            PasswordHasher.logNRange.contains(logN)
                && PasswordHasher.rRange.contains(r)
                && PasswordHasher.pRange.contains(p)
                && memory <= PasswordHasher.maximumMemory
        }
    }

    /// A parsed `$scrypt$ln=…,r=…,p=…$salt$hash` string.
    private struct StoredHash {
        var parameters: Parameters
        var salt: [UInt8]
        var hash: [UInt8]

        init?(_ encoded: String) {
            // Splitting keeps empty fields so that "$scrypt$$…" cannot shift the fields along.
            let fields = encoded.split(separator: "$", omittingEmptySubsequences: false)
            guard fields.count == 5, fields[0].isEmpty, fields[1] == "scrypt" else { return nil }
            guard let parameters = Self.parameters(fields[2]), parameters.isWithinBounds else { return nil }
            guard
                let salt = UnpaddedBase64.decode(fields[3]), PasswordHasher.storedSaltBytes.contains(salt.count),
                let hash = UnpaddedBase64.decode(fields[4]), PasswordHasher.storedHashBytes.contains(hash.count)
            else { return nil }
            self.parameters = parameters
            self.salt = salt
            self.hash = hash
        }

        /// Parses exactly "ln=<int>,r=<int>,p=<int>" in that order.
        private static func parameters(_ field: Substring) -> Parameters? {
            let pairs = field.split(separator: ",", omittingEmptySubsequences: false)
            guard pairs.count == 3 else { return nil }
            var values: [Int] = []
            for (pair, name) in zip(pairs, ["ln", "r", "p"]) {
                let parts = pair.split(separator: "=", omittingEmptySubsequences: false)
                // Digits only and at most 3 of them: no signs, no spaces, no overflow.
                guard parts.count == 2, parts[0] == name, (1...3).contains(parts[1].count),
                    parts[1].allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(parts[1])
                else { return nil }
                values.append(value)
            }
            return Parameters(logN: values[0], r: values[1], p: values[2])
        }
    }
}

extension PasswordHasher {
    /// `verify` on a thread of `pool` rather than the caller's (see `PasswordHashingPool`).
    public func verify(
        _ password: String,
        against encoded: String,
        on admission: PasswordHashingPool.Admission
    ) async -> Bool {
        await admission.run { self.verify(password, against: encoded) }
    }

    /// `hash` on a thread of `pool`; throws `PasswordHashingPool.Busy` when the pool is full.
    public func hash(_ password: String, on pool: PasswordHashingPool) async throws -> String {
        let result: Result<String, PasswordHashingError> = try await pool.run {
            do { return .success(try self.hash(password)) } catch let error as PasswordHashingError {
                return .failure(error)
            } catch { return .failure(.derivationFailed) }
        }
        return try result.get()
    }

    /// A well-formed hash with this hasher's cost that no password matches: verifying against it takes as long
    /// as a real check, for the paths (unknown email, locked account) that must not answer faster.
    public var timingDummy: String {
        "$scrypt$ln=\(logN),r=\(r),p=\(p)$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
    }
}
