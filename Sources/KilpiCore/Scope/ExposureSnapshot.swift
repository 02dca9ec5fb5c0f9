import Crypto

/// One scope version's exposure: every affected customer (ascending internal id) with the categories exposed for
/// them, kept as a bit set over the snapshot's own sorted category list.
///
/// Stored as a few hundred compact chunks per version rather than a row per (customer, category): writing
/// three quarters of a million keyed rows took PostgreSQL 2–4 s on its own, while the chunks of a million
/// customers are about 2 MB. Each chunk is self-contained (it carries its category list), so a page of
/// affected customers or one customer's exposure decodes one chunk, never the whole snapshot.
public struct ExposureSnapshot: Sendable, Equatable {
    /// The categories exposed for anyone, sorted in byte order.
    public let categories: [String]
    /// Affected customers, ascending.
    public let customers: [Int64]
    /// `customers.count × width` bytes: bit `j` of a customer's bytes is `categories[j]`.
    private let bits: [UInt8]
    private var width: Int { (categories.count + 7) / 8 }

    public static let empty = ExposureSnapshot(categories: [], customers: [], bits: [])

    init(categories: [String], customers: [Int64], bits: [UInt8]) {
        self.categories = categories
        self.customers = customers
        self.bits = bits
    }

    public var count: Int { customers.count }
    public var isEmpty: Bool { customers.isEmpty }

    /// The categories of the customer at `index`, in byte order.
    public func categories(at index: Int) -> [String] {
        var result: [String] = []
        forEachCategory(at: index) { result.append(categories[$0]) }
        return result
    }

    /// Calls `body` with the index (into `categories`) of each category of the customer at `index`, ascending.
    public func forEachCategory(at index: Int, _ body: (Int) -> Void) {
        let start = index * width
        for byte in 0..<width {
            var value = bits[start + byte]
            while value != 0 {
                body(byte * 8 + value.trailingZeroBitCount)
                value &= value - 1
            }
        }
    }

    /// The categories exposed for `customer`, or nil when the customer is not in this snapshot.
    public func categories(of customer: Int64) -> [String]? {
        position(of: customer).map(categories(at:))
    }

    /// Where `customer` is in `customers`, or nil when the customer is not in this snapshot.
    public func position(of customer: Int64) -> Int? {
        guard customer > Int64.min else { return nil }
        let index = index(after: customer - 1)
        return index < customers.count && customers[index] == customer ? index : nil
    }

    /// The customers from `start` (inclusive) on, at most `limit` of them, as a snapshot of their own.
    public func slice(from start: Int, limit: Int) -> ExposureSnapshot {
        guard start >= 0, start < customers.count, limit > 0 else {
            return ExposureSnapshot(categories: categories, customers: [], bits: [])
        }
        let end = start + min(limit, customers.count - start)
        return ExposureSnapshot(
            categories: categories,
            customers: Array(customers[start..<end]),
            bits: Array(bits[start * width..<end * width])
        )
    }

    /// The first index whose customer is greater than `customer`.
    public func index(after customer: Int64) -> Int {
        var low = 0
        var high = customers.count
        while low < high {
            let middle = (low + high) / 2
            if customers[middle] <= customer { low = middle + 1 } else { high = middle }
        }
        return low
    }
}

// MARK: - Building

extension ExposureSnapshot {
    /// Collects (customer, category) pairs in any order, duplicates allowed, and sorts them once at the end.
    public struct Builder: Sendable {
        private var index: [String: Int] = [:]
        private var names: [String] = []
        /// customer << 16 | category index: one word per pair, so the final sort moves integers only.
        private var keys: [UInt64] = []

        /// Internal customer ids must stay below 2^47 (they are database row ids, far below that).
        public static let maximumCustomer: Int64 = 1 << 47

        public init(expectedPairs: Int = 0) {
            keys.reserveCapacity(expectedPairs)
        }

        public struct TooLarge: Error, CustomStringConvertible {
            public let description: String
        }

        public mutating func add(customer: Int64, category: String) throws {
            try add(customer: customer, slot: try slot(for: category))
        }

        /// A number for `category`, for callers that add many pairs of a few categories (no lookup per pair).
        public mutating func slot(for category: String) throws -> Int {
            if let known = index[category] { return known }
            guard names.count < 0xFFFF else {
                throw TooLarge(description: "more than 65,535 data categories in one exposure")
            }
            index[category] = names.count
            names.append(category)
            return names.count - 1
        }

        /// `slot` must come from `slot(for:)` of this builder.
        public mutating func add(customer: Int64, slot: Int) throws {
            precondition(slot >= 0 && slot < names.count, "a slot of this builder")
            guard customer >= 0, customer < Self.maximumCustomer else {
                throw TooLarge(description: "customer id \(customer) is out of range")
            }
            keys.append(UInt64(customer) << 16 | UInt64(slot))
        }

