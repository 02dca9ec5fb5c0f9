import KilpiCore

/// A bounce file that cannot be read at all. Its content never makes an error: each message is reported in its
/// own ``BounceRecord``, so one broken bounce does not hide the others.
public struct BounceFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file as it was named on the command line.
    public let path: String
    public let message: LocalizedMessage

    public init(path: String, reason: LocalizedMessage) {
        self.path = path
        self.message = reason
    }

    /// `path: reason`, in English.
    public var description: String { description(in: .en) }

    public func description(in language: Language) -> String { "\(path): \(message.text(language))" }
}

extension BounceFileError {
    static func noSuchFile(_ path: String) -> BounceFileError {
        BounceFileError(path: path, reason: .l("no such file", "tiedostoa ei ole"))
    }

    static func isADirectory(_ path: String) -> BounceFileError {
        BounceFileError(path: path, reason: .l("is a directory", "on hakemisto"))
    }

    static func cannotBeOpened(_ path: String) -> BounceFileError {
        BounceFileError(
            path: path,
            reason: .l("cannot be opened (check its permissions)", "ei aukea (tarkista sen käyttöoikeudet)")
        )
    }

    static func readFailed(_ path: String, detail: String) -> BounceFileError {
        BounceFileError(path: path, reason: .l("read failed (\(detail))", "lukeminen epäonnistui (\(detail))"))
    }
}
