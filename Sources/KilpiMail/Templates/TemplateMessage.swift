import KilpiCore
import Mustache

/// The template checker's messages, each naming the line (Swedish in `Swedish+Templates.swift`).
enum TemplateMessage {
    static func subjectLines() -> LocalizedMessage {
        .l("line 2: the subject must be one line", "rivi 2: otsikon on oltava yksi rivi")
    }

    static func emptySubject() -> LocalizedMessage { .l("must not be empty", "ei saa olla tyhjä") }

    static func function(_ line: Int, _ name: String) -> LocalizedMessage {
        .l(
            "line \(line): functions such as “\(name)” are not supported",
            "rivi \(line): funktioita, kuten ”\(name)”, ei tueta"
        )
    }

    static func outsideList(_ line: Int, _ name: String, _ list: String) -> LocalizedMessage {
        .l(
            "line \(line): “\(name)” exists only inside {{#\(list)}} … {{/\(list)}}",
            "rivi \(line): ”\(name)” on käytettävissä vain lohkossa {{#\(list)}} … {{/\(list)}}"
        )
    }

    static func unknown(_ line: Int, _ name: String) -> LocalizedMessage {
        .l("line \(line): unknown variable “\(name)”", "rivi \(line): tuntematon muuttuja ”\(name)”")
    }

    static func delimiters(_ line: Int) -> LocalizedMessage {
        .l("line \(line): changing the delimiters is not supported", "rivi \(line): erottimien vaihtamista ei tueta")
    }

    static func pragma(_ line: Int) -> LocalizedMessage {
        .l("line \(line): pragmas are not supported", "rivi \(line): pragmoja ei tueta")
    }

    static func partial(_ line: Int) -> LocalizedMessage {
        .l("line \(line): partials and blocks are not supported", "rivi \(line): osapohjia ja lohkoja ei tueta")
    }

    static func unescaped(_ line: Int, _ name: String) -> LocalizedMessage {
        .l(
            "line \(line): the HTML part must not write “\(name)” unescaped: write {{\(name)}}",
            "rivi \(line): HTML-osa ei saa tulostaa arvoa ”\(name)” suojaamatta: kirjoita {{\(name)}}"
        )
    }

    static func listAsValue(_ line: Int, _ name: String) -> LocalizedMessage {
        .l(
            "line \(line): “\(name)” is a list: use {{#\(name)}} … {{/\(name)}}",
            "rivi \(line): ”\(name)” on luettelo: käytä lohkoa {{#\(name)}} … {{/\(name)}}"
        )
    }

    static func wrongClose(_ line: Int, _ name: String, _ open: String, _ openLine: Int) -> LocalizedMessage {
        .l(
            "line \(line): {{/\(name)}} does not close the open section {{#\(open)}} from line \(openLine)",
            "rivi \(line): {{/\(name)}} ei sulje avointa lohkoa {{#\(open)}} riviltä \(openLine)"
        )
    }

    static func closesNothing(_ line: Int, _ name: String) -> LocalizedMessage {
        .l("line \(line): {{/\(name)}} closes no open section", "rivi \(line): {{/\(name)}} ei sulje mitään lohkoa")
    }

    static func neverClosed(_ line: Int, _ name: String) -> LocalizedMessage {
        .l(
            "line \(line): section {{#\(name)}} is never closed: add {{/\(name)}}",
            "rivi \(line): lohkoa {{#\(name)}} ei suljeta: lisää {{/\(name)}}"
        )
    }

    static func didNotRender(_ line: Int, _ name: String) -> LocalizedMessage {
        .l(
            "line \(line): “\(name)” did not render with sample content",
            "rivi \(line): ”\(name)” ei tulostunut esimerkkisisällöllä"
        )
    }

    static func syntax(_ line: Int, _ error: any Error) -> LocalizedMessage {
        switch error as? MustacheTemplate.Error {
        case .sectionCloseNameIncorrect:
            .l(
                "line \(line): a section is closed with another name than it was opened with",
                "rivi \(line): lohko suljetaan eri nimellä kuin se avattiin"
            )
        case .unfinishedName:
            .l(
                "line \(line): a tag is not finished: a name has only letters, digits and _, then }}",
                "rivi \(line): tagi on kesken: nimessä on vain kirjaimia, numeroita ja _, sitten }}"
            )
        case .expectedSectionEnd:
            .l(
                "line \(line): a section is opened but never closed",
                "rivi \(line): lohko avataan, mutta sitä ei suljeta"
            )
        default:
            .l(
                "line \(line): the template's syntax is wrong here",
                "rivi \(line): pohjan syntaksi on tässä virheellinen"
            )
        }
    }
}
