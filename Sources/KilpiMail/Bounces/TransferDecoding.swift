/// Content-Transfer-Encoding decoders for reading returned mail (RFC 2045 §6). Lenient, as a reader of other
/// systems' output must be: characters outside the alphabet are skipped, a missing "=" pad or a broken "=" escape
/// is kept as written, nothing throws.
enum TransferDecoding {
    /// The body bytes of a part whose `Content-Transfer-Encoding` is `encoding` (7bit, 8bit, binary and unknown
    /// encodings are returned as they are).
    static func decode(_ body: ArraySlice<UInt8>, encoding: String?) -> [UInt8] {
        switch encoding?.lowercased() {
        case "base64": base64(body)
        case "quoted-printable": quotedPrintable(body)
        default: Array(body)
        }
    }

    static func base64(_ input: ArraySlice<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(input.count / 4 * 3)
        var accumulator: UInt32 = 0
        var count = 0
        for byte in input {
            let value: UInt8
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): value = byte - UInt8(ascii: "A")
            case UInt8(ascii: "a")...UInt8(ascii: "z"): value = byte - UInt8(ascii: "a") + 26
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = byte - UInt8(ascii: "0") + 52
            case UInt8(ascii: "+"): value = 62
            case UInt8(ascii: "/"): value = 63
            default: continue  // line breaks, padding, anything else
            }
            accumulator = accumulator << 6 | UInt32(value)
            count += 1
            if count == 4 {
                output.append(UInt8(truncatingIfNeeded: accumulator >> 16))
                output.append(UInt8(truncatingIfNeeded: accumulator >> 8))
                output.append(UInt8(truncatingIfNeeded: accumulator))
                accumulator = 0
                count = 0
            }
        }
        // A last group of 2 or 3 characters carries 1 or 2 bytes (its "=" pads were skipped or are missing).
        if count == 2 {
            output.append(UInt8(truncatingIfNeeded: accumulator >> 4))
        } else if count == 3 {
            output.append(UInt8(truncatingIfNeeded: accumulator >> 10))
            output.append(UInt8(truncatingIfNeeded: accumulator >> 2))
        }
        return output
    }

    static func quotedPrintable(_ input: ArraySlice<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(input.count)
        var index = input.startIndex
        while index < input.endIndex {
            let byte = input[index]
            guard byte == UInt8(ascii: "=") else {
                output.append(byte)
                index += 1
                continue
            }
            // A soft line break: "=" then optional trailing whitespace, then LF (CR already removed or present).
            var probe = index + 1
            while probe < input.endIndex, input[probe] == 0x20 || input[probe] == 0x09 || input[probe] == 0x0D {
                probe += 1
            }
            if probe == input.endIndex || input[probe] == 0x0A {
                index = probe == input.endIndex ? probe : probe + 1
                continue
            }
            if index + 2 < input.endIndex, let high = hexValue(input[index + 1]),
                let low = hexValue(input[index + 2])
            {
                output.append(high << 4 | low)
                index += 3
            } else {
                output.append(byte)
                index += 1
            }
        }
        return output
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}
