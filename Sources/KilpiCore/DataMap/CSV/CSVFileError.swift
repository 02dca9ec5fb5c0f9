/// A CSV file that could not be read at all, as opposed to one whose content is wrong (``CSVError``).
public struct CSVFileError: Error, Equatable, Sendable, CustomStringConvertible {
    public let path: String
    public let reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path): \(reason)" }
}
