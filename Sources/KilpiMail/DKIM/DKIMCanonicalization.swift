/// The "relaxed" canonicalisations of RFC 6376 §3.4.2 and §3.4.4, which survive the whitespace and folding
/// changes relays make (the "simple" ones break on the first re-folded header).
enum DKIMCanonicalization {
    static let crlf: [UInt8] = [0x0D, 0x0A]

    static func isWhitespace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }

    /// `name:value` with the name lowercased, the value unfolded, whitespace runs made one space and the
    /// whitespace at both ends of the value removed. No CRLF is added.
    static func header(_ field: ArraySlice<UInt8>) -> [UInt8] {
        guard let colon = field.firstIndex(of: UInt8(ascii: ":")) else { return Array(field) }
        var output: [UInt8] = []
        output.reserveCapacity(field.count)
        for byte in field[..<colon] where !isWhitespace(byte) {
            output.append((UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 0x20 : byte)
        }
        output.append(UInt8(ascii: ":"))
        var pendingSpace = false
        var started = false
        for byte in field[(colon + 1)...] where byte != 0x0D && byte != 0x0A {
            if isWhitespace(byte) {
                pendingSpace = true
            } else {
                // Whitespace right after the colon is dropped, not made one space.
                if pendingSpace, started { output.append(0x20) }
                started = true
                pendingSpace = false
                output.append(byte)
            }
        }
        return output
    }

    /// Each line's whitespace runs made one space and trailing whitespace removed, empty lines at the end
    /// removed, and a final CRLF when anything is left (an empty body stays empty).
    static func body(_ body: ArraySlice<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(body.count)
        var emptyLines = 0
        var line: [UInt8] = []
        var pendingSpace = false
        var index = body.startIndex
        while index < body.endIndex {
            let byte = body[index]
            if byte == 0x0D, body.index(after: index) < body.endIndex, body[body.index(after: index)] == 0x0A {
                if line.isEmpty {
                    emptyLines += 1
                } else {
                    for _ in 0..<emptyLines { output += crlf }
                    emptyLines = 0
                    output += line
                    output += crlf
                    line.removeAll(keepingCapacity: true)
                }
                pendingSpace = false
                index = body.index(index, offsetBy: 2)
                continue
            }
            if isWhitespace(byte) {
                pendingSpace = true
            } else {
                if pendingSpace { line.append(0x20) }
                pendingSpace = false
                line.append(byte)
            }
            index = body.index(after: index)
        }
        // A last line without CRLF still counts as a line.
        if !line.isEmpty {
            for _ in 0..<emptyLines { output += crlf }
            output += line
            output += crlf
        }
        return output
    }
}
