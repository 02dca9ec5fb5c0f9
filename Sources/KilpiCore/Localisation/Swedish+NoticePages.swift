// Swedish for the console's notice pages (templates, preview, campaigns, recipients) in KilpiWeb. A first
// translation, awaiting native review like the rest of `Swedish.swift`; the same rules apply (the key is the English
// as the source writes it, templates as raw strings). `MessageCatalogue.swedish` merges it in.

extension Swedish {
    static let noticePageMessages: [String: String] = [
        // MARK: Templates
        "Notice templates": "Meddelandemallar",
        "General (any threat kind)": "Allmän (alla hottyper)",
        #"A campaign sends each customer the newest approved version for the incident's threat kind in their language, else the general one; a customer whose language has none gets English. Every saved version is a draft until someone other than its writer approves it."#:
            "En kampanj skickar varje kund den senaste godkända versionen för incidentens hottyp på kundens språk, annars den allmänna; en kund vars språk saknar mall får den engelska. Varje sparad version är ett utkast tills någon annan än den som skrev den godkänner den.",
        "approved by": "godkänd av",
        "none yet": "ingen ännu",
        "not approved": "inte godkänd",
        "awaits approval": "väntar på godkännande",
        "version(s)": "version(er)",
        "Open": "Öppna",
        "approved": "godkänd",
        "draft": "utkast",
        "Approved by": "Godkänd av",
        "Draft: not approved, so it cannot be sent.": "Utkast: inte godkänt, så det kan inte skickas.",
        "You saved this version, so someone else must approve it (four eyes).":
            "Du sparade den här versionen, så någon annan måste godkänna den (fyra ögon).",
        "Approve this version": "Godkänn den här versionen",
        "written by": "skriven av",
        "Edit": "Redigera",
        "Saving makes a new draft version; the version approved now stays in use until the new one is approved.":
            "Att spara skapar en ny utkastversion; den version som är godkänd nu används tills den nya godkänns.",
        "Subject": "Ämne",
        "Plain text": "Ren text",
        "Save as a new draft": "Spara som nytt utkast",
        "Variables a template may use": "Variabler som en mall får använda",
        "Preview as a customer": "Förhandsgranska som kund",
        #"Shows v\(shown.version) as one affected customer of an incident would get it. The preview is recorded in the audit log as a view of that customer's data."#:
            #"Visar v\(shown.version) så som en berörd kund i en incident skulle få den. Förhandsgranskningen registreras i granskningsloggen som en visning av kundens uppgifter."#,
        "Incident": "Incident",
        "Customer id": "Kund-id",
        "Preview (audited)": "Förhandsgranska (loggas)",
        "No version saved yet.": "Ingen version har sparats ännu.",
        #"Version \(approved.version) is approved: new campaigns send it."#:
            #"Version \(approved.version) är godkänd: nya kampanjer skickar den."#,
        "choose fi, sv or en": "välj fi, sv eller en",
        "choose an incident": "välj en incident",
        #"no affected customer of \(incident.reference) has this id"#:
            #"ingen berörd kund i \(incident.reference) har detta id"#,
        // MARK: Preview
        "Preview": "Förhandsgranskning",
        "As customer": "Som kund",
        "sample reference code": "exempel på referenskod",
        #"This customer's language is \(page.language.name): a campaign sends them this version only when no approved template exists in their own language."#:
            #"Kundens språk är \(page.language.name): en kampanj skickar den här versionen till kunden bara när ingen godkänd mall finns på kundens eget språk."#,
        "The HTML part, sandboxed": "HTML-delen, isolerad",
        "HTML source": "HTML-källkod",
        // MARK: Campaigns
        "Notices": "Meddelanden",
        "Notice campaigns": "Meddelandekampanjer",
        "No campaign yet.": "Ingen kampanj ännu.",
        "Campaign": "Kampanj",
        "Scope and audience": "Omfattning och mottagare",
        "Template": "Mall",
        "Templates": "Mallar",
        "Sent": "Skickat",
        "Time to notify p50 / p90": "Tid till meddelande p50 / p90",
        "No email": "Ingen e-post",
        "In English instead": "På engelska i stället",
        "Set the incident's scope first: a campaign tells the customers a scope version exposed.":
            "Ange först incidentens omfattning: en kampanj meddelar de kunder som en omfattningsversion exponerade.",
        "no approved English version": "ingen godkänd engelsk version",
        "Create a campaign": "Skapa en kampanj",
        "Creating makes one notice per recipient, ready to send; nothing goes out until someone starts it.":
            "Att skapa gör ett meddelande per mottagare, klart att skicka; inget går ut förrän någon startar kampanjen.",
        "Scope version": "Omfattningsversion",
        "Audience": "Mottagare",
        "A follow-up reaches only the customers its base campaign (and the ones that base followed up) did not reach, or those with more data exposed than they were told about.":
            "En uppföljning når bara de kunder som baskampanjen (och de kampanjer den följde upp) inte nådde, eller dem vars exponerade uppgifter är fler än de fick veta om.",
        "Follow-up of": "Uppföljning av",
        "follow-up of": "uppföljning av",
        "Messages per second": "Meddelanden per sekund",
        "Over every delivery worker together.": "Alla leveransprocesser tillsammans.",
        "SMTP connections": "SMTP-anslutningar",
        "At once, 1 to 256.": "Samtidigt, 1–256.",
        "Error threshold": "Felgräns",
        "The share of bounced or failed notices (0 to 1) above which the campaign pauses itself; 0 turns it off.":
            "Andelen studsade eller misslyckade meddelanden (0–1) över vilken kampanjen pausar sig själv; 0 stänger av gränsen.",
        "Create campaign": "Skapa kampanj",
        "choose a scope version": "välj en omfattningsversion",
        "choose a campaign": "välj en kampanj",
        #""\(text)" is not a whole number"#: #""\(text)" är inte ett heltal"#,
        // MARK: One campaign
        "Start sending": "Börja skicka",
        "Pause": "Pausa",
        "Resume": "Fortsätt",
        "Cancel the campaign": "Avbryt kampanjen",
        "Retry failed and bounced": "Försök igen med misslyckade och studsade",
        #"\(retried) notice(s) queued again."#: #"\(retried) meddelande(n) köades igen."#,
        "Shown once notices have been sent.": "Visas när meddelanden har skickats.",
        "Longest": "Längst",
        "Measured from": "Mätt från",
        #"From when we became aware of the incident to the mail server accepting the notice, over \(ttn.count) notices sent."#:
            #"Från att vi fick kännedom om incidenten till att e-postservern tog emot meddelandet, över \(ttn.count) skickade meddelanden."#,
        #"Download the \(unreachable) unreachable customers as CSV for a letter (audited)"#:
            #"Ladda ner de \(unreachable) kunder som inte nåddes som CSV för ett brev (loggas)"#,
        "Rate now": "Takt nu",
        "time left": "tid kvar",
        "in English instead of their own language": "på engelska i stället för eget språk",
        "Notices by state": "Meddelanden per status",
        "All recipients": "Alla mottagare",
        "Settings": "Inställningar",
        // MARK: Recipients and states
        "Recipients": "Mottagare",
        "All": "Alla",
        "Your role does not see who the customers are: only their notices' states.":
            "Din roll ser inte vilka kunderna är, bara statusen för deras meddelanden.",
        "Attempts": "Försök",
        "Last reply": "Senaste svar",
        "Queued": "I kö",
        "First attempt": "Första försök",
        "Next attempt": "Nästa försök",
        "No recipients here.": "Inga mottagare här.",
        "English, because the customer's own language has no approved template.":
            "Engelska, eftersom kundens eget språk saknar godkänd mall.",
        "Sending": "Skickas",
        "Deferred (will retry)": "Uppskjutet (försöker igen)",
        "Bounced": "Studsade",
        "Failed": "Misslyckades",
        "Skipped (no email)": "Överhoppat (ingen e-post)",
        "no usable email address": "ingen användbar e-postadress",
        "erased": "raderad",
        "an approval cannot be withdrawn: save a new version instead":
            "ett godkännande kan inte dras tillbaka: spara en ny version i stället",
    ]
}