        public func build() -> ExposureSnapshot {
            var keys = keys
            keys.sort()
            // Renumber the categories that occur into byte order (a slot asked for but never used is dropped).
            var used = [Bool](repeating: false, count: names.count)
            for key in keys { used[Int(key & 0xFFFF)] = true }
            let order = names.indices.filter { used[$0] }.sorted {
                names[$0].utf8.lexicographicallyPrecedes(names[$1].utf8)
            }
            var rank = [Int](repeating: 0, count: names.count)
            for (position, slot) in order.enumerated() { rank[slot] = position }
            let categories = order.map { names[$0] }
            let width = (categories.count + 7) / 8
            var customers: [Int64] = []
            var bits: [UInt8] = []
            for key in keys {
                let customer = Int64(key >> 16)
                if customers.last != customer {
                    customers.append(customer)
                    bits.append(contentsOf: repeatElement(0, count: width))
                }
                let j = rank[Int(key & 0xFFFF)]
                bits[bits.count - width + j / 8] |= 1 << UInt8(j % 8)
            }
            return ExposureSnapshot(categories: categories, customers: customers, bits: bits)
        }
    }
}

// MARK: - Chunks

extension ExposureSnapshot {
    /// A stored piece of a snapshot: a run of consecutive customers.
    public struct Chunk: Sendable, Equatable {
        public let firstCustomer: Int64
        public let lastCustomer: Int64
        public let customers: Int
        public let data: [UInt8]

        public init(firstCustomer: Int64, lastCustomer: Int64, customers: Int, data: [UInt8]) {
            self.firstCustomer = firstCustomer
            self.lastCustomer = lastCustomer
            self.customers = customers
            self.data = data
        }
    }

    public struct CorruptChunk: Error, CustomStringConvertible {
        public let description: String
    }

    /// Customers per chunk: about 16 KB each, so a page of 100 customers reads one or two chunks.
    public static let chunkSize = 4096
    static let format: UInt8 = 1

    /// Splits the snapshot into chunks of `size` customers. Format 1: a format byte; the category count and each
    /// category (length, UTF-8 bytes); the customer count; then per customer the difference from the previous
    /// id (the first from 0) and the customer's category bits; last, the first 8 bytes of the SHA-256 of all
    /// before, so a damaged chunk is refused rather than read as other customers. Numbers are unsigned LEB128
    /// varints, each in its shortest form.
    public func chunks(size: Int = chunkSize) -> [Chunk] {
        var result: [Chunk] = []
        var header: [UInt8] = [Self.format]
        Self.appendVarint(UInt64(categories.count), to: &header)
        for category in categories {
            Self.appendVarint(UInt64(category.utf8.count), to: &header)
            header.append(contentsOf: category.utf8)
        }
        for start in stride(from: 0, to: customers.count, by: max(1, size)) {
            let end = min(customers.count, start + max(1, size))
            var data = header
            data.reserveCapacity(header.count + (end - start) * (3 + width))
            Self.appendVarint(UInt64(end - start), to: &data)
            var previous: Int64 = 0
            for i in start..<end {
                Self.appendVarint(UInt64(customers[i] - previous), to: &data)
                previous = customers[i]
                data.append(contentsOf: bits[i * width..<(i + 1) * width])
            }
            data.append(contentsOf: Self.checksum(data[...]))
            result.append(
                Chunk(
                    firstCustomer: customers[start],
                    lastCustomer: customers[end - 1],
                    customers: end - start,
                    data: data
                )
            )
        }
        return result
    }

    /// Joins chunks read back in order (ascending customers) into one snapshot, checking each against its stored
    /// first and last customer and count. Chunks may list their categories differently (a future writer, a
    /// partial read): categories are matched by name. Every category any customer has is listed; a chunk read
    /// alone may also list categories none of its customers have.
    public static func decode(_ chunks: [Chunk]) throws -> ExposureSnapshot {
        let parsed = try chunks.map { chunk in
            let parsed = try parseChunk(chunk.data)
            guard parsed.customers.count == chunk.customers, parsed.customers.first == chunk.firstCustomer,
                parsed.customers.last == chunk.lastCustomer
            else {
                throw CorruptChunk(description: "exposure chunk does not hold the customers its row says")
            }
            return parsed
        }
        let categories = Set(parsed.flatMap(\.names)).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let position = Dictionary(uniqueKeysWithValues: categories.enumerated().map { ($0.element, $0.offset) })
        let width = (categories.count + 7) / 8
        var customers: [Int64] = []
        var bits: [UInt8] = []
        customers.reserveCapacity(parsed.reduce(0) { $0 + $1.customers.count })
        bits.reserveCapacity(customers.capacity * width)
        for chunk in parsed {
            guard chunk.customers.first.map({ $0 > customers.last ?? -1 }) ?? true else {
                throw CorruptChunk(description: "exposure chunk customers are not ascending")
            }
            customers.append(contentsOf: chunk.customers)
            if chunk.names == categories {
                bits.append(contentsOf: chunk.bits)
                continue
            }
            let map = chunk.names.map { position[$0]! }
            let chunkWidth = (chunk.names.count + 7) / 8
            for i in chunk.customers.indices {
                let base = bits.count
                bits.append(contentsOf: repeatElement(0, count: width))
                for byte in 0..<chunkWidth {
                    var value = chunk.bits[i * chunkWidth + byte]
                    while value != 0 {
                        let j = map[byte * 8 + value.trailingZeroBitCount]
                        bits[base + j / 8] |= 1 << UInt8(j % 8)
                        value &= value - 1
                    }
                }
            }
        }
        return ExposureSnapshot(categories: categories, customers: customers, bits: bits)
    }

