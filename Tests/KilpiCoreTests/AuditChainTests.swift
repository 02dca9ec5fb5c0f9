import Crypto
import Foundation
import KilpiCore
import Testing

@Suite("AuditChain")
struct AuditChainTests {
    /// The audit key the test chains are keyed with.
    static let key = try! AuditKey(material: SymmetricKey(data: [UInt8](repeating: 7, count: 32)))
    static let otherKey = try! AuditKey(material: SymmetricKey(data: [UInt8](repeating: 8, count: 32)))

    /// A correctly chained log of `count` entries, hashed the way the store does: from the stored whole
    /// milliseconds, with `at` decoded back from them; keyed unless `version` says plain SHA-256.
    static func chain(
        _ count: Int,
        startID: Int64 = 1,
        startMilliseconds: Int64 = 1_800_000_000_000,
        stepMilliseconds: Int64 = 1_234,
        version: AuditChain.Version = .hmacSHA256,
        previousHash: String = AuditChain.genesis
    ) -> [AuditEntry] {
        var entries: [AuditEntry] = []
        var previous = previousHash
        for index in 0..<count {
            let id = startID + Int64(index)
            let milliseconds = startMilliseconds + Int64(index) * stepMilliseconds
            let unhashed = AuditEntry(
                id: id,
                at: Date(epochMilliseconds: milliseconds),
                actor: "user:\(index % 3)",
                action: "test.step",
                target: "item:\(index)",
                ip: "192.0.2.1",
                detail: "step \(index)",
                previousHash: previous,
                hash: "",
                chain: version
            )
            let hash = AuditChain.expectedHash(of: unhashed, key: key)
            entries.append(
                AuditEntry(
                    id: id,
                    at: Date(epochMilliseconds: milliseconds),
                    actor: "user:\(index % 3)",
                    action: "test.step",
                    target: "item:\(index)",
                    ip: "192.0.2.1",
                    detail: "step \(index)",
                    previousHash: previous,
                    hash: hash,
                    chain: version
                )
            )
            previous = hash
        }
        return entries
    }

    /// Runs a verifier over `entries` and returns the first break and the verifier's final state.
    static func verify(
        _ entries: [AuditEntry],
        key: AuditKey = key
    ) -> (problem: AuditChain.Break?, verifier: AuditChain.Verifier) {
        var verifier = AuditChain.Verifier(key: key)
        for entry in entries {
            if let problem = verifier.check(entry) { return (problem, verifier) }
        }
        return (nil, verifier)
    }

    static func with(
        _ entry: AuditEntry,
        detail: String? = nil,
        previousHash: String? = nil,
        hash: String? = nil,
        id: Int64? = nil,
        chain: AuditChain.Version? = nil
    ) -> AuditEntry {
        AuditEntry(
            id: id ?? entry.id,
            at: entry.at,
            actor: entry.actor,
            action: entry.action,
            target: entry.target,
            ip: entry.ip,
            detail: detail ?? entry.detail,
            previousHash: previousHash ?? entry.previousHash,
            hash: hash ?? entry.hash,
            chain: chain ?? entry.chain
        )
    }

    // MARK: - Hashing

    @Test("the hash is 64 lowercase hex digits and deterministic")
    func hashShape() {
        let a = AuditChain.hash(
            id: 1,
            atMilliseconds: 2,
            actor: "a",
            action: "b",
            target: "c",
            ip: "d",
            detail: "e",
            previousHash: AuditChain.genesis
        )
        let b = AuditChain.hash(
            id: 1,
            atMilliseconds: 2,
            actor: "a",
            action: "b",
            target: "c",
            ip: "d",
            detail: "e",
            previousHash: AuditChain.genesis
        )
        #expect(a == b)
        #expect(a.count == 64)
        #expect(a.allSatisfy { "0123456789abcdef".contains($0) })
        #expect(AuditChain.genesis == String(repeating: "0", count: 64))
    }

