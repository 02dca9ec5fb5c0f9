import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KilpiCore
import KilpiStore
import KilpiTestSupport
import Testing

@testable import KilpiWeb

/// Swedish as the UI's third language: every English string in the source has a catalogue entry, the language is
/// negotiated as RFC 9110 says, and a choice made with `?lang=` sticks.
@Suite struct LocalisationTests {
    // MARK: - Every string has Swedish

    /// Reads every Swift file of KilpiWeb, KilpiCore, KilpiStore and KilpiMail and fails naming each English message without Swedish:
    /// the literal pairs of `view.l("…", "…")` anywhere and the `("…", "…")` pairs of `UIText`.
    @Test func everyEnglishStringInTheSourceHasSwedish() throws {
        let messages = try SourceMessages.scan(directories: [
            "Sources/KilpiWeb", "Sources/KilpiCore", "Sources/KilpiStore", "Sources/KilpiMail",
        ])
        // The scan itself works: it finds the known forms (a plain pair, a template, a multi-line UIText pair).
        #expect(messages.count > 200)
        #expect(messages.contains { $0.english == "Sign in" })
        #expect(
            messages.contains {
                $0.english == #"At least \(minimum) characters. Common passwords are refused. No other rules."#
            }
        )
        #expect(messages.contains { $0.english == #"\(overdue.count) task(s) overdue."# })

