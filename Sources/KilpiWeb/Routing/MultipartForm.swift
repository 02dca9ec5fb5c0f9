import Foundation

/// A minimal `multipart/form-data` reader (RFC 7578) for console uploads: named parts with their bytes.
/// Enough for a form with a few text fields and one file; rejects anything malformed with a clear message.
struct MultipartForm {
    struct Part {
        let name: String
        let filename: String?
        let data: Data
        var text: String? { String(data: data, encoding: .utf8) }
    }

    let parts: [Part]

    subscript(_ name: String) -> Part? { parts.first { $0.name == name } }

    /// Every text value sent under `name` (checkbox groups send one part per ticked box).
    func values(_ name: String) -> [String] { parts.filter { $0.name == name }.compactMap(\.text) }

    static func boundary(fromContentType contentType: String) -> String? {
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].lowercased() == "boundary" else { continue }
            let value = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            return (1...70).contains(value.count) ? value : nil
        }
        return nil
    }

    init(data: Data, boundary: String) throws(FormError) {
        let delimiter = Data("--\(boundary)".utf8)
        let crlf = Data("\r\n".utf8)
        guard let first = data.range(of: delimiter) else { throw FormError("the upload is not multipart/form-data") }
        var parts: [Part] = []
        var cursor = first.upperBound
        while true {
            // After a delimiter: "--" ends the body, CRLF starts a part.
            if data[cursor...].starts(with: Data("--".utf8)) { break }
            guard data[cursor...].starts(with: crlf) else { throw FormError("malformed multipart body") }
            cursor += 2
            guard let headerEnd = data.range(of: Data("\r\n\r\n".utf8), in: cursor..<data.endIndex) else {
                throw FormError("malformed multipart part headers")
            }
            let headers = String(decoding: data[cursor..<headerEnd.lowerBound], as: UTF8.self)
            guard let next = data.range(of: crlf + delimiter, in: headerEnd.upperBound..<data.endIndex) else {
                throw FormError("the upload was cut off")
            }
            let body = data[headerEnd.upperBound..<next.lowerBound]
            var name: String?
            var filename: String?
            for line in headers.split(separator: "\r\n") where line.lowercased().hasPrefix("content-disposition:") {
                name = Self.parameter("name", in: String(line))
                filename = Self.parameter("filename", in: String(line))
            }
            guard let name else { throw FormError("a multipart part has no name") }
            parts.append(Part(name: name, filename: filename, data: Data(body)))
            cursor = next.upperBound
        }
        self.parts = parts
    }

    private static func parameter(_ key: String, in line: String) -> String? {
        for piece in line.split(separator: ";") {
            let pair = piece.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            if pair.count == 2, pair[0] == key {
                return pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
        }
        return nil
    }
}