    @Test("every field is covered by the hash")
    func everyFieldCounts() {
        func h(
            id: Int64 = 1,
            at: Int64 = 2,
            actor: String = "a",
            action: String = "b",
            target: String = "c",
            ip: String = "d",
            detail: String = "e",
            previous: String = AuditChain.genesis
        ) -> String {
            AuditChain.hash(
                id: id,
                atMilliseconds: at,
                actor: actor,
                action: action,
                target: target,
                ip: ip,
                detail: detail,
                previousHash: previous
            )
        }
        let base = h()
        let variants = [
            h(id: 2), h(at: 3), h(actor: "A"), h(action: "B"), h(target: "C"), h(ip: "D"), h(detail: "E"),
            h(previous: String(repeating: "1", count: 64)),
        ]
        for variant in variants { #expect(variant != base) }
        #expect(Set(variants).count == variants.count)
    }

    @Test("moving text from one field to the next changes the hash (length-prefixed fields)")
    func fieldBoundaries() {
        let one = AuditChain.hash(
            id: 1,
            atMilliseconds: 2,
            actor: "ab",
            action: "c",
            target: "",
            ip: "",
            detail: "",
            previousHash: AuditChain.genesis
        )
        let two = AuditChain.hash(
            id: 1,
            atMilliseconds: 2,
            actor: "a",
            action: "bc",
            target: "",
            ip: "",
            detail: "",
            previousHash: AuditChain.genesis
        )
        let three = AuditChain.hash(
            id: 12,
            atMilliseconds: 3,
            actor: "",
            action: "",
            target: "",
            ip: "",
            detail: "",
            previousHash: AuditChain.genesis
        )
        let four = AuditChain.hash(
            id: 1,
            atMilliseconds: 23,
            actor: "",
            action: "",
            target: "",
            ip: "",
            detail: "",
            previousHash: AuditChain.genesis
        )
        #expect(one != two)
        #expect(three != four)
        // A separator inside a value cannot imitate a field boundary either.
        let five = AuditChain.hash(
            id: 1,
            atMilliseconds: 2,
            actor: "a1:b",
            action: "",
            target: "",
            ip: "",
            detail: "",
            previousHash: AuditChain.genesis
        )
        let six = AuditChain.hash(
            id: 1,
            atMilliseconds: 2,
            actor: "a",
            action: "b",
            target: "",
            ip: "",
            detail: "",
            previousHash: AuditChain.genesis
        )
        #expect(five != six)
    }

    @Test("expectedHash recomputes an entry's own hash")
    func expectedHash() {
        for entry in Self.chain(5) { #expect(AuditChain.expectedHash(of: entry, key: Self.key) == entry.hash) }
    }

    @Test(
        "entries verify whatever their time, also from a clock stuck in 1970",
        arguments: [
            Int64(0), 1_000_000, 100_000_000_000, 978_307_200_000, 1_800_000_000_000, 4_102_444_800_000,
        ]
    )
    func anyEra(startMilliseconds: Int64) {
        let entries = Self.chain(3_000, startMilliseconds: startMilliseconds, stepMilliseconds: 1)
        let (problem, verifier) = Self.verify(entries)
        #expect(problem == nil)
        #expect(verifier.count == 3_000)
    }

    // MARK: - Verifier

    @Test("an intact chain verifies and the verifier ends at its head")
    func intact() {
        let entries = Self.chain(10)
        let (problem, verifier) = Self.verify(entries)
        #expect(problem == nil)
        #expect(verifier.count == 10)
        #expect(verifier.lastHash == entries[9].hash)
        #expect(verifier.lastID == 10)
    }

    @Test("an empty chain: nothing checked, head is genesis")
    func empty() {
        let verifier = AuditChain.Verifier(key: Self.key)
        #expect(verifier.count == 0)
        #expect(verifier.lastHash == AuditChain.genesis)
        #expect(verifier.lastID == nil)
    }

    @Test("checking in pages gives the same answer as checking at once")
    func paged() {
        let entries = Self.chain(25)
        var verifier = AuditChain.Verifier(key: Self.key)
        for page in stride(from: 0, to: entries.count, by: 7) {
            for entry in entries[page..<min(page + 7, entries.count)] {
                #expect(verifier.check(entry) == nil)
            }
        }
        #expect(verifier.count == 25)
        #expect(verifier.lastHash == entries.last?.hash)
    }

    @Test("an edited entry is reported as changed content")
    func edited() {
        var entries = Self.chain(5)
        entries[2] = Self.with(entries[2], detail: "nothing to see")
        let (problem, verifier) = Self.verify(entries)
        #expect(problem == .contentChanged(id: 3))
        #expect(verifier.count == 2)
        #expect(verifier.lastHash == entries[1].hash)
    }

    @Test("an edited entry with a recomputed hash breaks the next link")
    func editedAndRehashed() {
        var entries = Self.chain(5)
        var forged = Self.with(entries[2], detail: "nothing to see")
        forged = Self.with(forged, hash: AuditChain.expectedHash(of: forged, key: Self.key))
        entries[2] = forged
        let (problem, verifier) = Self.verify(entries)
        #expect(problem == .linkBroken(id: 4))
        #expect(verifier.count == 3)
    }

    @Test("a removed middle entry is a gap")
    func removed() {
        var entries = Self.chain(5)
        entries.remove(at: 2)
        #expect(Self.verify(entries).problem == .gap(afterID: 2, nextID: 4))
    }

    @Test("a removed entry with the rest renumbered is a broken link")
    func removedAndRenumbered() {
        var entries = Self.chain(5)
        entries.remove(at: 2)
        entries = entries.enumerated().map { Self.with($0.element, id: Int64($0.offset + 1)) }
        #expect(Self.verify(entries).problem == .linkBroken(id: 3))
    }

    @Test("a removed first entry is a broken link at the new first")
    func removedFirst() {
        let entries = Array(Self.chain(5).dropFirst())
        #expect(Self.verify(entries).problem == .linkBroken(id: 2))
    }

    @Test("swapped entries are detected")
    func swapped() {
        var entries = Self.chain(5)
        entries.swapAt(1, 2)
        // In stored order the ids now go 1, 3, 2: a gap at once.
        #expect(Self.verify(entries).problem == .gap(afterID: 1, nextID: 3))
        // With the ids swapped back, so the order looks right, the links give it away.
        entries[1] = Self.with(entries[1], id: 2)
        entries[2] = Self.with(entries[2], id: 3)
        #expect(Self.verify(entries).problem == .linkBroken(id: 2))
    }

    @Test("an inserted entry is detected even with a valid hash of its own")
    func inserted() {
        let entries = Self.chain(4)
        var forged = AuditEntry(
            id: 3,
            at: entries[1].at,
            actor: "user:0",
            action: "admin.grant",
            target: "user:9",
            ip: "",
            detail: "",
            previousHash: entries[1].hash,
            hash: ""
        )
        forged = Self.with(forged, hash: AuditChain.expectedHash(of: forged, key: Self.key))
        let shifted = entries[2...].map { Self.with($0, id: $0.id + 1) }
        let tampered = Array(entries[..<2]) + [forged] + shifted
        let (problem, verifier) = Self.verify(tampered)
        #expect(problem == .linkBroken(id: 4))
        #expect(verifier.count == 3)
    }

    @Test("a chain that starts from something other than genesis is refused")
    func wrongGenesis() {
        var entries = Self.chain(1)
        entries[0] = Self.with(entries[0], previousHash: String(repeating: "f", count: 64))
        entries[0] = Self.with(entries[0], hash: AuditChain.expectedHash(of: entries[0], key: Self.key))
        #expect(Self.verify(entries).problem == .linkBroken(id: 1))
    }

    @Test("a verifier stops at the first break and stays there")
    func stopsAtFirst() {
        var entries = Self.chain(5)
        entries[1] = Self.with(entries[1], detail: "x")
        var verifier = AuditChain.Verifier(key: Self.key)
        #expect(verifier.check(entries[0]) == nil)
        #expect(verifier.check(entries[1]) == .contentChanged(id: 2))
        // The bad entry was not taken in: the next one still compares against entry 1.
        #expect(verifier.count == 1)
        #expect(verifier.lastID == 1)
        #expect(verifier.check(entries[2]) == .gap(afterID: 1, nextID: 3))
    }

    @Test("break descriptions name the entries")
    func descriptions() {
        #expect(AuditChain.Break.contentChanged(id: 7).description.contains("entry 7"))
        #expect(AuditChain.Break.linkBroken(id: 8).description.contains("entry 8"))
        #expect(AuditChain.Break.gap(afterID: 3, nextID: 9).description.contains("between 3 and 9"))
    }

    // MARK: - The keyed chain

    /// What someone with write access to the database but without the key can do: recompute plain SHA-256.
    static func rehashedWithoutKey(
        _ entries: [AuditEntry],
        from index: Int,
        as version: AuditChain.Version
    )
        -> [AuditEntry]
    {
        var result = entries
        var previous = index == 0 ? AuditChain.genesis : entries[index - 1].hash
        for position in index..<entries.count {
            let entry = Self.with(result[position], previousHash: previous)
            let hash = AuditChain.hash(
                id: entry.id,
                atMilliseconds: entry.at.epochMilliseconds,
                actor: entry.actor,
                action: entry.action,
                target: entry.target,
                ip: entry.ip,
                detail: entry.detail,
                previousHash: previous
            )
            result[position] = Self.with(entry, hash: hash, chain: version)
            previous = hash
        }
        return result
    }

    @Test("the MAC depends on the key and differs from the plain hash")
    func macDependsOnKey() {
        func mac(_ key: AuditKey) -> String {
            AuditChain.mac(
                key: key,
                id: 1,
                atMilliseconds: 2,
                actor: "a",
                action: "b",
                target: "c",
                ip: "d",
                detail: "e",
                previousHash: AuditChain.genesis
            )
        }
        let plain = AuditChain.hash(
            id: 1,
            atMilliseconds: 2,
            actor: "a",
            action: "b",
            target: "c",
            ip: "d",
            detail: "e",
            previousHash: AuditChain.genesis
        )
        #expect(mac(Self.key) == mac(Self.key))
        #expect(mac(Self.key).count == 64)
        #expect(mac(Self.key) != mac(Self.otherKey))
        #expect(mac(Self.key) != plain)
    }

    @Test("rewriting an entry and recomputing plain SHA-256 for the rest is detected")
    func rewrittenWithPlainHashes() {
        var entries = Self.chain(6)
        entries[2] = Self.with(entries[2], detail: "nothing to see")
        // Marked as old SHA-256 entries: refused, because the log is keyed from entry 1.
        let relabelled = Self.rehashedWithoutKey(entries, from: 2, as: .sha256)
        let (problem, verifier) = Self.verify(relabelled)
        #expect(problem == .unkeyed(id: 3))
        #expect(verifier.count == 2)
        // Left marked as keyed: the plain hash is not the MAC.
        #expect(
            Self.verify(Self.rehashedWithoutKey(entries, from: 2, as: .hmacSHA256)).problem == .contentChanged(id: 3)
        )
        // The whole log rewritten as plain SHA-256 from the first entry is refused just the same.
        #expect(Self.verify(Self.rehashedWithoutKey(Self.chain(6), from: 0, as: .sha256)).problem == .unkeyed(id: 1))
    }

    @Test("a chain verified with another key is refused at its first entry")
    func wrongKey() {
        let entries = Self.chain(4)
        #expect(Self.verify(entries).problem == nil)
        #expect(Self.verify(entries, key: Self.otherKey).problem == .contentChanged(id: 1))
    }

    @Test("an upgraded log: SHA-256 up to the marked point, HMAC after it")
    func upgraded() throws {
        let legacy = Self.chain(3, version: .sha256)
        let keyed = Self.chain(3, startID: 4, previousHash: legacy[2].hash)
        let upgradedKey = try AuditKey(material: Self.key.material, sha256Until: 3)
        #expect(Self.verify(legacy + keyed, key: upgradedKey).problem == nil)
        #expect(Self.verify(legacy + keyed, key: upgradedKey).verifier.count == 6)

        // An old entry rewritten, with plain hashes recomputed up to the marked point: the first keyed entry's
        // MAC covers the old last hash.
        var edited = legacy
        edited[1] = Self.with(edited[1], detail: "rewritten")
        let rehashed = Self.rehashedWithoutKey(edited, from: 1, as: .sha256)
        #expect(Self.verify(rehashed + keyed, key: upgradedKey).problem == .linkBroken(id: 4))

        // A keyed entry turned back into plain SHA-256 is refused, however the rest is rehashed.
        let downgraded = Self.rehashedWithoutKey(legacy + keyed, from: 4, as: .sha256)
        #expect(Self.verify(downgraded, key: upgradedKey).problem == .unkeyed(id: 5))
        // Plain entries beyond the marked point are refused even when no keyed entry precedes them.
        let allPlain = Self.rehashedWithoutKey(legacy + keyed, from: 3, as: .sha256)
        #expect(Self.verify(allPlain, key: upgradedKey).problem == .unkeyed(id: 4))
        // Without the marked point, plain entries are not accepted at all.
        #expect(Self.verify(legacy + keyed).problem == .unkeyed(id: 1))
    }

    @Test("a verifier resumed after a checkpoint checks only the entries after it")
    func resumed() {
        var entries = Self.chain(8)
        var verifier = AuditChain.Verifier(key: Self.key, resumingAfter: entries[4])
        for entry in entries[5...] { #expect(verifier.check(entry) == nil) }
        #expect(verifier.count == 3)
        #expect(verifier.lastID == 8)

        // An edit at or before the checkpoint is not its business; one after it is found.
        entries[2] = Self.with(entries[2], detail: "edited")
        entries[6] = Self.with(entries[6], detail: "edited")
        var again = AuditChain.Verifier(key: Self.key, resumingAfter: entries[4])
        #expect(again.check(entries[5]) == nil)
        #expect(again.check(entries[6]) == .contentChanged(id: 7))
        #expect(AuditChain.Break.unkeyed(id: 4).description.contains("entry 4"))
    }
}
