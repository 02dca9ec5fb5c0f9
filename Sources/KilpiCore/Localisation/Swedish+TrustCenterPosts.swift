// Swedish for the trust center's posts: the public updates, advisories, incident pages and guides, the console
// where posts are written and approved, and the checks of the post form (KilpiCore/TrustCenter/PostInput, the
// store's PublicPostRepository). A first translation awaiting native review, keyed by the English as the source
// writes it; `MessageCatalogue.swedish` merges it in.

extension Swedish {
    static let trustCenterPostMessages: [String: String] = [
        // MARK: Public pages
        "What we have done to protect your data, and what we say about incidents, newest first.":
            "Vad vi har gjort för att skydda dina uppgifter och vad vi berättar om incidenter, de senaste först.",
        "Follow with a feed reader (Atom)": "Följ med en flödesläsare (Atom)",
        "Nothing has been published yet.": "Inget har publicerats ännu.",
        "In other languages": "På andra språk",
        "Current incidents": "Aktuella incidenter",
        "Latest updates": "Senaste uppdateringarna",
        "Affects": "Gäller",
        "All updates on this incident": "Alla uppdateringar om den här incidenten",
        "Corrected": "Rättad",
        "corrected": "rättad",
        "Version": "Version",
        "Earlier versions": "Tidigare versioner",
        "Security advisories": "Säkerhetsmeddelanden",
        "Short notes on security problems in what we offer, how serious they are and what to do.":
            "Korta meddelanden om säkerhetsproblem i det vi erbjuder, hur allvarliga de är och vad du ska göra.",
        "No advisory has been published.": "Inga säkerhetsmeddelanden har publicerats.",
        "Guide": "Guide",
        "Guides": "Guider",
        "Follow this incident with a feed reader (Atom)": "Följ den här incidenten med en flödesläsare (Atom)",
        "We are investigating what happened.": "Vi utreder vad som har hänt.",
        "Contained: the attack has been stopped; we are removing its cause.":
            "Begränsad: attacken har stoppats och vi åtgärdar orsaken.",
        "The cause has been removed; we are restoring our services.":
            "Orsaken har åtgärdats och vi återställer våra tjänster.",
        "Our services are restored; we keep watching closely.":
            "Våra tjänster är återställda och vi följer läget noga.",
        "Closed: the response is over and its lessons are being put into practice.":
            "Avslutad: hanteringen är klar och lärdomarna omsätts i praktiken.",
        "After investigation, this was not an incident.": "Efter utredning visade det sig inte vara en incident.",
        "How to recognise attacks and what to do if one reaches you.":
            "Så känner du igen attacker och vad du gör om du drabbas.",
        "Updated": "Uppdaterad",
        "All guides": "Alla guider",
        "Update": "Uppdatering",
        "Incident update": "Incidentuppdatering",
        "Advisory": "Säkerhetsmeddelande",
        "Public notice": "Offentligt meddelande",
        "Medium": "Medel",
        "Critical": "Kritisk",

        // MARK: Console
        "Trust-center posts": "Förtroendecentrets inlägg",
        "Updates, incident updates, advisories, public notices and edited guides. One person writes a post and another approves it; it goes public at once, at its scheduled time, or, for an incident update held for the notices, when its campaign has reached the chosen share of recipients (or at the latest time given). A published post is corrected, not edited: the public page says so and keeps the earlier text.":
            "Uppdateringar, incidentuppdateringar, säkerhetsmeddelanden, offentliga meddelanden och redigerade guider. En person skriver ett inlägg och en annan godkänner det; det publiceras genast, vid sin schemalagda tid eller – för en incidentuppdatering som väntar på meddelandena – när kampanjen har nått den valda andelen mottagare (eller senast vid den angivna tiden). Ett publicerat inlägg rättas, det redigeras inte: den offentliga sidan säger det och behåller den tidigare texten.",
        "No post yet.": "Inga inlägg ännu.",
        "State": "Läge",
        "Written by": "Skriven av",
        "Write a post": "Skriv ett inlägg",
        "Edit a shipped guide": "Redigera en medföljande guide",
        "Held until campaign": "Väntar tills kampanj",
        "has delivered to": "har levererats till",
        "at the latest": "senast",
        "Public from": "Offentlig från",
        "public page": "offentlig sida",
        "Approve and publish": "Godkänn och publicera",
        "Approve the correction": "Godkänn rättelsen",
        "Correction waiting for approval": "Rättelse som väntar på godkännande",
        "Edit the draft": "Redigera utkastet",
        "Correct": "Rätta",
        "Text (Markdown)": "Text (Markdown)",
        "What was corrected (shown to readers)": "Vad som rättades (visas för läsarna)",
        "Propose the correction": "Föreslå rättelsen",
        "All posts": "Alla inlägg",
        "public, correction waiting": "offentlig, rättelse väntar",
        "approved, held for the notices": "godkänd, väntar på meddelandena",
        "approved, scheduled": "godkänd, schemalagd",
        "Incident (for incident updates and public notices)":
            "Incident (för incidentuppdateringar och offentliga meddelanden)",
        "Text (Markdown: ## heading, - list, **bold**, [link](https://…); HTML is shown as text)":
            "Text (Markdown: ## rubrik, - lista, **fetstil**, [länk](https://…); HTML visas som text)",
        "Advisories": "Säkerhetsmeddelanden",
        "Affected products": "Berörda produkter",
        "Topic": "Ämne",
        "When it goes public (times in UTC)": "När det publiceras (tider i UTC)",
        "Scheduled for (empty: when approved)": "Schemalagd till (tomt: vid godkännandet)",
        "Tell customers first: an incident update can wait until its notice campaign has delivered to a share of its recipients, or until a latest time, whichever comes first.":
            "Berätta för kunderna först: en incidentuppdatering kan vänta tills meddelandekampanjen har levererats till en andel av mottagarna, eller till en senaste tidpunkt, vilket som än kommer först.",
        "Hold for campaign": "Vänta på kampanj",
        "Share delivered (%)": "Levererad andel (%)",
        "At the latest": "Senast",

        // MARK: Checks
        #""\(text.prefix(40))" is not a number"#: #""\(text.prefix(40))" är inte ett tal"#,
        #"at most \(PublicPost.productsLimit) characters"#: #"högst \(PublicPost.productsLimit) tecken"#,
        #"at most \(PublicPost.noteLimit) characters"#: #"högst \(PublicPost.noteLimit) tecken"#,
        "a share from 1 to 100 (per cent)": "en andel från 1 till 100 (procent)",
        "choose the incident this is about": "välj incidenten det gäller",
        "choose a severity": "välj allvarlighetsgrad",
        "choose the guide's topic": "välj guidens ämne",
        "only an incident update waits for its notices (a public communication is the notice)":
            "bara en incidentuppdatering väntar på meddelandena (ett offentligt meddelande är självt meddelandet)",
        "give the latest time, so the post goes out even if the campaign stalls":
            "ange den senaste tidpunkten, så att inlägget publiceras även om kampanjen stannar av",
        "a held post goes out when its customers have heard: leave the time empty":
            "ett väntande inlägg publiceras när kunderna har fått beskedet: lämna tiden tom",
        "only a draft can be edited; correct a published post instead":
            "bara ett utkast kan redigeras; rätta i stället ett publicerat inlägg",
        "say what was corrected: readers see it": "säg vad som rättades: läsarna ser det",
        "only a published post is corrected": "bara ett publicerat inlägg rättas",
        "no correction is waiting": "ingen rättelse väntar",
        #"campaign \(hold.campaignID) is not one of this incident's"#:
            #"kampanjen \(hold.campaignID) hör inte till den här incidenten"#,
    ]
}
