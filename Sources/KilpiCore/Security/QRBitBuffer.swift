/// Bits appended most significant first and read back as bytes: how QR data streams are written.
struct QRBitBuffer: Sendable {
    private(set) var count = 0
    private(set) var bytes: [UInt8] = []

    /// Appends the low `count` bits of `value`, most significant first.
    mutating func append(_ value: Int, count bitCount: Int) {
        for shift in stride(from: bitCount - 1, through: 0, by: -1) {
            if count % 8 == 0 { bytes.append(0) }
            if (value >> shift) & 1 == 1 {
                bytes[bytes.count - 1] |= 0x80 >> UInt8(count % 8)
            }
            count += 1
        }
    }
}
