import Foundation
import Hummingbird
import KilpiCore

/// A parsed `application/x-www-form-urlencoded` body.
public struct FormData: Sendable {
    private var fields: [String: [String]] = [:]

    public init(fields: [String: [String]] = [:]) { self.fields = fields }

    public init(parsing body: String) throws(FormError) {
        for pair in body.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(parts[0]) else {
                throw FormError(
                    .l("the form body is not valid URL encoding", "lomakkeen sisältö ei ole kelvollista URL-koodausta")
                )
            }
            guard let value = parts.count > 1 ? Self.decode(parts[1]) : "" else {
                throw FormError(.l("\(name): not valid URL encoding", "\(name): ei kelvollista URL-koodausta"))
            }
            fields[name, default: []].append(value)
        }
    }

    /// The first value of `name`, trimmed of surrounding whitespace unless `trim` is false (passwords).
    public subscript(_ name: String, trim trim: Bool = true) -> String? {
        guard let value = fields[name]?.first else { return nil }
        return trim ? value.trimmingCharacters(in: .whitespacesAndNewlines) : value
    }

    public func values(_ name: String) -> [String] { fields[name] ?? [] }

    private static func decode(_ text: Substring) -> String? {
        String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }

    static func read(_ request: Request, context: KilpiRequestContext) async throws -> FormData {
        var request = request
        let buffer = try await request.collectBody(upTo: context.maxUploadSize)
        guard let body = buffer.getString(at: buffer.readerIndex, length: buffer.readableBytes, encoding: .utf8) else {
            throw FormError(.l("the form body is not UTF-8 text", "lomakkeen sisältö ei ole UTF-8-tekstiä"))
        }
        return try FormData(parsing: body)
    }
}

/// A form body that could not be read; the message is shown in the reader's language (`message.text(_:)`).
public struct FormError: Error, CustomStringConvertible {
    public let message: LocalizedMessage
    init(_ message: LocalizedMessage) { self.message = message }
    public var description: String { message.en }
}
