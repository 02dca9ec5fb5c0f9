import Foundation
import Hummingbird
import KilpiCore

/// Reads a JSON request body strictly: it must be JSON, and it must conform to the schema of the type it is
/// decoded into (the same schema the OpenAPI document shows): no unknown field, no wrong type, no `null` where a
/// value is expected, no value outside its enum. Anything else is a 400 naming the field, before a handler sees it.
enum APIBody {
    static func decode<T: Decodable>(
        _ type: T.Type,
        _ request: Request,
        _ context: KilpiRequestContext
    ) async throws -> T {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: context.maxUploadSize)
        } catch let error as any HTTPResponseError {
            throw APIError(error)
        }
        return try decode(type, from: Data(buffer.readableBytesView), language: context.language)
    }

    static func decode<T: Decodable>(_ type: T.Type, from data: Data, language: Language) throws -> T {
        guard let value = JSONValue.parse(data) else {
            throw APIError(
                .badRequest,
                .invalidBody,
                LocalizedMessage.l("The body is not valid JSON.", "Pyynnön sisältö ei ole kelvollista JSONia.").text(
                    language
                )
            )
        }
        let violations = SchemaProbe.schema(of: T.self).violations(of: value)
        guard violations.isEmpty else { throw APIError.invalidBody(violations, language: language) }
        do {
            return try decoder.decode(T.self, from: data)
        } catch {
            // The schema check passed, so this is a value the schema cannot express; name where it is.
            var path = ""
            if case .dataCorrupted(let context) = error as? DecodingError {
                path = context.codingPath.map(\.stringValue).joined(separator: ".")
            }
            let invalid = LocalizedMessage.l("is not valid", "ei kelpaa").text(language)
            throw APIError(
                .badRequest,
                .invalidBody,
                path.isEmpty ? invalid : "\(path): \(invalid)",
                field: path.isEmpty ? nil : path
            )
        }
    }

    /// Times are read by the console's parser (`IncidentInput.parseTime`), so both accept the same texts.
    static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = DateTimeFormat.parse(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an ISO 8601 time")
            }
            return date
        }
        return decoder
    }
}

/// A query parameter of an API route: its name, its schema (integer, date or string with limits) and what it
/// does. The OpenAPI document lists these, and `APIQuery.read` holds every request to them.
struct QueryParameter: Sendable {
    let name: String
    let schema: JSONSchema
    let description: String
}

/// A request's query parameters, checked against the route's `QueryParameter`s: a value that breaks its schema
/// (`until=null`, `limit=0`, `before=x`) is a 400 naming the parameter. Parameters the route does not declare are
/// ignored, as HTTP caches and proxies may add some.
struct APIQuery {
    private let strings: [String: String]

    static func read(
        _ request: Request,
        _ parameters: [QueryParameter],
        language: Language
    ) throws -> APIQuery {
        let query = request.uri.queryParameters
        var strings: [String: String] = [:]
        for parameter in parameters {
            let values = query.getAll(parameter.name)
            guard let text = values.first else { continue }
            guard values.count == 1 else {
                throw APIError.invalidParameter(
                    parameter.name,
                    .l("give it once", "anna se vain kerran"),
                    language: language
                )
            }
            let value: JSONValue
            switch parameter.schema {
            case .integer:
                guard let number = Int64(text) else {
                    throw APIError.invalidParameter(parameter.name, parameter.schema.expectation, language: language)
                }
                value = .integer(number)
            default:
                value = .string(text)
            }
            if let violation = parameter.schema.violations(of: value).first {
                throw APIError.invalidParameter(parameter.name, violation.message, language: language)
            }
            strings[parameter.name] = text
        }
        return APIQuery(strings: strings)
    }

    func string(_ name: String) -> String? { strings[name] }
    func integer(_ name: String) -> Int64? { strings[name].flatMap { Int64($0) } }
    func day(_ name: String) -> Date? { strings[name].flatMap(DateTimeFormat.day) }
}

extension RouteRegistry {
    /// An API route whose handler throws `APIError` (or any `HTTPResponseError`, answered in the API's shape)
    /// rather than building error responses itself.
    func api(_ route: Route, _ handler: @escaping PageHandler) {
        precondition(route.template.hasPrefix("/api/"), "\(route) is not an API route")
        page(route) { request, context in
            do {
                return try await handler(request, context)
            } catch let error as APIError {
                return error.response()
            } catch let error as any HTTPResponseError where error.status.code < 500 {
                // A failure (5xx) goes on to the registry, which logs it before answering in the API's shape.
                return APIError(error).response()
            }
        }
    }

    /// `api(_:_:)` for a route with one path parameter, handed to the handler typed (see `PathParameter`); a
    /// value that does not parse is a 404.
    func api<A>(
        _ route: Route,
        _ a: PathParameter<A>,
        _ handler: @escaping @Sendable (Request, KilpiRequestContext, A) async throws -> Response
    ) {
        precondition(route.template.hasPrefix("/api/"), "\(route) is not an API route")
        page(route, a) { request, context, value in
            do {
                return try await handler(request, context, value)
            } catch let error as APIError {
                return error.response()
            } catch let error as any HTTPResponseError where error.status.code < 500 {
                // A failure (5xx) goes on to the registry, which logs it before answering in the API's shape.
                return APIError(error).response()
            }
        }
    }
}
