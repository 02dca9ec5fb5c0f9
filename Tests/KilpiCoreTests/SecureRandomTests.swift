import Foundation
import Testing

@testable import KilpiCore

@Suite("SecureRandom and Digest")
struct SecureRandomTests {
    @Test func bytesHaveTheRequestedCount() {
        for count in [1, 7, 8, 9, 32, 1000] {
            #expect(SecureRandom.bytes(count).count == count)
        }
        #expect(SecureRandom.bytes(0).isEmpty)
        #expect(SecureRandom.bytes(-5).isEmpty)
    }

    @Test func bytesDifferBetweenCalls() {
        #expect(SecureRandom.bytes(32) != SecureRandom.bytes(32))
    }

    @Test func bytesCoverEveryValue() {
        // With 16 KiB the chance that a fair generator misses any one of 256 values is about 256·e⁻⁶⁴.
        let values = Set(SecureRandom.bytes(16 * 1024))
        #expect(values.count == 256)
    }

    @Test func fillCoversLargeBuffersWithFreshBytesEachTime() {
        var first = [UInt8](repeating: 0, count: 64 * 1024)
        var second = first
        first.withUnsafeMutableBytes { SecureRandom.fill($0) }
        second.withUnsafeMutableBytes { SecureRandom.fill($0) }
        // Every byte value turns up, also in the last KiB (a short read would leave zeros there).
        #expect(Set(first).count == 256)
        #expect(first.suffix(1024).filter { $0 == 0 }.count < 32)
        #expect(first != second)
        // Nonces are 12-byte slices of such buffers: none may repeat.
        let slices = stride(from: 0, to: first.count - 11, by: 12).map { first[$0..<$0 + 12] }
        #expect(Set(slices.map { Array($0) }).count == slices.count)
    }

    @Test func unpaddedBase64MatchesFoundationWithoutPadding() {
        for count in 0...70 {
            let bytes = SecureRandom.bytes(count)
            var expected = Data(bytes).base64EncodedString()
            while expected.hasSuffix("=") { expected.removeLast() }
            #expect(UnpaddedBase64.encode(bytes) == expected, "\(count) bytes")
            #expect(UnpaddedBase64.decode(Substring(expected)) == bytes, "\(count) bytes")
        }
        #expect(UnpaddedBase64.encode([0xFB, 0xFF]) == "+/8")
    }

    @Test func tokenIsUnpaddedBase64URL() {
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        let token = SecureRandom.token()
        #expect(token.count == 43)  // ⌈32·8/6⌉
        #expect(token.allSatisfy { allowed.contains($0) })
        #expect(SecureRandom.token(byteCount: 1).count == 2)
        #expect(SecureRandom.token(byteCount: 3).count == 4)
        #expect(SecureRandom.token() != SecureRandom.token())
    }

    @Test func tokenUsesTheURLSafeAlphabet() {
        // 300 tokens of 32 bytes hold about 12,900 symbols; each of "-" and "_" turns up with odds 1/64.
        let joined = (0..<300).map { _ in SecureRandom.token() }.joined()
        #expect(joined.contains("-"))
        #expect(joined.contains("_"))
        #expect(!joined.contains("+"))
        #expect(!joined.contains("/"))
        #expect(!joined.contains("="))
    }

    @Test func sha256MatchesKnownVectors() {
        #expect(Digest.sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(Digest.sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Digest.sha256Hex(Array("abc".utf8)) == Digest.sha256Hex("abc"))
        #expect(Digest.sha256Hex([0xFF]) == "a8100ae6aa1940d0b663bb31cd466142ebbdbd5187131b92d93818987832eb89")
    }

    @Test func constantTimeEqualsComparesExactly() {
        #expect(Digest.constantTimeEquals("", ""))
        #expect(Digest.constantTimeEquals("sekret-token", "sekret-token"))
        #expect(Digest.constantTimeEquals("äö", "äö"))
        #expect(!Digest.constantTimeEquals("sekret-token", "sekret-tokeN"))
        #expect(!Digest.constantTimeEquals("sekret", "sekret-token"))
        #expect(!Digest.constantTimeEquals("sekret-token", "sekret"))
        #expect(!Digest.constantTimeEquals("a", ""))
        #expect(!Digest.constantTimeEquals("a\u{0}", "a"))
        #expect(Digest.constantTimeEquals([1, 2, 3], [1, 2, 3]))
        #expect(!Digest.constantTimeEquals([1, 2, 3], [1, 2, 4]))
    }
}
