import Crypto
import CryptoExtras
import Foundation

/// An RSA private key for DKIM signing, read from a PEM file.
public struct DKIMKey: Sendable {
    let key: _RSA.Signing.PrivateKey

    /// RFC 8301 §3.2: signers MUST use at least 1024 bits.
    static let minimumBits = 1024

    /// Reads `path`: `-----BEGIN RSA PRIVATE KEY-----` (PKCS#1) or `-----BEGIN PRIVATE KEY-----` (PKCS#8).
    public init(contentsOfFile path: String) throws(DKIMError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw .noSuchFile(path)
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable(path) }
        try self.init(pem: String(decoding: data, as: UTF8.self), source: path)
    }

    /// A key given as PEM text; `source` names it in errors (a path, a setting).
    public init(pem: String, source: String) throws(DKIMError) {
        do {
            // The "unsafe" initialiser accepts 1024-bit keys, which RFC 8301 still allows and some DNS hosts'
            // TXT size limits force; the checked one starts at 2048.
            key = try _RSA.Signing.PrivateKey(unsafePEMRepresentation: pem)
        } catch CryptoKitError.incorrectParameterSize {
            throw .tooShort(source, bits: nil)
        } catch {
            // The underlying error may quote the input: say only that it is not a key.
            throw .notAKey(source)
        }
        guard key.keySizeInBits >= Self.minimumBits else { throw .tooShort(source, bits: key.keySizeInBits) }
    }

    /// A key made in memory (tests, key generation).
    public init(_ key: _RSA.Signing.PrivateKey) throws(DKIMError) {
        guard key.keySizeInBits >= Self.minimumBits else { throw .tooShort("key", bits: key.keySizeInBits) }
        self.key = key
    }

    public var keySizeInBits: Int { key.keySizeInBits }

    /// The DNS TXT record to publish at `<selector>._domainkey.<domain>`: `v=DKIM1; k=rsa; p=<base64 SPKI>`.
    public var dnsRecord: String {
        "v=DKIM1; k=rsa; p=\(key.publicKey.derRepresentation.base64EncodedString())"
    }
}
