import Foundation
import KilpiCore
import Testing

@Suite("System kinds")
struct SystemKindTests {
    @Test func readsKindsLeniently() {
        #expect(SystemKind(lenient: "Web shop") == .webShop)
        #expect(SystemKind(lenient: "web-shop") == .webShop)
        #expect(SystemKind(lenient: "WEB_SHOP") == .webShop)
        #expect(SystemKind(lenient: " webshop ") == .webShop)
        #expect(SystemKind(lenient: "Verkkokauppa") == .webShop)
        #expect(SystemKind(lenient: "CRM") == .crm)
        #expect(SystemKind(lenient: "Payment processor") == .paymentProcessor)
        #expect(SystemKind(lenient: "email marketing") == .emailMarketing)
        #expect(SystemKind(lenient: "Support-Desk") == .supportDesk)
        #expect(SystemKind(lenient: "HR") == .hr)
    }

    @Test func refusesUnknownKinds() {
        #expect(SystemKind(lenient: "") == nil)
        #expect(SystemKind(lenient: "bank") == nil)
        #expect(SystemKind(lenient: "web shop 2") == nil)
    }

    @Test func everyKindHasNamesAndReadsBackFromThem() {
        for kind in SystemKind.allCases {
            #expect(!kind.nameEN.isEmpty && !kind.nameFI.isEmpty)
            #expect(SystemKind(lenient: kind.rawValue) == kind)
            #expect(SystemKind(lenient: kind.nameEN) == kind)
            #expect(SystemKind(lenient: kind.nameFI) == kind)
        }
    }

    @Test func codesAsItsKey() throws {
        #expect(
            String(decoding: try JSONEncoder().encode(SystemKind.paymentProcessor), as: UTF8.self)
                == "\"payment_processor\""
        )
    }
}
