import Foundation

/// An IPv4 or IPv6 address as its bytes (4 or 16), parsed strictly from text.
///
/// IPv4-mapped IPv6 addresses (`::ffff:192.0.2.1`) are read as the IPv4 address they carry, so one client is
/// one address whichever way the socket reports it.
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    /// 4 bytes for IPv4, 16 for IPv6.
    public let bytes: [UInt8]

    public var isIPv4: Bool { bytes.count == 4 }

    public init?(_ text: some StringProtocol) {
        let text = String(text)
        if let v4 = Self.parseIPv4(text) {
            bytes = v4
        } else if let v6 = Self.parseIPv6(text) {
            if v6[0..<10].allSatisfy({ $0 == 0 }) && v6[10] == 0xff && v6[11] == 0xff {
                bytes = Array(v6[12..<16])
            } else {
                bytes = v6
            }
        } else {
            return nil
        }
    }

    init(bytes: [UInt8]) { self.bytes = bytes }

    public var description: String {
        if isIPv4 { return bytes.map(String.init).joined(separator: ".") }
        return Self.formatIPv6(bytes)
    }

    /// The key sign-in throttling counts under: an IPv4 client is its address; an IPv6 client is its /64,
    /// since one subscriber is usually given a whole /64 and can pick any address in it.
    public var throttleKey: String {
        if isIPv4 { return description }
        return Self.formatIPv6(Array(bytes[0..<8]) + Array(repeating: 0, count: 8)) + "/64"
    }

    /// The throttle key of `text` when it is an address; other text (an unknown peer) is used as it is.
    public static func throttleKey(for text: String) -> String {
        IPAddress(text)?.throttleKey ?? text
    }

    // MARK: - Parsing

    private static func parseIPv4(_ text: String) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var result: [UInt8] = []
        for part in parts {
            // Decimal only, no leading zeros (some parsers read "010" as octal), at most 255.
            guard (1...3).contains(part.count), part.allSatisfy({ $0.isASCII && $0.isNumber }),
                part.count == 1 || part.first != "0", let value = UInt8(part)
            else { return nil }
            result.append(value)
        }
        return result
    }

    private static func parseIPv6(_ text: String) -> [UInt8]? {
        guard text.count <= 45, text.contains(":") else { return nil }
        var head: [UInt16] = []
        var tail: [UInt16] = []
        var trailingIPv4: [UInt8]?
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func groups(_ part: String, allowIPv4: Bool) -> [UInt16]? {
            if part.isEmpty { return [] }
            var fields = part.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            if allowIPv4, let last = fields.last, last.contains(".") {
                guard let v4 = parseIPv4(last) else { return nil }
                trailingIPv4 = v4
                fields.removeLast()
            }
            var values: [UInt16] = []
            for field in fields {
                guard (1...4).contains(field.count), field.allSatisfy(\.isHexDigit),
                    let value = UInt16(field, radix: 16)
                else { return nil }
                values.append(value)
            }
            return values
        }
        if halves.count == 2 {
            guard let h = groups(halves[0], allowIPv4: false), let t = groups(halves[1], allowIPv4: true) else {
                return nil
            }
            head = h
            tail = t
        } else {
            guard let h = groups(halves[0], allowIPv4: true) else { return nil }
            head = h
        }
        let v4Groups = trailingIPv4 == nil ? 0 : 2
        let count = head.count + tail.count + v4Groups
        if halves.count == 2 {
            guard count <= 7 else { return nil }
        } else {
            guard count == 8 else { return nil }
        }
        let zeros = halves.count == 2 ? 8 - count : 0
        let all = head + Array(repeating: 0, count: zeros) + tail
        var bytes: [UInt8] = []
        for group in all { bytes += [UInt8(group >> 8), UInt8(group & 0xff)] }
        if let trailingIPv4 { bytes += trailingIPv4 }
        return bytes.count == 16 ? bytes : nil
    }

    /// RFC 5952 form: lower case, no leading zeros, the longest run of two or more zero groups as `::`.
    private static func formatIPv6(_ bytes: [UInt8]) -> String {
        let groups = (0..<8).map { UInt16(bytes[2 * $0]) << 8 | UInt16(bytes[2 * $0 + 1]) }
        var best: (start: Int, length: Int) = (-1, 0)
        var index = 0
        while index < 8 {
            if groups[index] == 0 {
                var end = index
                while end < 8 && groups[end] == 0 { end += 1 }
                if end - index > best.length { best = (index, end - index) }
                index = end
            } else {
                index += 1
            }
        }
        let hex = groups.map { String($0, radix: 16) }
        guard best.length >= 2 else { return hex.joined(separator: ":") }
        let left = hex[0..<best.start].joined(separator: ":")
        let right = hex[(best.start + best.length)...].joined(separator: ":")
        return left + "::" + right
    }
}

/// A block of addresses such as `10.0.0.0/8` or `2001:db8::/32`; a bare address is its own /32 or /128.
public struct CIDR: Sendable, Hashable, CustomStringConvertible {
    public let network: IPAddress
    public let prefixLength: Int

    public struct ParseError: Error, CustomStringConvertible, Equatable {
        public let description: String
    }

    /// Parses `text`; the error says what is wrong with it (callers add which flag or field it came from).
    public init(parsing text: String) throws(ParseError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let parts = trimmed.split(separator: "/", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let address = IPAddress(parts[0]) else {
            throw ParseError(description: "\"\(text)\" is not an IPv4 or IPv6 address or CIDR block (like 10.0.0.0/8)")
        }
        let maximum = address.isIPv4 ? 32 : 128
        var length = maximum
        if parts.count == 2 {
            guard (1...3).contains(parts[1].count), parts[1].allSatisfy({ $0.isASCII && $0.isNumber }),
                let value = Int(parts[1]), value <= maximum
            else {
                throw ParseError(
                    description: "\"\(text)\" has a prefix length that is not a number from 0 to \(maximum)"
                )
            }
            length = value
        }
        // The host bits are cleared, so 10.1.2.3/8 means 10.0.0.0/8 (as routers read it).
        self.network = IPAddress(bytes: Self.masked(address.bytes, length))
        self.prefixLength = length
    }

    public func contains(_ address: IPAddress) -> Bool {
        guard address.bytes.count == network.bytes.count else { return false }
        return Self.masked(address.bytes, prefixLength) == network.bytes
    }

    public var description: String { "\(network)/\(prefixLength)" }

    private static func masked(_ bytes: [UInt8], _ length: Int) -> [UInt8] {
        bytes.enumerated().map { index, byte in
            let bits = min(max(length - index * 8, 0), 8)
            return bits == 8 ? byte : byte & ~(UInt8(0xff) >> bits)
        }
    }
}
