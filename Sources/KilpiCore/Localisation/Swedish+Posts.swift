// Swedish for public posts: incidents' updates for their customers (KilpiCore/Incidents/PublicPost, the store's
// PostError and the console's updates page). A first translation awaiting native review, keyed by the English as
// the source writes it; `MessageCatalogue.swedish` merges it in.

extension Swedish {
    static let postMessages: [String: String] = [
        // MARK: Validation and refusals
        "write a title": "skriv en rubrik",
        #"at most \(titleLimit) characters"#: #"högst \(titleLimit) tecken"#,
        "write the update": "skriv uppdateringen",
        #"at most \(bodyLimit) characters (this has \(body.count))"#:
            #"högst \(bodyLimit) tecken (här finns \(body.count))"#,
        #"post \(id) does not exist"#: #"inlägget \(id) finns inte"#,
        "only a draft can be published": "bara ett utkast kan publiceras",
        "someone other than its writer publishes an update (four eyes)":
            "någon annan än skribenten publicerar en uppdatering (fyra ögon)",
        "already withdrawn": "redan tillbakadragen",
        "changed meanwhile": "ändrades under tiden",
        "it was changed after you opened it: read the new version and approve again":
            "den ändrades efter att du öppnade den: läs den nya versionen och godkänn igen",
        "the page did not say which version you approve: reload it and approve again":
            "sidan angav inte vilken version du godkänner: ladda om den och godkänn igen",

        // MARK: The console's updates page
        "Updates": "Uppdateringar",
        "Updates for customers": "Uppdateringar till kunderna",
        "No update yet.": "Ingen uppdatering ännu.",
        "A published update appears at once on the personal support pages of this incident's customers, in their language (in English when there is none in theirs), and on the incident's public page of the trust center. One person writes an update and another publishes it; a published update can be withdrawn or corrected.":
            "En publicerad uppdatering visas genast på de personliga supportsidorna för kunderna i den här incidenten, på deras språk (på engelska när det inte finns någon på deras), och på incidentens offentliga sida i förtroendecentret. En person skriver en uppdatering och en annan publicerar den; en publicerad uppdatering kan dras tillbaka eller rättas.",
        "To keep an update off the public site until the customers' own notices are out, or to schedule it:":
            "För att hålla en uppdatering borta från den offentliga webbplatsen tills kundernas egna meddelanden har gått ut, eller för att schemalägga den:",
        "write it on the trust center's posts page (hold until notified)":
            "skriv den på förtroendecentrets inläggssida (vänta tills kunderna har meddelats)",
        "open the post": "öppna inlägget",
        "published by": "publicerad av",
        "withdrawn": "tillbakadragen",
        "Publish": "Publicera",
        "Discard": "Kasta",
        "Withdraw": "Dra tillbaka",
        "published": "publicerad",
        "Write an update": "Skriv en uppdatering",
        "Update (Markdown; a blank line starts a new paragraph)":
            "Uppdatering (Markdown; en tom rad börjar ett nytt stycke)",
        "Save as draft": "Spara som utkast",
    ]
}
