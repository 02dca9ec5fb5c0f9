import Foundation
import KilpiCore
import Testing

@Suite("PasswordHasher")
struct PasswordHasherTests {
    /// Cheap parameters keep the suite fast; the standard cost is exercised once below.
    let cheap = PasswordHasher(logN: 10, r: 8, p: 1)

    @Test func standardParametersHashAndVerify() throws {
        let hasher = PasswordHasher.standard
        #expect(hasher.logN == 17 && hasher.r == 8 && hasher.p == 1)
        let encoded = try hasher.hash("kissa istuu ikkunalaudalla")
        #expect(encoded.hasPrefix("$scrypt$ln=17,r=8,p=1$"))
        let fields = encoded.split(separator: "$")
        #expect(fields.count == 4)
        #expect(fields[2].count == 22)  // 16-byte salt, unpadded base64
        #expect(fields[3].count == 43)  // 32-byte hash, unpadded base64
        #expect(!fields[2].contains("=") && !fields[3].contains("="))
        #expect(hasher.verify("kissa istuu ikkunalaudalla", against: encoded))
        #expect(!hasher.verify("kissa istuu ikkunalaudalla ", against: encoded))
        #expect(!hasher.needsRehash(encoded))
    }

    @Test func wrongPasswordFails() throws {
        let encoded = try cheap.hash("oikea salasana")
        #expect(cheap.verify("oikea salasana", against: encoded))
        #expect(!cheap.verify("Oikea salasana", against: encoded))
        #expect(!cheap.verify("", against: encoded))
    }

    @Test func emptyPasswordHashesWithoutTrapping() throws {
        let encoded = try cheap.hash("")
        #expect(cheap.verify("", against: encoded))
        #expect(!cheap.verify(" ", against: encoded))
    }

    @Test func saltMakesEveryHashDifferent() throws {
        let first = try cheap.hash("sama salasana")
        let second = try cheap.hash("sama salasana")
        #expect(first != second)
        #expect(cheap.verify("sama salasana", against: first))
        #expect(cheap.verify("sama salasana", against: second))
    }

    @Test func normalisesToNFCBeforeHashing() throws {
        let precomposed = "p\u{E4}ssw\u{F6}rd"
        let decomposed = "pa\u{308}sswo\u{308}rd"
        #expect(Array(precomposed.utf8) != Array(decomposed.utf8))
        let encoded = try cheap.hash(decomposed)
        #expect(cheap.verify(precomposed, against: encoded))
    }

    @Test func verifiesKnownAnswers() {
        // scrypt("password", "NaCl", N=1024, r=8, p=16, dkLen=64) from RFC 7914 §12.
        let rfc7914 =
            "$scrypt$ln=10,r=8,p=16$TmFDbA$/bq+HJ00cgB4VucZDQHp/nxq18vII3gw53N2Y0s3MWIurzDZLiKjiG/xCSedmDDaxyevuUqD7m2DYMvfoswGQA"
        #expect(cheap.verify("password", against: rfc7914))
        #expect(!cheap.verify("Password", against: rfc7914))
        // Short salt and long hash: verifiable, but below today's standard.
        #expect(cheap.needsRehash(rfc7914))
        let withLongerSalt =
            "$scrypt$ln=10,r=4,p=2$AAECAwQFBgcICQoLDA0ODw$TxDru+ycTxWxuYoOrwCKQA851kXH31fbdRVK/IFVPt0"
        // Made with Python's hashlib.scrypt("pässwörd", salt=bytes(range(16)), n=1024, r=4, p=2, dklen=32).
        #expect(cheap.verify("pässwörd", against: withLongerSalt))
        #expect(PasswordHasher.standard.verify("pässwörd", against: withLongerSalt))
        #expect(!cheap.verify("passwörd", against: withLongerSalt))
    }

    @Test func honoursTheStoredParameters() throws {
        let odd = PasswordHasher(logN: 9, r: 4, p: 3)
        let encoded = try odd.hash("parametrit talteen")
        #expect(encoded.hasPrefix("$scrypt$ln=9,r=4,p=3$"))
        // A hasher with different parameters must still verify, by reading them from the string.
        #expect(cheap.verify("parametrit talteen", against: encoded))
        #expect(PasswordHasher.standard.verify("parametrit talteen", against: encoded))
        // Changing a stored parameter changes the derived key, so verification must fail.
        let tampered = encoded.replacingOccurrences(of: "ln=9,r=4,p=3", with: "ln=9,r=4,p=2")
        #expect(!cheap.verify("parametrit talteen", against: tampered))
    }

