import CSystemOpenSSL
import CryptoExtras
import Foundation

/// An RSA private key for DKIM signing, read from a PEM file.
///
/// The RSA step runs in the system's OpenSSL 3 libcrypto, not swift-crypto's BoringSSL: on CPUs with AVX-512 IFMA
/// OpenSSL signs RSA-2048 several times faster, and with DKIM on, the RSA signature is what bounds delivery.
public struct DKIMKey: Sendable {
    let key: OpenSSLRSAKey

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
        // OpenSSL's own error strings are never shown: they may quote the input. 1024-bit keys are accepted, as
        // RFC 8301 still allows them and some DNS hosts' TXT size limits force them.
        guard let key = OpenSSLRSAKey(pem: pem) else { throw .notAKey(source) }
        guard key.bits >= Self.minimumBits else { throw .tooShort(source, bits: key.bits) }
        self.key = key
    }

    /// A key made in memory (tests, key generation).
    public init(_ key: _RSA.Signing.PrivateKey) throws(DKIMError) {
        guard key.keySizeInBits >= Self.minimumBits else { throw .tooShort("key", bits: key.keySizeInBits) }
        try self.init(pem: key.pemRepresentation, source: "key")
    }

    public var keySizeInBits: Int { key.bits }

    /// The DNS TXT record to publish at `<selector>._domainkey.<domain>`: `v=DKIM1; k=rsa; p=<base64 SPKI>`.
    public var dnsRecord: String {
        "v=DKIM1; k=rsa; p=\(Data(key.publicKeyDER).base64EncodedString())"
    }
}

/// An RSA private key in OpenSSL 3, freed with its owner.
///
/// Sendable: OpenSSL 3 allows one EVP_PKEY to be used by many threads at once as long as nobody modifies it
/// (openssl-threads(7)). Nothing here modifies it after `init`, and every signature gets its own EVP_MD_CTX (and
/// with it its own EVP_PKEY_CTX). The key comes from OpenSSL's provider decoders, not a legacy RSA object, so no
/// lazy export into a provider cache happens on first use either. The EVP_MD is likewise only read.
final class OpenSSLRSAKey: @unchecked Sendable {
    private let pkey: OpaquePointer
    private let sha256: OpaquePointer
    let bits: Int
    /// The SubjectPublicKeyInfo, DER.
    let publicKeyDER: [UInt8]
    /// Bytes in a signature (the modulus size).
    private let signatureSize: Int

    /// nil for anything that is not an unencrypted RSA private key in PEM (PKCS#1 or PKCS#8), or is inconsistent.
    init?(pem: String) {
        ERR_clear_error()
        defer { ERR_clear_error() }
        let bytes = Array(pem.utf8)
        guard bytes.count < Int32.max else { return nil }
        let parsed: OpaquePointer? = bytes.withUnsafeBytes { buffer in
            guard let bio = BIO_new_mem_buf(buffer.baseAddress, Int32(buffer.count)) else { return nil }
            defer { BIO_free(bio) }
            // A passphrase callback that gives none: an encrypted key is refused instead of OpenSSL's default
            // callback prompting on the terminal.
            return PEM_read_bio_PrivateKey(bio, nil, { _, _, _, _ in -1 }, nil)
        }
        guard let pkey = parsed else { return nil }
        guard EVP_PKEY_get_base_id(pkey) == EVP_PKEY_RSA, let sha256 = EVP_MD_fetch(nil, "SHA256", nil) else {
            EVP_PKEY_free(pkey)
            return nil
        }
        // n = p·q, d·e ≡ 1 and the CRT values (BoringSSL checked this on parsing too): a broken key file fails
        // here instead of sending notices with signatures no verifier accepts.
        let check = EVP_PKEY_CTX_new_from_pkey(nil, pkey, nil)
        let consistent = check.map { EVP_PKEY_pairwise_check($0) == 1 } ?? false
        EVP_PKEY_CTX_free(check)

        let length = i2d_PUBKEY(pkey, nil)
        var der = [UInt8](repeating: 0, count: max(Int(length), 0))
        let written = der.withUnsafeMutableBufferPointer { buffer in
            var cursor = buffer.baseAddress
            return i2d_PUBKEY(pkey, &cursor)
        }
        let size = Int(EVP_PKEY_get_size(pkey))
        guard consistent, length > 0, written == length, size > 0 else {
            EVP_PKEY_free(pkey)
            EVP_MD_free(sha256)
            return nil
        }
        self.pkey = pkey
        self.sha256 = sha256
        bits = Int(EVP_PKEY_get_bits(pkey))
        signatureSize = size
        publicKeyDER = der
    }

    deinit {
        EVP_PKEY_free(pkey)
        EVP_MD_free(sha256)
    }

    /// RSASSA-PKCS1-v1_5 with SHA-256 over `data` (hashed here): DKIM's rsa-sha256 (RFC 6376 §3.3.1).
    func signSHA256(_ data: [UInt8]) -> [UInt8]? {
        // The error queue is per thread; clearing it on both sides keeps one call's errors out of the next's.
        ERR_clear_error()
        defer { ERR_clear_error() }
        guard let context = EVP_MD_CTX_new() else { return nil }
        defer { EVP_MD_CTX_free(context) }
        var keyContext: OpaquePointer?
        guard EVP_DigestSignInit(context, &keyContext, sha256, nil, pkey) == 1, let keyContext,
            // PKCS#1 v1.5 is OpenSSL's default for RSA; said explicitly, as verifiers accept nothing else.
            EVP_PKEY_CTX_set_rsa_padding(keyContext, RSA_PKCS1_PADDING) == 1
        else { return nil }
        var signature = [UInt8](repeating: 0, count: signatureSize)
        var length = signature.count
        let signed = signature.withUnsafeMutableBufferPointer { output in
            data.withUnsafeBufferPointer { input in
                EVP_DigestSign(context, output.baseAddress, &length, input.baseAddress, input.count)
            }
        }
        guard signed == 1, length == signatureSize else { return nil }
        return signature
    }
}
