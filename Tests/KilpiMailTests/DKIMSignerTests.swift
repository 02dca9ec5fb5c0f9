import CSystemOpenSSL
import CryptoExtras
import Foundation
import Testing

@testable import KilpiMail

/// Signatures checked by dkimpy, an independent verifier, with the public key handed over through its `dnsfunc`
/// as the DNS TXT record an operator would publish.
@Suite struct DKIMSignerTests {
    /// One RSA-2048 key for the suite: generating one takes a noticeable fraction of a second.
    static let privateKey = try! _RSA.Signing.PrivateKey(keySize: .bits2048)
    static let key = try! DKIMKey(privateKey)
    static let signer = try! DKIMSigner(key: key, domain: "example.com", selector: "kilpi2026")

    static let verifyScript = """
        import sys, dkim
        message = open(sys.argv[1], 'rb').read()
        record = open(sys.argv[2], 'rb').read()
        def dns(name, timeout=5):
            name = name.decode() if isinstance(name, bytes) else name
            return record if name.rstrip('.') == 'kilpi2026._domainkey.example.com' else None
        print('verified' if dkim.verify(message, dnsfunc=dns) else 'failed')
        """

    /// True when dkimpy accepts the signature on `message`.
    static func dkimpyVerifies(_ message: [UInt8], record: String = key.dnsRecord) throws -> Bool {
        let file = try Python.temporaryFile("signed.eml", message)
        let recordFile = file.deletingLastPathComponent().appendingPathComponent("record.txt")
        try Data(record.utf8).write(to: recordFile)
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
        let (status, output) = try Python.run(verifyScript, [file.path, recordFile.path])
        try #require(status == 0, "dkimpy: \(output)")
        return output.hasSuffix("verified\n")
    }

    static func signedNotice(text: String = MailMessageTests.hostileText) throws -> [UInt8] {
        let message = MailMessageTests.message(text: text, html: "<p>\(text)</p>")
        return try signer.sign(try message.rendered().bytes, at: Date(timeIntervalSince1970: 1_796_149_431))
    }

    static func replacing(_ old: String, with new: String, in bytes: [UInt8]) throws -> [UInt8] {
        let text = String(decoding: bytes, as: UTF8.self)
        try #require(text.contains(old))
        return Array(text.replacingOccurrences(of: old, with: new).utf8)
    }

    @Test func dkimpyVerifiesASignedNotice() throws {
        let signed = try Self.signedNotice()
        #expect(try Self.dkimpyVerifies(signed))
        let header = String(decoding: signed.prefix(while: { $0 != UInt8(ascii: ":") }), as: UTF8.self)
        #expect(header == "DKIM-Signature")
    }

    @Test func theSignatureHeaderCarriesTheAgreedTags() throws {
        let text = String(decoding: try Self.signedNotice(), as: UTF8.self)
        let field = String(text[..<text.range(of: "\r\nFrom:")!.lowerBound])
        let unfolded = field.replacingOccurrences(of: "\r\n", with: "").replacingOccurrences(of: "\t", with: " ")
        for tag in [
            "v=1;", "a=rsa-sha256;", "c=relaxed/relaxed;", "d=example.com;", "s=kilpi2026;", "t=1796149431;",
            "bh=",
        ] {
            #expect(unfolded.contains(tag), "\(tag) missing in \(unfolded)")
        }
        let names = unfolded.components(separatedBy: "h=")[1].components(separatedBy: ";")[0]
            .replacingOccurrences(of: " ", with: "").split(separator: ":").map(String.init)
        // Each name once more than the message carries it: twice for the eight it has, once for the rest.
        let carried = Set(DKIMSigner.signedHeaders.prefix(8))
        for name in DKIMSigner.signedHeaders {
            #expect(names.filter { $0 == name }.count == (carried.contains(name) ? 2 : 1), "\(name) in \(names)")
        }
        #expect(field.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 78 })
    }

    @Test func aHeaderTheNoticeNeverHadAddedInTransitFailsVerification() throws {
        let signed = try Self.signedNotice()
        for added in ["Reply-To: phish@evil.example", "Cc: someone@evil.example", "Sender: x@evil.example"] {
            let forged = try Self.replacing("\r\nSubject: ", with: "\r\n\(added)\r\nSubject: ", in: signed)
            #expect(try !Self.dkimpyVerifies(forged), "\(added)")
        }
    }

    @Test func aMessageWithARepeatedHeaderIsSignedWholly() throws {
        let message = Array(
            "From: a@example.com\r\nTo: b@example.com\r\nTo: c@example.com\r\nSubject: x\r\n\r\nbody\r\n".utf8
        )
        let signed = try DKIMSigner(key: Self.key, domain: "example.com", selector: "kilpi2026").sign(message)
        #expect(try Self.dkimpyVerifies(signed))
        #expect(try !Self.dkimpyVerifies(try Self.replacing("To: c@", with: "To: d@", in: signed)))
    }

