import KilpiCore
import Testing

/// Every display name of Core's enums exists in Swedish, differs from nothing it should not, and is what the
/// message catalogue gives for the English name (so views that pass `nameEN` get it too).
@Suite struct SwedishNamesTests {
    static func check(_ english: String, _ finnish: String, _ swedish: String, _ name: (Language) -> String) {
        #expect(!swedish.trimmingCharacters(in: .whitespaces).isEmpty, "\(english)")
        #expect(name(.sv) == swedish)
        #expect(name(.en) == english)
        #expect(name(.fi) == finnish)
        #expect(MessageCatalogue.swedish.translate(english) == swedish, "\(english)")
    }

    @Test func threatKinds() {
        for kind in ThreatKind.allCases { Self.check(kind.nameEN, kind.nameFI, kind.nameSV, kind.name) }
    }

    @Test func statuses() {
        for status in IncidentStatus.allCases { Self.check(status.nameEN, status.nameFI, status.nameSV, status.name) }
    }

    @Test func incidentRoles() {
        for role in IncidentRole.allCases { Self.check(role.nameEN, role.nameFI, role.nameSV, role.name) }
    }

    @Test func contactKinds() {
        for kind in ResponsePlan.ContactKind.allCases { Self.check(kind.nameEN, kind.nameFI, kind.nameSV, kind.name) }
    }

    @Test func systemKinds() {
        for kind in SystemKind.allCases {
            Self.check(kind.nameEN, kind.nameFI, kind.nameSV, kind.name)
            #expect(SystemKind(lenient: kind.nameSV) == kind, "an import may name the kind in Swedish")
        }
    }

    @Test func severityDefinitions() {
        for severity in Severity.allCases {
            Self.check(severity.definitionEN, severity.definitionFI, severity.definitionSV, severity.definition)
        }
    }

    @Test func shippedDataCategoriesAndTheFallbackForEditedOnes() {
        #expect(Set(DataCategory.swedishNames.keys) == Set(DataCategory.catalogue.map(\.id)))
        for category in DataCategory.catalogue {
            let swedish = category.name(.sv)
            #expect(swedish.language == .sv && !swedish.text.isEmpty, "\(category.id)")
            // Shipped advice is Swedish as long as its English is unchanged (SwedishContentTests has the rest).
            #expect(category.advice(.sv).language == .sv, "\(category.id)")
            #expect(category.advice(.fi) == ResolvedText(category.adviceFI, .fi))
        }
        var edited = DataCategory.catalogue[0]
        edited.nameEN = "Full name"
        #expect(edited.name(.sv) == ResolvedText("Full name", .en))
    }

    @Test func languagesHaveTheirOwnNames() {
        #expect(Language.allCases.map(\.name) == ["English", "Suomi", "Svenska"])
        #expect(Language.sv.tag == "sv")
        #expect(Language.preferred(acceptLanguage: "sv-FI;q=0.9, en;q=0.8") == .sv)
        #expect(Language.preferred(acceptLanguage: "fi-FI") == .fi)
        #expect(Language.preferred(acceptLanguage: "de-DE") == nil)
        #expect(Language.preferred(acceptLanguage: "en;q=0.2, de, sv ; q = 0.3") == .sv)
    }
}
