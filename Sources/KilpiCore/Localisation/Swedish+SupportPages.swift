// Swedish for the customers' support pages in KilpiWeb (the way in by code, the personal page, questions, the
// contact form). A first translation, awaiting native review like the rest of `Swedish.swift`; the same rules
// apply (the key is the English as the source writes it, templates as raw strings). `MessageCatalogue.swedish`
// merges it in.

extension Swedish {
    static let supportPageMessages: [String: String] = [
        "choose one from the list": "välj en i listan",
        "Reference code": "Referenskod",
        "type the code from your notice": "skriv koden från ditt meddelande",
        "Email address": "E-postadress",
        "type your email address": "skriv din e-postadress",
        "For your safety your page closes after 30 minutes. Please type the code and your address again.":
            "För din säkerhet stängs din sida efter 30 minuter. Skriv koden och din adress igen.",
        "There is nothing to ask about here at the moment.": "Det finns inget att fråga om här just nu.",
        "What is your question about?": "Vad gäller din fråga?",
        "Email me a code": "Skicka mig en kod",
        "Contact us": "Kontakta oss",
        "First we email you a six-digit code, to make sure the answer goes to you. Then you write your question.":
            "Först skickar vi en sexsiffrig kod till din e-post, så att svaret säkert når dig. Sedan skriver du din fråga.",
        "I have a reference code": "Jag har en referenskod",
        "Type the code we emailed you": "Skriv koden vi skickade till din e-post",
        #"We sent a six-digit code to \(email). It is valid for 15 minutes. If nothing arrives, check the spam folder or ask for a new code."#:
            #"Vi skickade en sexsiffrig kod till \(email). Den gäller i 15 minuter. Om inget kommer, titta i skräppostmappen eller be om en ny kod."#,
        "Your question": "Din fråga",
        "Send my question": "Skicka min fråga",
        "Ask for a new code": "Be om en ny kod",
        "Thank you, we received your question": "Tack, vi har tagit emot din fråga",
        "We will answer to the email address you gave. You do not need to do anything else.":
            "Vi svarar till e-postadressen du angav. Du behöver inte göra något mer.",
        "Back to support": "Tillbaka till supporten",
        "Questions about our notice": "Frågor om vårt meddelande",
        "Type the reference code from the notice we sent you and your email address to open your own page: what happened, which of your data were involved and what you can do.":
            "Skriv referenskoden från meddelandet vi skickade dig och din e-postadress för att öppna din egen sida: vad som hände, vilka av dina uppgifter som berördes och vad du kan göra.",
        "No code, or no notice from us?": "Ingen kod, eller inget meddelande från oss?",
        "Use the contact form": "Använd kontaktformuläret",
        "Support": "Support",
        "Open my page": "Öppna min sida",
        "We could not open your page": "Vi kunde inte öppna din sida",
        "The reference code and the email address do not open a page together. Check both (the code is in the notice we sent you) and try again.":
            "Referenskoden och e-postadressen öppnar inte en sida tillsammans. Kontrollera båda (koden finns i meddelandet vi skickade dig) och försök igen.",
        "This link does not open a page": "Den här länken öppnar ingen sida",
        "The link may have been copied incompletely.": "Länken kan ha kopierats ofullständigt.",
        "This link has expired": "Den här länken har gått ut",
        "Personal links work for a limited time, to keep your page safe.":
            "Personliga länkar fungerar en begränsad tid, för att din sida ska vara säker.",
        "This link no longer works": "Den här länken fungerar inte längre",
        "We have withdrawn this link, for example because a notice may have reached the wrong person.":
            "Vi har dragit tillbaka länken, till exempel för att ett meddelande kan ha nått fel person.",
        "Too many attempts": "För många försök",
        "There have been too many attempts from here lately. Please wait 15 minutes and try again.":
            "Det har gjorts för många försök härifrån på sistone. Vänta 15 minuter och försök igen.",
        "How to get to your page": "Så kommer du till din sida",
        "Type the reference code from your notice and your email address here:":
            "Skriv referenskoden från ditt meddelande och din e-postadress här:",
        "If you have no code, or it does not work, write to us with the contact form: we answer by email.":
            "Om du inte har någon kod, eller om den inte fungerar, skriv till oss med kontaktformuläret: vi svarar via e-post.",
        #"Hello \($0),"#: #"Hej \($0),"#,
        "It happened": "Det hände",
        "We learned of it": "Vi fick veta det",
        "We stopped the incident on": "Vi stoppade incidenten",
        "We are still working to stop the incident.": "Vi arbetar fortfarande med att stoppa incidenten.",
        "Thank you: we received your message and will answer here and by email.":
            "Tack: vi har tagit emot ditt meddelande och svarar här och via e-post.",
        "What happened": "Vad som hände",
        "Which of your data were involved": "Vilka av dina uppgifter som berördes",
        "What we are doing": "Vad vi gör",
        "What you should do now": "Vad du bör göra nu",
        "Close my page on this device": "Stäng min sida på den här enheten",
        "No updates yet. We will post them here.": "Inga uppdateringar ännu. Vi publicerar dem här.",
        "Frequently asked questions": "Vanliga frågor",
        "You": "Du",
        "Our support team": "Vårt supportteam",
        "Your question of": "Din fråga från",
        "Write again": "Skriv igen",
        "Send": "Skicka",
        "Ask us": "Fråga oss",
        "We answer here and by email. Please do not send passwords or card numbers.":
            "Vi svarar här och via e-post. Skicka inte lösenord eller kortnummer.",
        "Your questions": "Dina frågor",
        "received": "mottagen",
        "being answered": "behandlas",
        "answered": "besvarad",
        "closed": "stängd",
        "Your message": "Ditt meddelande",
    ]
}