    @Test func aTamperedBodyFailsVerification() throws {
        let signed = try Self.signedNotice()
        #expect(try !Self.dkimpyVerifies(try Self.replacing("DROP TABLE", with: "DROP TABLF", in: signed)))
    }

    @Test func aTamperedSubjectFailsVerification() throws {
        let signed = try Self.signedNotice()
        let subject = String(decoding: signed, as: UTF8.self).components(separatedBy: "\r\n")
            .first { $0.hasPrefix("Subject: ") }!
        let forged = try Self.replacing(subject, with: "Subject: Reset your password here", in: signed)
        #expect(try !Self.dkimpyVerifies(forged))
    }

    @Test func aSecondSubjectAddedInTransitFailsVerification() throws {
        // Over-signing: without it a client might show the added header beside a valid signature.
        let signed = try Self.signedNotice()
        let forged = try Self.replacing("\r\nFrom: ", with: "\r\nSubject: Click here\r\nFrom: ", in: signed)
        #expect(try !Self.dkimpyVerifies(forged))
    }

    @Test func aWrongPublicKeyFailsVerification() throws {
        let other = try DKIMKey(try _RSA.Signing.PrivateKey(keySize: .bits2048))
        #expect(try !Self.dkimpyVerifies(try Self.signedNotice(), record: other.dnsRecord))
    }

    @Test func refoldingAndWhitespaceChangesStillVerify() throws {
        // What relaxed/relaxed is for: relays re-fold headers and pad lines with spaces.
        let signed = try Self.signedNotice(text: "Hei Åsa,\nthe notice.")
        let refolded = try Self.replacing(
            "multipart/alternative;\r\n boundary",
            with: "multipart/alternative;  boundary",
            in: signed
        )
        #expect(try Self.dkimpyVerifies(refolded))
        #expect(try Self.dkimpyVerifies(try Self.replacing("--\r\n", with: "--\r\n\r\n\r\n", in: signed)))
    }

    @Test func keysLoadFromPKCS1AndPKCS8PEMFiles() throws {
        for pem in [Self.privateKey.pemRepresentation, Self.privateKey.pkcs8PEMRepresentation] {
            let file = try Python.temporaryFile("dkim.pem", Array(pem.utf8))
            defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
            let key = try DKIMKey(contentsOfFile: file.path)
            #expect(key.keySizeInBits == 2048)
            let signer = try DKIMSigner(key: key, domain: "example.com", selector: "kilpi2026")
            let signed = try signer.sign(try MailMessageTests.message().rendered().bytes)
            #expect(try Self.dkimpyVerifies(signed))
        }
        #expect(Self.privateKey.pemRepresentation.hasPrefix("-----BEGIN RSA PRIVATE KEY-----"))
        #expect(Self.privateKey.pkcs8PEMRepresentation.hasPrefix("-----BEGIN PRIVATE KEY-----"))
    }

    @Test func a1024BitKeyIsAcceptedAndVerifies() throws {
        let key = try DKIMKey(try _RSA.Signing.PrivateKey(unsafeKeySize: .init(bitCount: 1024)))
        let signer = try DKIMSigner(key: key, domain: "example.com", selector: "kilpi2026")
        let signed = try signer.sign(try MailMessageTests.message().rendered().bytes)
        #expect(try Self.dkimpyVerifies(signed, record: key.dnsRecord))
    }

    @Test func aKeyUnder1024BitsIsRefused() throws {
        let file = try Python.temporaryFile("small.pem", Array(Self.rsa512.utf8))
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
        let error = #expect(throws: DKIMError.self) { try DKIMKey(contentsOfFile: file.path) }
        #expect(error?.subject == file.path)
        #expect(error?.reason.contains("at least 1024") == true)
    }

