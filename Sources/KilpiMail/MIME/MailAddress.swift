/// One mailbox: an address and the name shown with it. Addresses are ASCII only for now; internationalised
/// addresses (SMTPUTF8) and IDN domains would need the relay's consent and are refused, not mangled.
public struct MailAddress: Sendable, Hashable {
    public let address: String
    public let displayName: String?

    public init(_ address: String, displayName: String? = nil) {
        self.address = address
        self.displayName = displayName
    }

    /// The domain part, for the Message-ID and the bounce address.
    var domain: Substring {
        address[address.index(after: address.lastIndex(of: "@") ?? address.startIndex)...]
    }

    /// Checks the address as RFC 5321 and 5322 can carry it without quoting: a dot-atom local part (at most 64
    /// octets) and a hostname. Quoted local parts are legal but rare and a classic parser-confusion vector.
    public func validated(field: String) throws(MailMessageError) -> MailAddress {
        let parts = address.utf8.split(separator: UInt8(ascii: "@"), omittingEmptySubsequences: false)
        guard address.utf8.count <= 254, parts.count == 2, (1...64).contains(parts[0].count),
            Self.isDotAtom(parts[0]), Self.isHostname(parts[1])
        else {
            if address.unicodeScalars.contains(where: \.properties.isControlLike) {
                throw .controlCharacter(field)
            }
            throw .invalidAddress(field)
        }
        if let displayName, displayName.unicodeScalars.contains(where: \.properties.isControlLike) {
            throw .controlCharacter(field)
        }
        return self
    }

    /// RFC 5322 atext and single dots between atoms.
    static func isDotAtom(_ bytes: some Collection<UInt8>) -> Bool {
        let atoms = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        return atoms.allSatisfy { atom in !atom.isEmpty && atom.allSatisfy(isAtext) }
    }

    static func isAtext(_ byte: UInt8) -> Bool {
        isAlphanumeric(byte) || "!#$%&'*+-/=?^_`{|}~".utf8.contains(byte)
    }

    static func isHostnameByte(_ byte: UInt8) -> Bool { isAlphanumeric(byte) || byte == UInt8(ascii: "-") }

    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default: false
        }
    }

    /// Dot-separated labels of letters, digits and hyphens (no leading or trailing hyphen), at least two labels.
    static func isHostname(_ bytes: some BidirectionalCollection<UInt8>) -> Bool {
        let labels = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard labels.count >= 2, bytes.count <= 253 else { return false }
        return labels.allSatisfy { label in
            guard (1...63).contains(label.count), label.first != UInt8(ascii: "-"), label.last != UInt8(ascii: "-")
            else { return false }
            return label.allSatisfy(isHostnameByte)
        }
    }
}

extension Unicode.Scalar.Properties {
    /// C0 and C1 controls and DEL, plus the Unicode line and paragraph separators some clients break lines on.
    var isControlLike: Bool {
        generalCategory == .control || generalCategory == .lineSeparator || generalCategory == .paragraphSeparator
    }
}
