import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

extension Response {
    static func html(_ html: HTML, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status,
            headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: html.rendered))
        )
    }

    static func text(
        _ text: String,
        contentType: String = "text/plain; charset=utf-8",
        status: HTTPResponse.Status = .ok
    ) -> Response {
        Response(
            status: status,
            headers: [.contentType: contentType],
            body: .init(byteBuffer: ByteBuffer(string: text))
        )
    }

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let data = try encoder.encode(value)
        return Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: data))
        )
    }

    /// The API's one error shape, `{"error": {"code": "...", "message": "..."}}` (`field` names the bad input), for
    /// code that builds a response rather than throwing `APIError`; `code` must be one of `APIError.Code`.
    static func apiError(_ status: HTTPResponse.Status, code: String, message: String, field: String? = nil) -> Response
    {
        let known = APIError.Code(rawValue: code)
        assert(known != nil, "\(code) is not an APIError.Code: the document would not describe it")
        return APIError(status, known ?? .internal, message, field: field).response()
    }
}