    @Test func aMissingOrBrokenKeyFileIsNamedButNotQuoted() throws {
        let missing = "/nonexistent/kilpi-dkim-\(UUID().uuidString).pem"
        let error = #expect(throws: DKIMError.self) { try DKIMKey(contentsOfFile: missing) }
        #expect(error?.description == "\(missing): no such DKIM key file")

        let secret = "-----BEGIN PRIVATE KEY-----\nTOPSECRETKEYMATERIAL\n-----END PRIVATE KEY-----\n"
        let file = try Python.temporaryFile("broken.pem", Array(secret.utf8))
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
        let broken = #expect(throws: DKIMError.self) { try DKIMKey(contentsOfFile: file.path) }
        #expect(broken?.subject == file.path)
        #expect(broken.map { !$0.description.contains("TOPSECRET") } ?? false)

        let folder = #expect(throws: DKIMError.self) {
            try DKIMKey(contentsOfFile: file.deletingLastPathComponent().path)
        }
        #expect(folder?.reason == "no such DKIM key file")
    }

    /// The SPKI from a DNS record's `p=` tag, as a verifier would read it.
    static func publicKey(fromRecord record: String) throws -> _RSA.Signing.PublicKey {
        let base64 = try #require(record.components(separatedBy: "p=").last)
        return try _RSA.Signing.PublicKey(derRepresentation: try #require(Data(base64Encoded: base64)))
    }

    @Test func opensslSignaturesVerifyWithSwiftCryptoFromPKCS1AndPKCS8() throws {
        let data = Array("dkim-signature:v=1; a=rsa-sha256; b=\r\nfrom:Kilpi <notices@example.com>".utf8)
        for pem in [Self.privateKey.pemRepresentation, Self.privateKey.pkcs8PEMRepresentation] {
            let key = try DKIMKey(pem: pem, source: "test")
            #expect(key.keySizeInBits == 2048)
            // i2d_PUBKEY gives the same SPKI swift-crypto does, so the published record is the right key.
            #expect(
                key.dnsRecord
                    == "v=DKIM1; k=rsa; p=\(Self.privateKey.publicKey.derRepresentation.base64EncodedString())"
            )
            let raw = try #require(key.key.signSHA256(data))
            #expect(raw.count == 256)
            let signature = _RSA.Signing.RSASignature(rawRepresentation: raw)
            let digest = SHA256.hash(data: data)
            for publicKey in [Self.privateKey.publicKey, try Self.publicKey(fromRecord: key.dnsRecord)] {
                #expect(publicKey.isValidSignature(signature, for: digest, padding: .insecurePKCS1v1_5))
                #expect(
                    !publicKey.isValidSignature(
                        signature,
                        for: SHA256.hash(data: data + [0x20]),
                        padding: .insecurePKCS1v1_5
                    )
                )
                #expect(!publicKey.isValidSignature(signature, for: digest, padding: .PSS))
            }
            // PKCS#1 v1.5 is deterministic: BoringSSL's signature over the same digest is the same bytes.
            let boring = try Self.privateKey.signature(for: digest, padding: .insecurePKCS1v1_5)
            #expect(boring.rawRepresentation == Data(raw))
        }
    }

    @Test func oneKeySignsFromManyTasksAtOnce() async throws {
        // The EVP_PKEY is shared; each signature has its own contexts. Every one must verify.
        let key = Self.key
        let results = await withTaskGroup(of: (Int, [UInt8]?).self) { group in
            for index in 0..<32 {
                group.addTask { (index, key.key.signSHA256(Array("message \(index)".utf8))) }
            }
            return await group.reduce(into: [(Int, [UInt8]?)]()) { $0.append($1) }
        }
        #expect(results.count == 32)
        for (index, raw) in results {
            let signature = _RSA.Signing.RSASignature(rawRepresentation: try #require(raw))
            let digest = SHA256.hash(data: Array("message \(index)".utf8))
            #expect(Self.privateKey.publicKey.isValidSignature(signature, for: digest, padding: .insecurePKCS1v1_5))
        }
    }

    @Test func a512BitKeyIsRefusedAsTooShortWithItsSize() throws {
        let error = #expect(throws: DKIMError.self) { try DKIMKey(pem: Self.rsa512, source: "KILPI_DKIM_KEY_FILE") }
        #expect(
            error?.description
                == "KILPI_DKIM_KEY_FILE: the RSA key is 512 bits; DKIM needs at least 1024 (RFC 8301), 2048 is recommended"
        )
    }

    @Test func anythingButAnUnencryptedRSAPrivateKeyIsNotAKey() throws {
        let inputs = [
            "", "not a key at all TOPSECRET", String(repeating: "\u{00}\u{FF}", count: 64),
            Self.ecKey, Self.encryptedRSA1024, Self.privateKey.publicKey.pemRepresentation,
            // The PEM armour with the body cut short.
            String(Self.privateKey.pkcs8PEMRepresentation.dropLast(200)) + "\n-----END PRIVATE KEY-----\n",
        ]
        for input in inputs {
            let error = #expect(throws: DKIMError.self) { try DKIMKey(pem: input, source: "key.pem") }
            #expect(error?.description == "key.pem: is not an RSA private key in PEM form (PKCS#1 or PKCS#8)")
            // Nothing OpenSSL queued while refusing it is left for the next call on this thread to trip over.
            #expect(ERR_peek_error() == 0)
        }
    }

    @Test func domainAndSelectorMustBeNames() throws {
        #expect(throws: DKIMError.self) { try DKIMSigner(key: Self.key, domain: "exa mple.com", selector: "s") }
        #expect(throws: DKIMError.self) { try DKIMSigner(key: Self.key, domain: "example.com", selector: "s;x=1") }
        #expect(throws: DKIMError.self) { try DKIMSigner(key: Self.key, domain: "example.com\r\n", selector: "s") }
        #expect(throws: Never.self) { try DKIMSigner(key: Self.key, domain: "mail.example.com", selector: "k1.2026") }
    }

    /// A throwaway P-256 key: a private key in PEM, but not RSA.
    static let ecKey = """
        -----BEGIN PRIVATE KEY-----
        MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgmjo6qPlGthdKT9AI
        ZMdmkpgJcLj43HuTkBQrU72hZiqhRANCAATOBiSGEnUo9zu3Er1bsjadu2C6I/Cw
        S2tj2zL0H+MjH9q0INugiNLMdp5Lj747u/7hgvUtydGTkZbXd1gug1RP
        -----END PRIVATE KEY-----

        """

    /// A throwaway 512-bit key (far too small for anything real) to prove small keys are refused.
    static let rsa512 = """
        -----BEGIN PRIVATE KEY-----
        MIIBVQIBADANBgkqhkiG9w0BAQEFAASCAT8wggE7AgEAAkEA36jWOZGm7YuHffdn
        5YfXSpi89+N+z9NELC3u94HvrYvhzxWo/WOXrm4R0lwb0teuzsMIKPhiOYQO6UlL
        fZatCQIDAQABAkBU6JPrZxAoPkBB4hrfWKKy/yk+Mm+CFoJbA1UlQX7sMuicIIih
        BQ/AVp72TufAvxgDh1GZmhc8b9eIahb7ItABAiEA/VqfjrIH0ChUfuTeA9FlSNqy
        SC4RWNtMzBZjk6AEmmECIQDh/tI/J9J4R/f/HxF1MKATSDLGjkp28dD8HMyzXeGj
        qQIhANIhW70qg7ht+sbUZB+eiPcIDF45d0HPgb6zwxsp2SeBAiBDJ0cuQRUHbMtC
        Yeb8HbDTSfbcjVePNJfW8m/ZNKJh0QIhALtF/uMI00gHxTfhH1Ry/jGSU7MywQoA
        NdedPTVY1Udi
        -----END PRIVATE KEY-----

        """

    /// A throwaway 1024-bit key encrypted with a passphrase (PKCS#8, AES-128-CBC): refused, never prompted for.
    static let encryptedRSA1024 = """
        -----BEGIN ENCRYPTED PRIVATE KEY-----
        MIIC3TBXBgkqhkiG9w0BBQ0wSjApBgkqhkiG9w0BBQwwHAQIoNBvc8534EgCAggA
        MAwGCCqGSIb3DQIJBQAwHQYJYIZIAWUDBAECBBAQSFNJyWlUpNlrP9IbZe0kBIIC
        gPgH0BOxmXjm+70n4xNrvXSw+zAwZxOxW3qFTlGRkx0Un+QIH2AUwk9yKZeBpcbF
        hLtMk6TQRbcQqoq7EUUisXcsiJqXl+PtdB492EN9mej6FozNshYERLcHBmiaexTg
        nNVvBard5daXZJUd5K2r7Ef9FAiK6nAtS+PbmcV+9Q1uwmvfnJm/PvR30zMfDoTe
        DidY0Z6p0/k49bAa4sXigotQWl/rg1TyYJUYPwoZ9Ah6HgcuCGJP32lSsvRL91pA
        Zslyg7e/lYa61hdZid7ESsQHVeX5No8Far+WkyE9AQ/Yx2z1CisbTd2F13BEv4gL
        7D2wLjJ/5GxhBGt6WVacHa/hQ9J9OFSWyn4DKLvjKurSCLQBvwsn0IZJQpUo64OP
        uzctbdix5o22eHYEmGU7vPcZgDn/cqqwhulQdCpElesnsC8O7ZZGoqpGXy3MEs0y
        RQcJkANXdD/hlFbdEkOj4dh1UvE86SMgCxFYLBIJv4i9KDXOIg9eWSO+71SczZYR
        A5ORNVbD2oInEly6y3kCYP/LEvB1D2rqLduFkpIzGhvU/7YSAxR3sMHvlYBbeVUS
        aic+abXyENms2dUNE4wEEXYWamQ9gtRgGonriVPFOpqyQJMkdo5pA8MP9F2AFVre
        bcPrEuR/sbHjGBQaDQ1Q175trghGNnBqXRPwG3sgyU05ihKC8f3r0ANri9mZU/YL
        HdzOoAAEWOqvCKwFAjlrCbYalHNRGTPZ+2ve3b9wNnyMSG5HydirrHVwCIcKENvy
        6E5K1L6/MPzCCAJr5sxTC8Qfa7kbY9JYfObzlU74AW6IURmBGyy/UVPgIEM2/15K
        SkjRQilzkRpRN6UeRGH1Lkw=
        -----END ENCRYPTED PRIVATE KEY-----

        """
}
