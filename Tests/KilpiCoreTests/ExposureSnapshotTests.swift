import Testing

@testable import KilpiCore

@Suite struct ExposureSnapshotTests {
    /// Pairs in a scrambled order with duplicates, and what they mean, worked out with sets.
    static func sample(
        customers: Int,
        categories: [String],
        seed: UInt64
    ) -> (pairs: [(Int64, String)], truth: [Int64: Set<String>]) {
        var generator = CSVTestRandom(seed: seed)
        var pairs: [(Int64, String)] = []
        var truth: [Int64: Set<String>] = [:]
        for _ in 0..<customers {
            let customer = Int64.random(in: 1...5_000_000, using: &generator)
            for category in categories where Bool.random(using: &generator) {
                pairs.append((customer, category))
                if Bool.random(using: &generator) { pairs.append((customer, category)) }
                truth[customer, default: []].insert(category)
            }
        }
        pairs.shuffle(using: &generator)
        return (pairs, truth)
    }

    static let manyCategories = (0..<19).map { "cat-\($0)" } + ["z", "Ä", "a"]

    @Test func buildsSortedCustomersWithExactlyTheirCategories() throws {
        let (pairs, truth) = Self.sample(customers: 3000, categories: Self.manyCategories, seed: 7)
        var builder = ExposureSnapshot.Builder()
        for (customer, category) in pairs { try builder.add(customer: customer, category: category) }
        let snapshot = builder.build()

        #expect(snapshot.customers == truth.keys.sorted())
        #expect(snapshot.categories == Set(truth.values.joined()).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        for (index, customer) in snapshot.customers.enumerated() {
            let expected = truth[customer]!.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            #expect(snapshot.categories(at: index) == expected)
            #expect(snapshot.categories(of: customer) == expected)
        }
        #expect(snapshot.categories(of: 0) == nil)
        #expect(snapshot.categories(of: 5_000_001) == nil)
    }

    @Test(arguments: [1, 7, 100, 4096])
    func chunksRoundTripAndCoverEveryCustomerOnce(size: Int) throws {
        let (pairs, truth) = Self.sample(customers: 1500, categories: Self.manyCategories, seed: UInt64(size))
        var builder = ExposureSnapshot.Builder()
        for (customer, category) in pairs { try builder.add(customer: customer, category: category) }
        let snapshot = builder.build()
        let chunks = snapshot.chunks(size: size)

        #expect(chunks.count == (truth.count + size - 1) / size)
        #expect(chunks.map(\.customers).reduce(0, +) == truth.count)
        for (chunk, next) in zip(chunks, chunks.dropFirst()) { #expect(chunk.lastCustomer < next.firstCustomer) }
        #expect(chunks.first?.firstCustomer == snapshot.customers.first)
        #expect(chunks.last?.lastCustomer == snapshot.customers.last)
        #expect(try ExposureSnapshot.decode(chunks) == snapshot)
        // Any one chunk decodes alone into its own customers.
        let middle = chunks[chunks.count / 2]
        let alone = try ExposureSnapshot.decode([middle])
        #expect(alone.count == middle.customers)
        #expect(alone.customers.first == middle.firstCustomer && alone.customers.last == middle.lastCustomer)
    }

    @Test func anEmptySnapshotHasNoChunks() throws {
        let snapshot = ExposureSnapshot.Builder().build()
        #expect(snapshot.isEmpty && snapshot.categories.isEmpty)
        #expect(snapshot.chunks().isEmpty)
        #expect(try ExposureSnapshot.decode([]) == snapshot)
    }

    @Test func chunksWithDifferentCategoryListsJoinByName() throws {
        var first = ExposureSnapshot.Builder()
        var second = ExposureSnapshot.Builder()
        try first.add(customer: 1, category: "email")
        try first.add(customer: 2, category: "card")
        try second.add(customer: 3, category: "phone")
        try second.add(customer: 3, category: "email")
        let joined = try ExposureSnapshot.decode([first.build().chunks()[0], second.build().chunks()[0]])
        #expect(joined.categories == ["card", "email", "phone"])
        #expect(joined.categories(of: 1) == ["email"])
        #expect(joined.categories(of: 2) == ["card"])
        #expect(joined.categories(of: 3) == ["email", "phone"])
    }

    @Test func slicesAndPositionsForPaging() throws {
        var builder = ExposureSnapshot.Builder()
        for customer in [10, 20, 30, 40] as [Int64] {
            try builder.add(customer: customer, category: customer == 30 ? "b" : "a")
        }
        let snapshot = builder.build()
        #expect(snapshot.index(after: 0) == 0)
        #expect(snapshot.index(after: 20) == 2)
        #expect(snapshot.index(after: 25) == 2)
        #expect(snapshot.index(after: 40) == 4)
        let page = snapshot.slice(from: 1, limit: 2)
        #expect(page.customers == [20, 30])
        #expect(page.categories(at: 1) == ["b"])
        #expect(snapshot.slice(from: 4, limit: 10).isEmpty)
    }

    @Test func outOfRangeCustomersAreRefused() {
        var builder = ExposureSnapshot.Builder()
        #expect(throws: ExposureSnapshot.Builder.TooLarge.self) { try builder.add(customer: -1, category: "a") }
        #expect(throws: ExposureSnapshot.Builder.TooLarge.self) {
            try builder.add(customer: ExposureSnapshot.Builder.maximumCustomer, category: "a")
        }
    }

    @Test func slotsAskedForButNeverUsedAreNotCategories() throws {
        var builder = ExposureSnapshot.Builder()
        _ = try builder.slot(for: "unused")
        try builder.add(customer: 1, category: "a")
        let snapshot = builder.build()
        #expect(snapshot.categories == ["a"])
        #expect(ExposureDiffer.diff(from: .empty, to: snapshot).diff.newCategories == ["a"])
    }

    /// A chunk as stored, from hand-picked parts: categories, then (id delta, bit bytes) per customer, sealed with
    /// a correct checksum so that only the part under test is wrong.
    static func chunk(
        categories: [String],
        customers: [(delta: [UInt8], bits: [UInt8])],
        count: Int? = nil,
        rawNames: [[UInt8]]? = nil
    ) -> [UInt8] {
        var data: [UInt8] = [1]
        let names = rawNames ?? categories.map { Array($0.utf8) }
        ExposureSnapshot.appendVarint(UInt64(names.count), to: &data)
        for name in names {
            ExposureSnapshot.appendVarint(UInt64(name.count), to: &data)
            data += name
        }
        ExposureSnapshot.appendVarint(UInt64(count ?? customers.count), to: &data)
        for customer in customers { data += customer.delta + customer.bits }
        return data + ExposureSnapshot.checksum(data[...])
    }

    static func decodeAlone(
        _ data: [UInt8],
        first: Int64 = 5,
        last: Int64 = 5,
        customers: Int = 1
    ) throws -> ExposureSnapshot {
        try ExposureSnapshot.decode([
            ExposureSnapshot.Chunk(firstCustomer: first, lastCustomer: last, customers: customers, data: data)
        ])
    }

    @Test func handMadeChunksDecodeAndEachBrokenRuleIsRefused() throws {
        // The well-formed original: customer 5 with category "a".
        #expect(try Self.decodeAlone(Self.chunk(categories: ["a"], customers: [([5], [1])])).categories(of: 5) == ["a"])
        // Nine categories take two bytes of bits; customer 5 has "i", the ninth.
        let nine = (0..<9).map { String(UnicodeScalar(UInt8(97 + $0))) }
        #expect(
            try Self.decodeAlone(Self.chunk(categories: nine, customers: [([5], [0, 1])])).categories(of: 5) == ["i"]
        )
        let refused: [(String, [UInt8], Int64, Int64, Int)] = [
            (
                "the same customer twice (a zero step)",
                Self.chunk(categories: ["a"], customers: [([5], [1]), ([0], [1])]), 5, 5, 2
            ),
            ("a customer with no category", Self.chunk(categories: ["a"], customers: [([5], [0])]), 5, 5, 1),
            (
                "a bit past the last category in a second byte",
                Self.chunk(categories: nine, customers: [([5], [0, 2])]), 5, 5, 1
            ),
            ("categories out of order", Self.chunk(categories: ["b", "a"], customers: [([5], [1])]), 5, 5, 1),
            ("a category twice", Self.chunk(categories: ["a", "a"], customers: [([5], [1])]), 5, 5, 1),
            (
                "a category that is not UTF-8", Self.chunk(categories: [], customers: [([5], [1])], rawNames: [[0xFF]]),
                5, 5, 1
            ),
            (
                "a longer spelling of a number", Self.chunk(categories: ["a"], customers: [([0x85, 0x00], [1])]), 5, 5,
                1
            ),
            (
                "a number past 64 bits",
                Self.chunk(
                    categories: ["a"],
                    customers: [([0x85, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x02], [1])]
                ), 5, 5, 1
            ),
            (
                "more customers counted than present", Self.chunk(categories: ["a"], customers: [([5], [1])], count: 2),
                5, 5, 2
            ),
            ("a row that names other customers", Self.chunk(categories: ["a"], customers: [([5], [1])]), 6, 6, 1),
            ("a row that counts other customers", Self.chunk(categories: ["a"], customers: [([5], [1])]), 5, 5, 3),
        ]
        for (why, data, first, last, count) in refused {
            #expect(throws: ExposureSnapshot.CorruptChunk.self, "\(why)") {
                try Self.decodeAlone(data, first: first, last: last, customers: count)
            }
        }
    }

    @Test func damagedChunksAreRefusedNeverMisread() throws {
        var builder = ExposureSnapshot.Builder()
        for customer in 1...40 as ClosedRange<Int64> {
            for category in Self.manyCategories.prefix(Int(customer) % 11 + 1) {
                try builder.add(customer: customer * 1000, category: category)
            }
        }
        let chunk = builder.build().chunks()[0]
        func decode(_ data: [UInt8]) throws -> ExposureSnapshot {
            try ExposureSnapshot.decode([
                ExposureSnapshot.Chunk(
                    firstCustomer: chunk.firstCustomer,
                    lastCustomer: chunk.lastCustomer,
                    customers: chunk.customers,
                    data: data
                )
            ])
        }
        #expect(try decode(chunk.data).count == 40)
        // Cut short anywhere, one byte longer, or any single bit flipped: an error, never a crash or other customers.
        for length in 0..<chunk.data.count {
            #expect(throws: ExposureSnapshot.CorruptChunk.self) { try decode(Array(chunk.data.prefix(length))) }
        }
        #expect(throws: ExposureSnapshot.CorruptChunk.self) { try decode(chunk.data + [0]) }
        for bit in 0..<chunk.data.count * 8 {
            var flipped = chunk.data
            flipped[bit / 8] ^= 1 << UInt8(bit % 8)
            #expect(throws: ExposureSnapshot.CorruptChunk.self) { try decode(flipped) }
        }
        // Twice the same chunk: customers no longer ascend.
        #expect(throws: ExposureSnapshot.CorruptChunk.self) { try ExposureSnapshot.decode([chunk, chunk]) }
    }
}
