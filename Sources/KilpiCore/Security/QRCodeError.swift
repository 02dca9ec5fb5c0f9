/// Why a QR code could not be made.
public struct QRCodeError: Error, Equatable, Sendable, CustomStringConvertible {
    private enum Code: Equatable, Sendable {
        case dataTooLong
    }

    private let code: Code

    /// The text does not fit in the largest QR code (version 40) at error correction level M.
    public static let dataTooLong = QRCodeError(code: .dataTooLong)

    public var description: String {
        switch code {
        case .dataTooLong: "text too long for a QR code"
        }
    }
}
