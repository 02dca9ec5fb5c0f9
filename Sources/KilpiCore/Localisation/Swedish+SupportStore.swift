// Swedish for the support channel's use cases in KilpiStore (links, reference-code access, inquiries, the contact
// form's verification). A first translation, awaiting native review like the rest of `Swedish.swift`; the same
// rules apply (the key is the English as the source writes it, templates as raw strings).
// `MessageCatalogue.swedish` merges it in.

extension Swedish {
    static let supportStoreMessages: [String: String] = [
        #"an inquiry that is \(from) cannot become \(to)"#: #"en fråga som är \(from) kan inte bli \(to)"#,
        #"at most \(maximum) characters (this has \(cleaned.count))"#:
            #"högst \(maximum) tecken (här finns \(cleaned.count))"#,
        #"inquiry \(id) does not exist"#: #"frågan \(id) finns inte"#,
        #"link \(linkID) does not exist"#: #"länken \(linkID) finns inte"#,
        #"notice \(missing) does not exist"#: #"meddelandet \(missing) finns inte"#,
        #"staff member \(assigneeID) does not exist or is disabled"#:
            #"medarbetaren \(assigneeID) finns inte eller är avstängd"#,
        "that code has expired: ask for a new one": "koden har gått ut: be om en ny",
        "that code is not right: check the code in the email we sent":
            "koden är inte rätt: kontrollera koden i e-postmeddelandet vi skickade",
        "that code was used already: ask for a new one": "koden har redan använts: be om en ny",
        "that does not look like an email address": "det ser inte ut som en e-postadress",
        "too many attempts: wait a few minutes and try again": "för många försök: vänta några minuter och försök igen",
        "too many wrong codes: ask for a new one": "för många felaktiga koder: be om en ny",
        "write your message": "skriv ditt meddelande",
    ]
}
