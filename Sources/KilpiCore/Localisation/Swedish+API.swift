// Swedish for the JSON API's input errors (`JSONSchema` and `APIBody` in KilpiWeb): what a body or query parameter
// breaks. A first translation, awaiting native review like the rest of `Swedish.swift`; the same rules apply (the
// key is the English as the source writes it, templates as raw strings). `MessageCatalogue.swedish` merges it in.

extension Swedish {
    static let apiMessages: [String: String] = [
        "must not be null": "får inte vara null",
        #"must be at least \(minLength) characters"#: #"måste vara minst \(minLength) tecken"#,
        #"must be at most \(maxLength) characters"#: #"får vara högst \(maxLength) tecken"#,
        #"must be at least \(minimum)"#: #"måste vara minst \(minimum)"#,
        #"must be at most \(maximum)"#: #"får vara högst \(maximum)"#,
        #"must be one of \(list)"#: #"måste vara en av \(list)"#,
        "is required": "krävs",
        #"is not a field here; use \(names)"#: #"är inget fält här; använd \(names)"#,
        "must be a string": "måste vara en sträng",
        "must be an integer": "måste vara ett heltal",
        "must be a number": "måste vara ett tal",
        "must be true or false": "måste vara true eller false",
        "must be an array": "måste vara en lista",
        "must be an object": "måste vara ett objekt",
        "is not valid": "är inte giltigt",
        "must be an ISO 8601 time with a zone, e.g. 2026-11-25T08:00:00Z":
            "måste vara en ISO 8601-tid med tidszon, t.ex. 2026-11-25T08:00:00Z",
        "must be a day, YYYY-MM-DD": "måste vara en dag, ÅÅÅÅ-MM-DD",
        "must be an email address": "måste vara en e-postadress",
        "must be a URI": "måste vara en URI",
        "The body is not valid JSON.": "Innehållet är inte giltig JSON.",
        "give it once": "ange den bara en gång",
        // The console's refusal to revoke a protected token.
        #"Token \(id) is protected: only kilpi token revoke \(id) on the server revokes it."#:
            #"Token \(id) är skyddad: bara kilpi token revoke \(id) på servern återkallar den."#,
    ]
}
