import KilpiCore

/// A fragment of HTML whose interpolated strings are escaped automatically.
///
/// `"<p>\(name)</p>" as HTML` escapes `name`; interpolating another `HTML` value inserts it as is. Markup can
/// only be built from literals in our code, so user data cannot inject tags or attributes.
public struct HTML: Sendable, ExpressibleByStringInterpolation, CustomStringConvertible {
    public private(set) var rendered: String

    public init(unsafeRaw: String) { rendered = unsafeRaw }
    public init(stringLiteral value: String) { rendered = value }
    public init(stringInterpolation: Interpolation) { rendered = stringInterpolation.output }

    public var description: String { rendered }

    public static let empty = HTML(unsafeRaw: "")

    public struct Interpolation: StringInterpolationProtocol {
        var output = ""
        public init(literalCapacity: Int, interpolationCount: Int) { output.reserveCapacity(literalCapacity * 2) }
        public mutating func appendLiteral(_ literal: String) { output += literal }
        public mutating func appendInterpolation(_ text: String) { output += HTML.escape(text) }
        public mutating func appendInterpolation(_ text: Substring) { output += HTML.escape(String(text)) }
        public mutating func appendInterpolation(_ value: Int) { output += String(value) }
        public mutating func appendInterpolation(_ value: Int64) { output += String(value) }
        public mutating func appendInterpolation(_ html: HTML) { output += html.rendered }
        public mutating func appendInterpolation(_ parts: [HTML]) { for part in parts { output += part.rendered } }
        public mutating func appendInterpolation(_ html: HTML?) { output += html?.rendered ?? "" }
    }

    /// Escapes the five characters that matter in text and in quoted attribute values.
    public static func escape(_ text: String) -> String { MarkupEscaping.escape(text) }

    public static func + (lhs: HTML, rhs: HTML) -> HTML { HTML(unsafeRaw: lhs.rendered + rhs.rendered) }
}

extension Array where Element == HTML {
    public func joined() -> HTML { HTML(unsafeRaw: map(\.rendered).joined()) }
}