    /// One chunk's categories, customers (checked ascending) and bits (checked to name only listed categories).
    private static func parseChunk(_ stored: [UInt8]) throws -> (names: [String], customers: [Int64], bits: [UInt8]) {
        guard stored.count > 8, checksum(stored.dropLast(8)).elementsEqual(stored.suffix(8)) else {
            throw CorruptChunk(description: "exposure chunk fails its checksum")
        }
        let data = Array(stored.dropLast(8))
        var reader = Reader(data: data)
        guard try reader.byte() == format else { throw CorruptChunk(description: "unknown exposure chunk format") }
        let categoryCount = try reader.count(limit: 0xFFFF)
        var names: [String] = []
        for _ in 0..<categoryCount {
            let length = try reader.count(limit: 1024)
            guard let name = String(validating: try reader.bytes(length), as: UTF8.self) else {
                throw CorruptChunk(description: "exposure chunk category is not UTF-8")
            }
            names.append(name)
        }
        guard Set(names).count == names.count,
            zip(names, names.dropFirst()).allSatisfy({ $0.utf8.lexicographicallyPrecedes($1.utf8) })
        else {
            throw CorruptChunk(description: "exposure chunk categories are not sorted and distinct")
        }
        let width = (categoryCount + 7) / 8
        // Each customer takes at least one byte of id and `width` of bits.
        let count = try reader.count(limit: reader.remaining / (1 + width))
        var customers: [Int64] = []
        var bits: [UInt8] = []
        customers.reserveCapacity(count)
        bits.reserveCapacity(count * width)
        // Bits past the last category in the last byte must be clear.
        let spare: UInt8 = categoryCount % 8 == 0 ? 0 : ~UInt8((1 << (categoryCount % 8)) - 1)
        var customer: Int64 = 0
        for index in 0..<count {
            let delta = try reader.varint()
            guard delta < UInt64(Builder.maximumCustomer), customer + Int64(delta) < Builder.maximumCustomer,
                index == 0 || delta > 0
            else {
                throw CorruptChunk(description: "exposure chunk customer ids are out of range or not ascending")
            }
            customer += Int64(delta)
            customers.append(customer)
            let row = try reader.bytes(width)
            if width > 0, row.last! & spare != 0 {
                throw CorruptChunk(description: "exposure chunk names a category it does not list")
            }
            guard row.contains(where: { $0 != 0 }) else {
                throw CorruptChunk(description: "exposure chunk has a customer with no category")
            }
            bits.append(contentsOf: row)
        }
        guard reader.atEnd else { throw CorruptChunk(description: "exposure chunk has trailing bytes") }
        return (names, customers, bits)
    }

    static func checksum(_ data: ArraySlice<UInt8>) -> [UInt8] {
        Array(SHA256.hash(data: data).prefix(8))
    }

    static func appendVarint(_ value: UInt64, to data: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            data.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        data.append(UInt8(value))
    }

    private struct Reader {
        let data: [UInt8]
        var offset = 0

        var atEnd: Bool { offset == data.count }
        var remaining: Int { data.count - offset }

        mutating func byte() throws -> UInt8 {
            guard offset < data.count else { throw CorruptChunk(description: "exposure chunk ends early") }
            defer { offset += 1 }
            return data[offset]
        }

        mutating func varint() throws -> UInt64 {
            var value: UInt64 = 0
            for shift in stride(from: 0, to: 64, by: 7) {
                let byte = try byte()
                // The tenth byte holds the 64th bit only; a last byte of 0 after others is a longer spelling.
                guard shift < 63 || byte <= 1, shift == 0 || byte != 0 else {
                    throw CorruptChunk(description: "exposure chunk has a malformed number")
                }
                value |= UInt64(byte & 0x7F) << UInt64(shift)
                if byte < 0x80 { return value }
            }
            throw CorruptChunk(description: "exposure chunk has an overlong number")
        }

        mutating func count(limit: Int) throws -> Int {
            let value = try varint()
            guard value <= UInt64(limit) else {
                throw CorruptChunk(description: "exposure chunk has an impossible count")
            }
            return Int(value)
        }

        mutating func bytes(_ count: Int) throws -> ArraySlice<UInt8> {
            guard count <= data.count - offset else { throw CorruptChunk(description: "exposure chunk ends early") }
            defer { offset += count }
            return data[offset..<offset + count]
        }
    }
}