    @Test func malformedStringsReturnFalse() throws {
        let good = try cheap.hash("hyvä salasana")
        let fields = good.split(separator: "$", omittingEmptySubsequences: false).map(String.init)
        let salt = fields[3]
        let hash = fields[4]
        let malformed = [
            "",
            "$",
            "$scrypt$",
            "scrypt$ln=10,r=8,p=1$\(salt)$\(hash)",
            "$argon2id$ln=10,r=8,p=1$\(salt)$\(hash)",
            "$scrypt$ln=10,r=8,p=1$\(salt)$\(hash)$",
            "$scrypt$ln=10,r=8,p=1$$\(hash)",
            "$scrypt$ln=10,r=8,p=1$\(salt)$",
            "$scrypt$ln=10,r=8,p=1$\(salt)==$\(hash)",
            "$scrypt$ln=10,r=8,p=1$\(salt)$\(hash)=",
            "$scrypt$ln=10,r=8,p=1$\(salt)$\(hash.dropLast(4))",  // 29 bytes: truncated
            "$scrypt$ln=10,r=8,p=1$\(salt)$\(hash.dropLast(3))*!?",
            "$scrypt$ln=10,r=8,p=1$not base64$\(hash)",
            "$scrypt$ln=10,r=8$\(salt)$\(hash)",
            "$scrypt$ln=10,p=1,r=8$\(salt)$\(hash)",
            "$scrypt$ln=10,r=8,p=1,x=2$\(salt)$\(hash)",
            "$scrypt$ln=0,r=8,p=1$\(salt)$\(hash)",
            "$scrypt$ln=-10,r=8,p=1$\(salt)$\(hash)",
            "$scrypt$ln=+10,r=8,p=1$\(salt)$\(hash)",
            "$scrypt$ln= 10,r=8,p=1$\(salt)$\(hash)",
            "$scrypt$ln=99,r=8,p=1$\(salt)$\(hash)",
            "$scrypt$ln=99999999999999999999999,r=8,p=1$\(salt)$\(hash)",
            "$scrypt$ln=24,r=32,p=16$\(salt)$\(hash)",  // would need 64 GiB
            "$scrypt$ln=10,r=0,p=1$\(salt)$\(hash)",
            "$scrypt$ln=10,r=8,p=0$\(salt)$\(hash)",
            "$scrypt$ln=16,r=1,p=1$\(salt)$\(hash)",  // N must be below 2^(16·r): scrypt itself refuses
            "$scrypt$ln=１０,r=8,p=1$\(salt)$\(hash)",
        ]
        // Last symbol changed: either non-canonical base64 or a different value; both must fail.
        let tampered = [
            "$scrypt$ln=10,r=8,p=1$\(salt)$\(hash.dropLast())\(hash.last == "A" ? "B" : "A")",
            "$scrypt$ln=10,r=8,p=1$\(salt.dropLast())\(salt.last == "A" ? "B" : "A")$\(hash)",
        ]
        // The untouched string verifies, so each failure below comes from the damage alone.
        #expect(cheap.verify("hyvä salasana", against: good))
        for encoded in malformed {
            #expect(!cheap.verify("hyvä salasana", against: encoded), "\(encoded)")
            #expect(cheap.needsRehash(encoded), "\(encoded)")
        }
        for encoded in tampered {
            #expect(!cheap.verify("hyvä salasana", against: encoded), "\(encoded)")
        }
    }

    @Test func needsRehashWhenParametersAreWeaker() throws {
        let cheapHash = try cheap.hash("vaihda minut")
        #expect(PasswordHasher.standard.needsRehash(cheapHash))
        #expect(!cheap.needsRehash(cheapHash))
        #expect(PasswordHasher(logN: 10, r: 16, p: 1).needsRehash(cheapHash))
        #expect(PasswordHasher(logN: 10, r: 8, p: 2).needsRehash(cheapHash))
        let stronger = try PasswordHasher(logN: 11, r: 8, p: 1).hash("vaihda minut")
        #expect(!cheap.needsRehash(stronger))
    }

    @Test func refusesToHashWithInvalidParameters() {
        #expect(throws: PasswordHashingError.invalidParameters) { try PasswordHasher(logN: 0, r: 8, p: 1).hash("x") }
        #expect(throws: PasswordHashingError.invalidParameters) { try PasswordHasher(logN: 40, r: 8, p: 1).hash("x") }
        #expect(throws: PasswordHashingError.invalidParameters) { try PasswordHasher(logN: 10, r: 0, p: 1).hash("x") }
        #expect(throws: PasswordHashingError.invalidParameters) { try PasswordHasher(logN: 10, r: 8, p: -1).hash("x") }
    }
}
