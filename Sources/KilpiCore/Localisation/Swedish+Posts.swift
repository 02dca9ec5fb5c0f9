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

        // MARK: The console's updates page
        "Updates": "Uppdateringar",
        "Updates for customers": "Uppdateringar till kunderna",
        "No update yet.": "Ingen uppdatering ännu.",
        "Published updates appear on the personal support pages of this incident's customers, in their language (in English when there is none in theirs). One person writes an update and another publishes it; a published update can be withdrawn, not edited.":
            "Publicerade uppdateringar visas på de personliga supportsidorna för kunderna i den här incidenten, på deras språk (på engelska när det inte finns någon på deras). En person skriver en uppdatering och en annan publicerar den; en publicerad uppdatering kan dras tillbaka men inte ändras.",
        "published by": "publicerad av",
        "withdrawn": "tillbakadragen",
        "Publish": "Publicera",
        "Discard": "Kasta",
        "Withdraw": "Dra tillbaka",
        "published": "publicerad",
        "Write an update": "Skriv en uppdatering",
        "Update (plain text; a blank line starts a new paragraph)":
            "Uppdatering (ren text; en tom rad börjar ett nytt stycke)",
        "Save as draft": "Spara som utkast",
    ]
}
