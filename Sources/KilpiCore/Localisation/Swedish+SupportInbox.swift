// Swedish for the staff side of the support channel (the inbox, its FAQ and canned answers, the link check on
// replies, the support API). A first translation, awaiting native review like the rest of `Swedish.swift`; the
// same rules apply (the key is the English as the source writes it, templates as raw strings).
// `MessageCatalogue.swedish` merges it in.

extension Swedish {
    static let supportInboxMessages: [String: String] = [
        // MARK: Answers (KilpiStore)
        #"answer \(id) does not exist"#: #"svaret \(id) finns inte"#,
        "remove the control characters": "ta bort styrtecknen",
        "write the question": "skriv frågan",
        "write the answer": "skriv svaret",
        #"use a whole number from 0 to \(maximumPosition)"#: #"använd ett heltal från 0 till \(maximumPosition)"#,

        // MARK: Links in replies
        "a link has no host: write it as https://example.com/…":
            "en länk saknar värd: skriv den som https://example.com/…",
        "a link has a name before its host (name@host): it would lead elsewhere than it seems":
            "en länk har ett namn före värden (namn@värd): den skulle leda någon annanstans än det verkar",
        "a link's host has non-ASCII letters that can imitate another address: use its xn-- form":
            "en länks värd har andra tecken än ASCII som kan efterlikna en annan adress: använd dess xn--form",
        #"only http:// and https:// links may be sent (this has \(scheme):)"#:
            #"endast http://- och https://-länkar får skickas (här finns \(scheme):)"#,
    ]
}
