// Swedish for the notices service in KilpiStore (templates, approval, campaigns, outbox). A first translation, awaiting native review like the rest of `Swedish.swift`; the same rules
// apply (the key is the English as the source writes it, templates as raw strings). `MessageCatalogue.swedish`
// merges it in.

extension Swedish {
    static let noticeMessages: [String: String] = [
        // MARK: Timeline events
        #"Notice campaign #\(id) from scope v\(version) (\(audience)): \(recipients) recipients, \(skipped) without a usable email address, \(fallback) in English instead of their own language"#:
            #"Meddelandekampanj #\(id) från omfattning v\(version) (\(audience)): \(recipients) mottagare, \(skipped) utan användbar e-postadress, \(fallback) på engelska i stället för sitt eget språk"#,
        #"Notice campaign #\(id): \(from) → \(to)"#: #"Meddelandekampanj #\(id): \(from) → \(to)"#,
        #"Notice campaign #\(id) paused itself: \(failures) of \(attempted) notices bounced or failed"#:
            #"Meddelandekampanj #\(id) pausade sig själv: \(failures) av \(attempted) meddelanden studsade eller misslyckades"#,
        #"Notice campaign #\(id) completed: \(sent) sent, \(bounced) bounced, \(failed) failed, \(skipped) without a usable email address"#:
            #"Meddelandekampanj #\(id) slutförd: \(sent) skickade, \(bounced) studsade, \(failed) misslyckade, \(skipped) utan användbar e-postadress"#,
        #"Notice campaign #\(id): \(count) bounced or failed notices queued again"#:
            #"Meddelandekampanj #\(id): \(count) studsade eller misslyckade meddelanden köades igen"#,
        // MARK: Campaign states and audiences
        "ready": "redo",
        "sending": "skickar",
        "paused": "pausad",
        "cancelled": "avbruten",
        "completed": "slutförd",
        "everyone affected": "alla berörda",
        "newly affected": "nya berörda",
        "more data exposed": "fler uppgifter exponerade",
    ]
}
