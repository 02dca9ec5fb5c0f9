import Testing

@testable import KilpiCore

/// "What you should do now" follows from the customer's own exposed categories and the incident's threat kinds.
@Suite struct NoticeActionsTests {
    static func actions(_ categories: [String], _ kinds: [ThreatKind] = [.dataBreach]) -> [LocalizedMessage] {
        NoticeActions.actions(categoryIDs: categories, kinds: kinds)
    }

    @Test func aCardMeansWatchStatementsAndCallTheBank() {
        let steps = Self.actions(["payment_card"])
        #expect(steps == [NoticeActions.card])
        #expect(steps[0].en.contains("card statements") && steps[0].en.contains("call your bank"))
    }

    @Test func credentialsMeanChangeThePasswordHereAndWhereverReused() {
        let steps = Self.actions(["credentials"])
        #expect(steps.first == NoticeActions.password)
        #expect(steps[0].en.contains("our service") && steps[0].en.contains("same or a similar password"))
        #expect(steps.contains(NoticeActions.neverAsk))
        #expect(!steps.contains(NoticeActions.card))
    }

    @Test func anEmailAddressMeansExpectPhishingAndWeNeverAskForYourPassword() {
        let steps = Self.actions(["email"])
        #expect(steps == [NoticeActions.phishing, NoticeActions.neverAsk])
        #expect(NoticeActions.neverAsk.en.contains("never ask for your password or send you a link to sign in"))
    }

    @Test func phishingOrSocialEngineeringAddTheirStepsWithoutAnEmailAddress() {
        for kind in [ThreatKind.phishing, .socialEngineering] {
            let steps = Self.actions(["name"], [kind])
            #expect(steps.contains(NoticeActions.gaveDetails), "\(kind)")
            #expect(steps.contains(NoticeActions.phishing), "\(kind)")
            #expect(steps.contains(NoticeActions.neverAsk), "\(kind)")
        }
        #expect(!Self.actions(["name"], [.malware]).contains(NoticeActions.gaveDetails))
        #expect(!Self.actions(["name"], [.dataBreach]).contains(NoticeActions.phishing))
    }

    @Test func theMostUrgentComeFirstAndEachOnce() {
        let steps = Self.actions(
            ["email", "name", "payment_card", "credentials", "bank_account", "phone", "order_history"],
            [.phishing, .dataBreach]
        )
        #expect(Array(steps.prefix(3)) == [NoticeActions.card, NoticeActions.bankAccount, NoticeActions.password])
        #expect(Set(steps).count == steps.count)
        #expect(steps.contains(NoticeActions.calls))
        #expect(steps.contains(NoticeActions.scams))
        #expect(!steps.contains(NoticeActions.nothingNeeded))
    }

    @Test func everyShippedCategoryGivesSteps() {
        for category in DataCategory.catalogue {
            let steps = Self.actions([category.id])
            #expect(!steps.isEmpty, "\(category.id)")
            if category.id == "ip_address" {
                #expect(steps == [NoticeActions.nothingNeeded])
            } else {
                #expect(!steps.contains(NoticeActions.nothingNeeded), "\(category.id)")
            }
        }
        #expect(Self.actions(["health"]).contains(NoticeActions.blackmail))
        #expect(Self.actions(["location"]).contains(NoticeActions.safety))
        #expect(Self.actions(["national_id"]).contains(NoticeActions.identity))
        #expect(Self.actions(["identity_document"]).contains(NoticeActions.identity))
    }

    @Test func anInstallationsOwnCategoryOrNoneAtAllNeedsNothingNow() {
        #expect(Self.actions(["loyalty_points"]) == [NoticeActions.nothingNeeded])
        #expect(Self.actions([], []) == [NoticeActions.nothingNeeded])
    }

    @Test func everyStepHasFinnishAndSwedish() {
        let all = [
            NoticeActions.card, NoticeActions.bankAccount, NoticeActions.password, NoticeActions.identity,
            NoticeActions.blackmail, NoticeActions.safety, NoticeActions.phishing, NoticeActions.neverAsk,
            NoticeActions.calls, NoticeActions.gaveDetails, NoticeActions.scams, NoticeActions.nothingNeeded,
        ]
        for step in all {
            #expect(step.fi != step.en)
            #expect(MessageCatalogue.swedish.lookup(step.en) != nil, "\(step.en)")
        }
    }
}
