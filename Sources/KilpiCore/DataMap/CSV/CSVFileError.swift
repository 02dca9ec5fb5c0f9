/// A CSV file that could not be read at all, as opposed to one whose content is wrong (``CSVError``).
public struct CSVFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file as it was named (a path, or "standard input"): kept as written.
    public let path: String
    public let message: LocalizedMessage

    public init(path: String, reason: LocalizedMessage) {
        self.path = path
        self.message = reason
    }

    /// The reason in English.
    public var reason: String { message.en }
    /// The reason for a reader of `language`.
    public func reason(in language: Language) -> String { message.text(language) }

    /// `path: reason`, in English (as the command line prints it).
    public var description: String { description(in: .en) }
    /// `path: reason` for a reader of `language`.
    public func description(in language: Language) -> String { "\(path): \(reason(in: language))" }
}

extension CSVFileError {
    public static func noSuchFile(_ path: String) -> CSVFileError {
        CSVFileError(path: path, reason: .l("no such file", "tiedostoa ei ole"))
    }

    public static func isADirectory(_ path: String) -> CSVFileError {
        CSVFileError(path: path, reason: .l("is a directory", "on hakemisto"))
    }

    public static func cannotBeOpened(_ path: String) -> CSVFileError {
        CSVFileError(
            path: path,
            reason: .l("cannot be opened (check its permissions)", "ei aukea (tarkista sen käyttöoikeudet)")
        )
    }

    /// A read that failed part-way; `detail` is the system's own (English) explanation, when there is one.
    public static func readFailed(_ path: String, detail: String? = nil) -> CSVFileError {
        guard let detail else { return CSVFileError(path: path, reason: .l("read failed", "lukeminen epäonnistui")) }
        return CSVFileError(path: path, reason: .l("read failed (\(detail))", "lukeminen epäonnistui (\(detail))"))
    }
}
