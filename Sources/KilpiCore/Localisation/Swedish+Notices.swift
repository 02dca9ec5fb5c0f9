// Swedish for the notices service in KilpiStore (templates, approval, campaigns, outbox). A first translation, awaiting native review like the rest of `Swedish.swift`; the same rules
// apply (the key is the English as the source writes it, templates as raw strings). `MessageCatalogue.swedish`
// merges it in.

extension Swedish {
    static let noticeMessages: [String: String] = [
        #"must be one of \(keys)"#: #"måste vara en av \(keys)"#,
        #"at most \(maximumSubject) characters"#: #"högst \(maximumSubject) tecken"#,
        #"at most \(maximumBody) bytes"#: #"högst \(maximumBody) byte"#,
        #"version \(version.version) is already approved (by \(approvedBy))"#:
            #"version \(version.version) är redan godkänd (av \(approvedBy))"#,
        #"someone other than who saved this version must approve it (four eyes)"#:
            #"någon annan än den som sparade versionen måste godkänna den (fyraögonsprincipen)"#,
        #"customer \(customerID) does not exist"#: #"kunden \(customerID) finns inte"#,
        #"campaign \(id) is \(current): it cannot move to \(wanted)"#:
            #"kampanjen \(id) är \(current): den kan inte gå till \(wanted)"#,
        #"campaign \(campaignID) is cancelled"#: #"kampanjen \(campaignID) är avbruten"#,
        #"must be more than 0 and at most 100000"#: #"måste vara större än 0 och högst 100000"#,
        #"must be from 1 to 256"#: #"måste vara från 1 till 256"#,
        #"must be from 0 to 1"#: #"måste vara från 0 till 1"#,
        #"campaign \(id) does not exist"#: #"kampanjen \(id) finns inte"#,
        #"campaign \(followUpOf) does not exist"#: #"kampanjen \(followUpOf) finns inte"#,
        #"campaign \(followUpOf) belongs to incident \(other), not this one"#:
            #"kampanjen \(followUpOf) hör till incidenten \(other), inte den här"#,
        #"template version \(id) does not exist"#: #"mallversionen \(id) finns inte"#,
        #"only a follow-up (audience added or widened) has a base campaign"#:
            #"bara en uppföljning (målgrupp added eller widened) har en grundkampanj"#,
        #"a follow-up needs the campaign it follows up"#: #"en uppföljning behöver kampanjen den följer upp"#,
        #"incident \(incidentID) does not exist"#: #"incidenten \(incidentID) finns inte"#,
        #"scope version \(scopeVersionID) is not one of incident \(incidentID)"#:
            #"omfattningsversionen \(scopeVersionID) hör inte till incidenten \(incidentID)"#,
        #"scope v\(scopeVersion) exposes no customers: there is nobody to notify"#:
            #"omfattning v\(scopeVersion) berör inga kunder: det finns ingen att meddela"#,
        #"no customer of scope v\(scopeVersion) is in audience \(name)"#:
            #"ingen kund i omfattning v\(scopeVersion) hör till målgruppen \(name)"#,
        #"no approved English template for \(key) or general: English is what every customer without a template of their own gets"#:
            #"ingen godkänd engelsk mall för \(key) eller general: engelska är vad varje kund utan en egen mall får"#,
        #"campaign \(id) belongs to incident \(other), not this one"#:
            #"kampanjen \(id) hör till incidenten \(other), inte den här"#,
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
