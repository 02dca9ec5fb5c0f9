import Testing

@testable import KilpiCore

/// The Swedish catalogue is merged from several files; a message written in two of them would silently lose one
/// translation, so none may be.
@Suite struct SwedishCatalogueFilesTests {
    @Test func noMessageIsTranslatedInTwoFiles() {
        let files: [(String, [String: String])] = [
            ("Swedish.swift", Swedish.messages), ("Swedish+Incidents.swift", Swedish.incidentMessages),
            ("Swedish+Accounts.swift", Swedish.accountMessages), ("Swedish+API.swift", Swedish.apiMessages),
            ("Swedish+Parsers.swift", Swedish.parserMessages), ("Swedish+Notices.swift", Swedish.noticeMessages),
            ("Swedish+Templates.swift", Swedish.templateMessages), ("Swedish+Mail.swift", Swedish.mailMessages),
            ("Swedish+NoticePages.swift", Swedish.noticePageMessages),
            ("Swedish+Support.swift", Swedish.slaMessages),
            ("Swedish+SupportStore.swift", Swedish.supportStoreMessages),
            ("Swedish+SupportPages.swift", Swedish.supportPageMessages),
            ("Swedish+SupportInbox.swift", Swedish.supportInboxMessages),
            ("Swedish+Posts.swift", Swedish.postMessages),
            ("Swedish+TrustCenter.swift", Swedish.trustCenterMessages),
            ("Swedish+TrustCenterPosts.swift", Swedish.trustCenterPostMessages),
            ("Swedish+Measures.swift", Swedish.measureMessages),
        ]
        var seen: [String: String] = [:]
        for (file, entries) in files {
            for key in entries.keys {
                #expect(seen[key] == nil, "\"\(key)\" is in \(seen[key] ?? "") and \(file)")
                seen[key] = file
            }
        }
        #expect(MessageCatalogue.swedish.entries.count >= seen.count)
    }
}