        let missing = messages.filter { !MessageCatalogue.swedish.hasEntry(for: $0.english) }
        #expect(
            missing.isEmpty,
            """
            \(missing.count) English strings have no Swedish in Sources/KilpiCore/Localisation/Swedish.swift:
            \(missing.map { "  \($0.file): \"\($0.english)\"" }.joined(separator: "\n"))
            """
        )
    }

    /// The scan finds what a new view would add, so a string without Swedish cannot slip through.
    @Test func theScanFindsNewStringsInEveryForm() {
        let source = #"""
            let a = view.l("Brand-new label", "Uusi")
            let b = view.l(
                "Wrapped \(count > 1 ? "many" : "one") \"quoted\"",
                "Rivitetty"
            )
            let c = view.l(kind.nameEN, kind.nameFI)
            case .x: ("Pair in UIText", "Pari")
            """#
        #expect(
            SourceMessages.literalPairs(in: source, after: ".l(")
                == ["Brand-new label", #"Wrapped \(count > 1 ? "many" : "one") "quoted""#]
        )
        #expect(SourceMessages.literalPairs(in: source, after: "(").contains("Pair in UIText"))
        #expect(!MessageCatalogue.swedish.hasEntry(for: "Brand-new label"))
    }

    @Test func swedishTemplatesUseTheirEnglishPlaceholders() {
        for (english, swedish) in MessageCatalogue.swedish.entries where english.contains("\\(") {
            let want = MessageCatalogue.placeholders(in: english).sorted()
            let have = MessageCatalogue.placeholders(in: swedish).sorted()
            #expect(want == have, "\(english) → \(swedish)")
        }
    }

    @Test func interpolatedMessagesAreTranslatedWithTheirValues() {
        #expect(UIText.passwordRules(15).text(.sv).hasPrefix("Minst 15 tecken."))
        #expect(UIText.dashboardWelcome("Anna").text(.sv) == "Välkommen, Anna")
        #expect(UIText.importDone(10, 3, 2, 5).text(.sv) == "Importerade 10 rader: 3 nya, 2 ändrade, 5 oförändrade.")
        #expect(UIText.auditBroken("entry 7").text(.sv) == "KEDJAN ÄR BRUTEN: entry 7")
        #expect(UIText.signIn.text(.sv) == "Logga in")
        #expect(UIText.signIn.text(.fi) == "Kirjaudu sisään")
        #expect(UIText.signIn.text(.en) == "Sign in")
        // A value that contains the template's own literal text still lands in the right place.
        #expect(
            MessageCatalogue.swedish.translate("Contact 3: kind")
                == "Kontakt 3: typ"
        )
        #expect(MessageCatalogue.swedish.translate("Contact 3") == "Kontakt 3")
        // Text that is not a message (company data) stays as it is.
        #expect(MessageCatalogue.swedish.translate("Acme Oy backup server") == "Acme Oy backup server")
    }

    // MARK: - Negotiation

    static func request(_ uri: String, cookie: String? = nil, accept: String? = nil) -> Request {
        var head = HTTPRequest(method: .get, scheme: "http", authority: "localhost", path: uri)
        if let cookie { head.headerFields[.cookie] = cookie }
        if let accept { head.headerFields[.acceptLanguage] = accept }
        return Request(head: head, body: .init(buffer: ByteBuffer()))
    }

    @Test(arguments: [
        ("sv-FI;q=0.9, en;q=0.8", Language.sv),
        ("en;q=0.8, sv-FI;q=0.9", .sv),
        ("fi-FI", .fi),
        ("FI-fi,en;q=0.5", .fi),
        ("de-DE, fr;q=0.9", .en),
        ("de, sv;q=0.1", .sv),
        ("sv;q=0, fi;q=0.2", .fi),
        ("fi;q=0.5, en;q=0.5", .fi),
        ("*", .en),
        ("", .en),
        ("sv;q=abc, fi;q=0.1", .fi),
        ("sv;q=1.5, en;q=0.1", .en),
    ])
    func acceptLanguageByWeight(header: String, expected: Language) {
        #expect(Language.negotiate(Self.request("/console/login", accept: header)) == expected, "\(header)")
    }

    @Test func queryThenCookieThenBrowser() {
        let browser = "fi-FI,fi;q=0.9"
        #expect(
            Language.negotiate(Self.request("/console/login?lang=sv", cookie: "kilpi_lang=en", accept: browser)) == .sv
        )
        #expect(Language.negotiate(Self.request("/console/login", cookie: "kilpi_lang=sv", accept: browser)) == .sv)
        #expect(Language.negotiate(Self.request("/console/login", cookie: "kilpi_lang=xx", accept: browser)) == .fi)
        #expect(Language.negotiate(Self.request("/console/login?lang=xx", accept: browser)) == .fi)
        #expect(Language.negotiate(Self.request("/console/login")) == .en)
        #expect(Language(tag: "sv-FI") == .sv)
        #expect(Language(tag: "sw") == nil)
    }

    // MARK: - The choice sticks

    @Test func swedishFromALinkSticksThroughTheCookie() async throws {
        try await WebTestApp.run { app in
            let chosen = try await app.get("/console/login?lang=sv")
            let page = WebTestApp.text(chosen)
            #expect(page.contains("<html lang=\"sv\">"))
            #expect(page.contains("Logga in"))
            #expect(page.contains("Lösenord"))
            #expect(!page.contains(">Sign in<"))
            let cookie = try #require(WebTestApp.setCookies(chosen)["kilpi_lang"])
            #expect(cookie.value == "sv")
            #expect(cookie.attribute("Path") == "/")
            #expect(cookie.attribute("SameSite")?.lowercased() == "lax")
            #expect(cookie.has("HttpOnly"))
            #expect(cookie.attribute("Max-Age") == "31536000")

            // The next page, without the query but with the cookie (and a browser asking for English).
            let next = try await app.request(
                .get,
                "/console/login",
                headers: [.acceptLanguage: "en"],
                cookies: ["kilpi_lang": "sv"]
            )
            let nextPage = WebTestApp.text(next)
            #expect(nextPage.contains("<html lang=\"sv\">"))
            #expect(nextPage.contains("Logga in"))
            // Nothing new to remember: no cookie again.
            #expect(WebTestApp.setCookies(next)["kilpi_lang"] == nil)

            // Switching back works the same way.
            let back = try await app.request(.get, "/console/login?lang=en", cookies: ["kilpi_lang": "sv"])
            #expect(WebTestApp.setCookies(back)["kilpi_lang"]?.value == "en")
            #expect(WebTestApp.text(back).contains(">Sign in<"))

            // An unknown language in the link changes nothing.
            let unknown = try await app.get("/console/login?lang=xx")
            #expect(WebTestApp.setCookies(unknown)["kilpi_lang"] == nil)
            #expect(WebTestApp.text(unknown).contains("<html lang=\"en\">"))
        }
    }

    @Test func theLanguageSwitchOffersAllThreeAndConsolePagesAreSwedish() async throws {
        try await WebTestApp.run { app in
            let page = WebTestApp.text(try await app.get("/console/login?lang=sv"))
            #expect(page.contains("<strong lang=\"sv\">Svenska</strong>"))
            #expect(page.contains("<a lang=\"en\" href=\"/console/login?lang=en\">English</a>"))
            #expect(page.contains("<a lang=\"fi\" href=\"/console/login?lang=fi\">Suomi</a>"))

            let admin = try await app.login(try await app.makeStaff(.admin))
            let dashboard = WebTestApp.text(
                try await app.request(
                    .get,
                    "/console",
                    cookies: [RouteRegistry.sessionCookie: admin.sessionID, "kilpi_lang": "sv"]
                )
            )
            #expect(dashboard.contains("<html lang=\"sv\">"))
            #expect(dashboard.contains("Logga ut"))
            #expect(dashboard.contains("Granskningslogg"))
        }
    }

    @Test func companyTextWithoutSwedishIsMarkedEnglishOnTheConsole() async throws {
        try await WebTestApp.run { app in
            try await app.store.dataMap.installCatalogue(now: app.clock.now)
            // The company rewrote the advice for names in English (it edits English and Finnish only) and saved
            // its own data-breach playbook without Swedish; the shipped Swedish no longer fits either.
            var name = try #require(try await app.store.dataMap.categories().first { $0.id == "name" })
            name.adviceEN = "Your name alone is of little use to criminals; our own words."
            _ = try await app.store.dataMap.updateCategory(name, now: app.clock.now)
            let breach = try #require(try DefaultPlaybooks.all().first { $0.threatKind == .dataBreach })
            let own = LocalizedText(en: breach.title.en, fi: breach.title.fi)
            try await app.store.playbooks.installDefaults(try DefaultPlaybooks.all(), now: app.clock.now)
            var edited = breach
            edited.title = own
            _ = try await app.store.playbooks.save(
                document: edited.json(),
                expectedID: edited.id,
                actor: "user:1",
                now: app.clock.now
            )
            let admin = try await app.login(try await app.makeStaff(.admin))
            let cookies = [RouteRegistry.sessionCookie: admin.sessionID, "kilpi_lang": "sv"]
            // Shipped category names are Swedish; the company's own advice is English, marked so.
            let systems = WebTestApp.text(try await app.request(.get, "/console/systems", cookies: cookies))
            #expect(systems.contains("E-postadress"))
            #expect(systems.contains("<td><span lang=\"en\">Your name alone is of little use"))
            // The company's playbook title likewise.
            let plan = WebTestApp.text(try await app.request(.get, "/console/plan", cookies: cookies))
            #expect(plan.contains("Åtgärdsplaner"))
            #expect(plan.contains("<td>Dataintrång</td>"))
            #expect(plan.contains("<a href=\"/console/playbooks/data-breach\"><span lang=\"en\">"))
        }
    }

    @Test func fallbackTextIsMarkedEnglish() {
        let view = ViewContext(language: .sv, user: nil, csrfToken: "", demo: false, path: "/")
        let title = LocalizedText(en: "Contain the phishing", fi: "Rajaa kalastelu")
        #expect(view.text(title).rendered == "<span lang=\"en\">Contain the phishing</span>")
        let finnish = ViewContext(language: .fi, user: nil, csrfToken: "", demo: false, path: "/")
        #expect(finnish.text(title).rendered == "Rajaa kalastelu")
        #expect(view.l(ThreatKind.phishing.nameEN, ThreatKind.phishing.nameFI) == "Nätfiske")
    }
}

/// The English messages written in the source, found by reading it.
struct SourceMessages {
    struct Message: Sendable {
        let english: String
        let file: String
    }

    /// The package root, from this file's path (Tests/KilpiWebTests/LocalisationTests.swift).
    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    static func scan(directories: [String]) throws -> [Message] {
        var messages: [Message] = []
        var seen: Set<String> = []
        for directory in directories {
            let root = packageRoot.appendingPathComponent(directory)
            guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else {
                continue
            }
            for case let url as URL in walker where url.pathExtension == "swift" {
                let source = try String(contentsOf: url, encoding: .utf8)
                let file = String(url.path.dropFirst(packageRoot.path.count + 1))
                var pairs = literalPairs(in: source, after: ".l(")
                if url.lastPathComponent == "UIText.swift" { pairs += literalPairs(in: source, after: "(") }
                for english in pairs where seen.insert(english).inserted {
                    messages.append(Message(english: english, file: file))
                }
            }
        }
        return messages
    }

    /// The English of every `opener "…", "…")` in `source`: two string literals and nothing else between the
    /// parentheses. Escapes are decoded as Swift does; interpolations are kept as written (`\(count)`), which is
    /// how catalogue keys write them.
    static func literalPairs(in source: String, after opener: String) -> [String] {
        let characters = Array(source)
        let open = Array(opener)
        var result: [String] = []
        var index = 0
        while index + open.count <= characters.count {
            guard Array(characters[index..<index + open.count]) == open else {
                index += 1
                continue
            }
            var cursor = index + open.count
            index += 1
            skipSpace(characters, &cursor)
            guard let english = literal(characters, &cursor) else { continue }
            skipSpace(characters, &cursor)
            guard cursor < characters.count, characters[cursor] == "," else { continue }
            cursor += 1
            skipSpace(characters, &cursor)
            guard literal(characters, &cursor) != nil else { continue }
            skipSpace(characters, &cursor)
            guard cursor < characters.count, characters[cursor] == ")" else { continue }
            result.append(english)
        }
        return result
    }

    private static func skipSpace(_ characters: [Character], _ cursor: inout Int) {
        while cursor < characters.count, characters[cursor].isWhitespace { cursor += 1 }
    }

    /// A one-line string literal at `cursor` (not raw, not multi-line), decoded; nil if there is none.
    private static func literal(_ characters: [Character], _ cursor: inout Int) -> String? {
        guard cursor < characters.count, characters[cursor] == "\"" else { return nil }
        if cursor + 2 < characters.count, characters[cursor + 1] == "\"", characters[cursor + 2] == "\"" {
            return nil
        }
        var position = cursor + 1
        var text = ""
        while position < characters.count {
            let character = characters[position]
            if character == "\"" {
                cursor = position + 1
                return text
            }
            if character == "\n" { return nil }
            if character == "\\", position + 1 < characters.count {
                let next = characters[position + 1]
                if next == "(" {
                    // An interpolation: keep it verbatim up to its balanced closing parenthesis, skipping
                    // string literals inside it.
                    var depth = 0
                    var end = position + 1
                    var inString = false
                    while end < characters.count {
                        let c = characters[end]
                        if inString {
                            if c == "\\" { end += 1 } else if c == "\"" { inString = false }
                        } else if c == "\"" {
                            inString = true
                        } else if c == "(" {
                            depth += 1
                        } else if c == ")" {
                            depth -= 1
                            if depth == 0 { break }
                        }
                        end += 1
                    }
                    guard end < characters.count else { return nil }
                    text += String(characters[position...end])
                    position = end + 1
                    continue
                }
                switch next {
                case "n": text += "\n"
                case "t": text += "\t"
                case "0": text += "\0"
                case "\\": text += "\\"
                case "\"": text += "\""
                case "'": text += "'"
                default: text += "\\\(next)"
                }
                position += 2
                continue
            }
            text.append(character)
            position += 1
        }
        return nil
    }
}
