import HTTPTypes
import Hummingbird

/// The languages of the user interface. Every string has both, so adding a page cannot forget one.
public enum Language: String, Sendable, CaseIterable {
    case en, fi

    public var name: String {
        switch self {
        case .en: "English"
        case .fi: "Suomi"
        }
    }

    /// From `?lang=`, then the `kilpi_lang` cookie, then `Accept-Language`, then English.
    static func negotiate(_ request: Request) -> Language {
        if let query = request.uri.queryParameters.get("lang"), let language = Language(rawValue: query) {
            return language
        }
        if let cookie = request.cookies["kilpi_lang"]?.value, let language = Language(rawValue: cookie) {
            return language
        }
        if let accept = request.headers[.acceptLanguage] {
            for part in accept.split(separator: ",") {
                let tag = part.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
                if let language = Language(rawValue: String(tag.prefix(2))) { return language }
            }
        }
        return .en
    }
}
