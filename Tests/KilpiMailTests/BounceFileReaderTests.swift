import Foundation
import KilpiCore
import Testing

@testable import KilpiMail

/// `kilpi notices bounces FILE...`: delivery status notifications as Postfix, Exim, Gmail and Exchange write them,
/// older plain-text bounces, mboxes of several, and input that is broken, truncated, huge or not ours, each
/// message accounted for by its index and line.
@Suite struct BounceFileReaderTests {
    typealias F = BounceFixtures

    static func read(_ text: String, maxMessageBytes: Int = BounceFileReader.defaultMaxMessageBytes) -> [BounceRecord] {
        BounceFileReader.read(bytes: Array(text.utf8), bounceDomain: F.domain, maxMessageBytes: maxMessageBytes)
    }

    // MARK: - Delivery status notifications

    @Test func postfixHardBounceNamesItsNotice() throws {
        let records = Self.read(F.postfix(F.noticeA))
        let record = try #require(records.first)
        #expect(records.count == 1)
        #expect(record.kind == .hard)
        #expect(record.hard && record.shouldMarkBounced)
        #expect(record.outboxID == F.noticeA)
        #expect(record.status == "5.1.1")
        #expect(record.action == "failed")
        #expect(record.finalRecipient == "matti@example.fi")
        #expect(record.messageIndex == 1 && record.line == 1)
        // Unfolded, and the customer's address is not kept in what is stored and printed.
        #expect(
            record.diagnostic
                == "550 5.1.1 <[address]>: Recipient address rejected: User unknown in virtual mailbox table"
        )
        #expect(record.description == "message 1, line 1: delivery failed permanently (5.1.1)")
        #expect(record.description(in: .fi) == "viesti 1, rivi 1: toimitus epäonnistui pysyvästi (5.1.1)")
        #expect(record.description(in: .sv) == "meddelande 1, rad 1: leveransen misslyckades permanent (5.1.1)")
    }

    /// Either clue alone names the notice: the VERP address it was delivered to, or the returned X-Kilpi-Notice.
    @Test func eitherTheBounceAddressOrTheReturnedHeaderNamesTheNotice() throws {
        // Delivered to a plain postmaster address: only the returned message's header names it.
        let byHeader = try #require(Self.read(F.postfix(F.noticeA, to: "postmaster@kauppa.example")).first)
        #expect(byHeader.outboxID == F.noticeA && byHeader.shouldMarkBounced)
        // The returned message lost its header (some servers return only the body): the VERP address names it.
        let byAddress = try #require(Self.read(F.postfix(F.noticeB, returned: "Subject: (lost)\n\nbody\n")).first)
        #expect(byAddress.outboxID == F.noticeB && byAddress.shouldMarkBounced)
        // An upper-cased bounce address still names it (outbox ids are lowercase).
        let upper = F.postfix(F.noticeC, to: F.bounceAddress(F.noticeC).uppercased(), returned: "\n")
        #expect(try #require(Self.read(upper).first).outboxID == F.noticeC)
    }

    @Test func twoDifferentNoticesNameNone() throws {
        let record = try #require(Self.read(F.postfix(F.noticeA, returned: F.notice(F.noticeB))).first)
        #expect(record.kind == .hard)
        #expect(record.outboxID == nil && !record.shouldMarkBounced)
        #expect(record.explanation.en.hasPrefix("names two different notices"))
    }

    @Test func eximBounceWithTheRecipientBlockInItsOwnOrder() throws {
        let record = try #require(Self.read(F.exim(F.noticeB)).first)
        #expect(record.kind == .hard && record.outboxID == F.noticeB)
        #expect(record.status == "5.0.0")
        #expect(record.finalRecipient == "liisa@example.org")
        #expect(record.diagnostic == "550 5.7.1 Message rejected as spam by Content Filtering.")
    }

    @Test func gmailBounceWithFoldedFieldsAndABase64Original() throws {
        let records = Self.read(F.gmail(F.noticeC))
        let record = try #require(records.first)
        #expect(records.count == 1)
        #expect(record.kind == .hard && record.outboxID == F.noticeC)
        #expect(record.status == "5.1.1")
        #expect(record.finalRecipient == "anna.virtanen@gmail.com")
        #expect(record.diagnostic.hasPrefix("550-5.1.1 The email account that you tried to reach does not exist."))
        #expect(record.diagnostic.hasSuffix("?p=NoSuchUser a1b2c3d4e5f6.123 - gsmtp"))
        // Without the VERP address, the base64-encoded returned message alone still names the notice.
        let withoutVERP = F.gmail(F.noticeC).replacingOccurrences(
            of: F.bounceAddress(F.noticeC),
            with: "x@kauppa.example"
        )
        #expect(try #require(Self.read(withoutVERP).first).outboxID == F.noticeC)
    }

    @Test func microsoftNDRWithOnlyQuotedPrintableHeadersReturned() throws {
        let record = try #require(Self.read(F.microsoft(F.noticeA)).first)
        #expect(record.kind == .hard)
        #expect(record.outboxID == F.noticeA)
        #expect(record.status == "5.1.10")
        #expect(record.finalRecipient == "sanna@contoso.fi")
        #expect(
            record.diagnostic
                == "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient [address] not found by SMTP address lookup"
        )
        // Saved from a mail client as an .eml with CRLF line ends: the same record.
        let eml = BounceFileReader.read(bytes: F.crlf(F.microsoft(F.noticeA)), bounceDomain: F.domain)
        #expect(eml == [record])
    }

    @Test func delayedIsReportedButNotMarkedBounced() throws {
        let postfix = try #require(Self.read(F.postfixDelayed(F.noticeA)).first)
        #expect(postfix.kind == .soft && !postfix.hard && !postfix.shouldMarkBounced)
        #expect(postfix.outboxID == F.noticeA)
        #expect(postfix.status == "4.4.1")
        #expect(postfix.diagnostic == "connect to mx.example.net[198.51.100.9]:25: Connection timed out")
        #expect(postfix.explanation.en == "delivery delayed (4.4.1) and still being retried: not marked bounced")

        let exim = try #require(Self.read(F.eximDelayed(F.noticeB)).first)
        #expect(exim.kind == .soft && exim.outboxID == F.noticeB && exim.status == "4.0.0")
        #expect(exim.diagnostic == "451 4.7.1 Greylisted, please try again later")
    }

    /// A server that gave up after days of 4xx replies did not deliver the notice either: the customer must reach
    /// the letter-shop list, so `Action: failed` is hard whatever the status class.
    @Test func failedAfterRetryingIsHardWhateverTheStatusClass() throws {
        let gaveUp = F.postfixDelayed(F.noticeA).replacingOccurrences(of: "Action: delayed", with: "Action: failed")
        let record = try #require(Self.read(gaveUp).first)
        #expect(record.kind == .hard && record.status == "4.4.1" && record.shouldMarkBounced)
    }

    @Test func successReportsAndMissingOutcomes() throws {
        let delivered = F.postfix(F.noticeA).replacingOccurrences(of: "Action: failed", with: "Action: delivered")
            .replacingOccurrences(of: "Status: 5.1.1", with: "Status: 2.0.0")
        let success = try #require(Self.read(delivered).first)
        #expect(success.kind == .delivered && !success.shouldMarkBounced && success.outboxID == nil)

        // No Action: the status class decides; neither: the record says so.
        let noAction = F.postfix(F.noticeA).replacingOccurrences(of: "Action: failed\n", with: "")
        #expect(try #require(Self.read(noAction).first).kind == .hard)
        let neither = noAction.replacingOccurrences(of: "Status: 5.1.1\n", with: "")
            .replacingOccurrences(of: "Diagnostic-Code: smtp; 550 5.1.1", with: "Diagnostic-Code: smtp; rejected")
        let unknown = try #require(Self.read(neither).first)
        #expect(unknown.kind == .unreadable)
        #expect(unknown.explanation.en == "a recipient's report has neither Action nor Status")
    }

    @Test func aDSNAboutSomebodyElsesMessageNamesNoNotice() throws {
        let record = try #require(Self.read(F.notOurs()).first)
        // Another domain's bounces+ address with one of our ids in it does not count, nor does its content.
        #expect(record.kind == .hard && record.status == "5.2.2")
        #expect(record.outboxID == nil && !record.shouldMarkBounced)
        #expect(
            record.explanation.en
                == "names none of our notices (no X-Kilpi-Notice header, no bounces+<id> address at kauppa.example)"
        )
    }

    @Test func encodedStatusPartsAreDecoded() throws {
        // Some gateways transfer-encode every part, the status part included.
        let fields = """
            Reporting-MTA: dns; gw.example.org

            Final-Recipient: rfc822; kaisa@example.org
            Action: failed
            Status: 5.1.2
            Diagnostic-Code: smtp; 550 5.1.2 Host unknown (Domain name not found)

            """
        let encoded = Data(fields.utf8).base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
        let message = """
            From: postmaster@gw.example.org
            To: \(F.bounceAddress(F.noticeB))
            Subject: Delivery Status Notification (Failure)
            MIME-Version: 1.0
            Content-Type: multipart/report; report-type="delivery-status"; boundary="=_gw_1"

            --=_gw_1
            Content-Type: text/plain; charset=utf-8
            Content-Transfer-Encoding: quoted-printable

            Toimitus ep=C3=A4onnistui.
            --=_gw_1
            Content-Type: message/delivery-status
            Content-Transfer-Encoding: base64

            \(encoded)
            --=_gw_1--
            """
        let record = try #require(Self.read(message).first)
        #expect(record.kind == .hard && record.outboxID == F.noticeB && record.status == "5.1.2")
        #expect(record.diagnostic == "550 5.1.2 Host unknown (Domain name not found)")
    }

    // MARK: - Plain-text bounces

    @Test func qmailPlainTextBounce() throws {
        // Delivered to a catch-all address: the quoted copy's X-Kilpi-Notice names the notice.
        let record = try #require(Self.read(F.qmail(F.noticeC, to: "postmaster@kauppa.example")).first)
        #expect(record.kind == .hard && record.outboxID == F.noticeC)
        #expect(record.status == "5.1.1")
        #expect(record.diagnostic == "Sorry, no mailbox here by that name. (#5.1.1)")
        #expect(record.finalRecipient == "jussi@vanha.example")
        #expect(record.action == nil)
    }

    @Test func autoRepliesAreNotBounces() throws {
        // It came to our bounce address, but an out-of-office reply says nothing about delivery.
        let record = try #require(Self.read(F.outOfOffice(F.noticeA)).first)
        #expect(record.kind == .notABounce && record.outboxID == nil && !record.shouldMarkBounced)
        #expect(record.description == "message 1, line 1: not a delivery status notification or a bounce")
    }

    @Test func aPlainTextDelayWarningIsSoft() throws {
        let warning = """
            From: Mail Delivery System <MAILER-DAEMON@old.example.net>
            To: \(F.bounceAddress(F.noticeA))
            Subject: Warning: message delayed

            This message was created automatically by mail delivery software.
            A message that you sent has not yet been delivered to one or more of its
            recipients after more than 24 hours on the queue.

            The message identifier is:     1tABCE-000124-CD

              pekka@example.net
                451 4.4.1 Connection timed out; will retry

            ------ This is a copy of the message's headers. ------

            X-Kilpi-Notice: \(F.noticeA)
            """
        let record = try #require(Self.read(warning).first)
        #expect(record.kind == .soft && record.outboxID == F.noticeA && record.status == "4.4.1")
        #expect(!record.shouldMarkBounced)
    }

    // MARK: - mbox and files

    @Test func anMboxOfSeveralKeepsIndexAndLine() throws {
        let messages = [
            F.postfix(F.noticeA), F.outOfOffice(F.noticeB), F.exim(F.noticeB), F.microsoft(F.noticeC),
            F.notOurs(), F.qmail(F.noticeC, to: F.bounceAddress(F.noticeC)),
        ]
        let mbox = F.mbox(messages)
        let records = Self.read(mbox)
        #expect(records.map(\.messageIndex) == [1, 2, 3, 4, 5, 6])
        #expect(records.map(\.kind) == [.hard, .notABounce, .hard, .hard, .hard, .hard])
        #expect(records.map(\.outboxID) == [F.noticeA, nil, F.noticeB, F.noticeC, nil, F.noticeC])
        // Each record's line is its message's From line.
        let lines = mbox.split(separator: "\n", omittingEmptySubsequences: false)
        for record in records { #expect(lines[record.line - 1] == F.fromLine[...]) }
        #expect(records[0].line == 1)
        #expect(records[1].line == 1 + messages[0].split(separator: "\n", omittingEmptySubsequences: false).count + 1)

        // The same file on disk, CRLF line ends, read in chunks: the same records.
        let path = NSTemporaryDirectory() + "kilpi-bounces-\(UUID()).mbox"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(F.crlf(mbox)).write(to: URL(fileURLWithPath: path))
        #expect(try BounceFileReader.read(path: path, bounceDomain: F.domain) == records)
    }

    @Test func mboxUnquotesFromLinesAndSplitsOnlyAtFromLines() {
        let mbox = """
            From a@example  Tue Dec  1 10:00:01 2026
            Subject: one

            >From the team
            >>From quoted twice
            > From not a From line
            From inside a paragraph is not a separator

            From b@example  Tue Dec  1 10:00:02 2026
            Subject: two

            body
            """
        var splitter = MboxSplitter(maxMessageBytes: 1 << 20)
        splitter.feed(Array(mbox.utf8))
        splitter.finish()
        let messages = splitter.takeOutput()
        #expect(splitter.format == .mbox)
        #expect(messages.map(\.line) == [1, 9])
        #expect(
            String(decoding: messages[0].bytes, as: UTF8.self)
                == "Subject: one\n\nFrom the team\n>From quoted twice\n> From not a From line\n"
                + "From inside a paragraph is not a separator\n"
        )
        #expect(String(decoding: messages[1].bytes, as: UTF8.self) == "Subject: two\n\nbody\n")

        // A single message (.eml) is never split and never unquoted.
        var single = MboxSplitter(maxMessageBytes: 1 << 20)
        single.feed(Array("\n\nSubject: x\n\n>From here\n\nFrom there\n".utf8))
        single.finish()
        let one = single.takeOutput()
        #expect(single.format == .single)
        #expect(one.count == 1 && one[0].line == 3)
        #expect(String(decoding: one[0].bytes, as: UTF8.self) == "Subject: x\n\n>From here\n\nFrom there\n")
    }

    @Test func unreadableFilesNameTheFile() throws {
        let missing = "/nonexistent/kilpi/bounces.mbox"
        #expect(throws: BounceFileError.noSuchFile(missing)) {
            try BounceFileReader.read(path: missing, bounceDomain: F.domain)
        }
        #expect(BounceFileError.noSuchFile(missing).description == "\(missing): no such file")
        let directory = NSTemporaryDirectory()
        #expect(throws: BounceFileError.isADirectory(directory)) {
            try BounceFileReader.read(path: directory, bounceDomain: F.domain)
        }
        #expect(BounceFileError.isADirectory("x").description(in: .sv) == "x: är en katalog")
        // An empty file holds no bounces.
        #expect(Self.read("").isEmpty && Self.read("\n\n").isEmpty)
    }

    // MARK: - Broken, truncated, huge

    @Test func truncatedMessagesAreNamedNotFatal() throws {
        let full = F.postfix(F.noticeA)
        // Cut inside the header.
        let inHeader = String(full.prefix(200))
        // Cut after the text part: the multipart/report never reaches its status part.
        let beforeStatus = String(full[..<full.range(of: "Content-Description: Delivery report")!.lowerBound])
        // Cut inside the status part, after the recipient's fields: still a usable report.
        let inStatus = String(full[..<full.range(of: "Remote-MTA:")!.lowerBound])
        let records = Self.read(
            F.mbox([inHeader, beforeStatus, inStatus, "Subject: hello\n\njust a letter\n", F.exim(F.noticeB)])
        )
        #expect(records.map(\.kind) == [.unreadable, .unreadable, .hard, .notABounce, .hard])
        #expect(records[0].explanation.en == "the header does not end (a truncated message?)")
        #expect(
            records[1].explanation.en
                == "a delivery report without its message/delivery-status part (a truncated message?)"
        )
        #expect(records[2].outboxID == F.noticeA && records[2].status == "5.1.1")
        #expect(records[4].outboxID == F.noticeB && records[4].messageIndex == 5)

        // A status part that names nobody; MIME that is garbage; binary noise.
        let nobody = full.replacingOccurrences(of: "Final-Recipient: rfc822; matti@example.fi\n", with: "")
            .replacingOccurrences(of: "Original-Recipient: rfc822;matti@example.fi\n", with: "")
            .replacingOccurrences(of: "Action: failed\n", with: "").replacingOccurrences(
                of: "Status: 5.1.1\n",
                with: ""
            )
        #expect(
            try #require(Self.read(nobody).first).explanation.en
                == "the message/delivery-status part names no recipient (Final-Recipient, Action, Status)"
        )
        let garbage = "Content-Type: multipart/report; boundary=\"\"\n\n--\n--\n"
        #expect(Self.read(garbage).map(\.kind) == [.unreadable])
        var noise: [UInt8] = (0..<50_000).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) }
        noise += Array("\n".utf8)
        let noiseRecords = BounceFileReader.read(bytes: noise, bounceDomain: F.domain)
        #expect(noiseRecords.count == 1 && !noiseRecords[0].shouldMarkBounced)
    }

    @Test func aHugeMessageIsSkippedWithBoundedMemoryAndTheRestIsRead() throws {
        let limit = 64 << 10
        // One message of many lines over the limit, one of a single 1 MiB line, then a real bounce.
        let manyLines = "Subject: big\n\n" + String(repeating: "0123456789abcdef\n", count: 10_000)
        let oneLine = "Subject: long line\n\n" + String(repeating: "x", count: 1 << 20) + "\n"
        let records = Self.read(F.mbox([manyLines, oneLine, F.postfix(F.noticeA)]), maxMessageBytes: limit)
        #expect(records.map(\.kind) == [.unreadable, .unreadable, .hard])
        #expect(records[0].explanation.en == "larger than 0.0625 MiB, not read")
        #expect(records[2].messageIndex == 3 && records[2].outboxID == F.noticeA)
        #expect(records[2].line == 1 + 10_002 + 1 + 1 + 3 + 1 + 1)
        let defaultLimit = BounceFileReader.records(
            of: MboxSplitter.Message(bytes: [], index: 1, line: 1, tooLarge: true),
            reader: BounceMessageReader(bounceDomain: F.domain),
            maxMessageBytes: BounceFileReader.defaultMaxMessageBytes
        )
        #expect(defaultLimit.first?.explanation.en == "larger than 10 MiB, not read")
        #expect(defaultLimit.first?.explanation.text(.sv) == "större än 10 MiB, inte läst")
    }

    @Test func aLargeMboxStreamsThroughAFile() throws {
        // 2,000 bounces (about 14 MB): read through 64 KiB chunks, every one accounted for in order.
        let path = NSTemporaryDirectory() + "kilpi-bounces-\(UUID()).mbox"
        defer { try? FileManager.default.removeItem(atPath: path) }
        FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        let notices = (0..<2_000).map { _ in OutboxID(UUID()) }
        for notice in notices { handle.write(Data(F.mbox([F.postfix(notice)]).utf8)) }
        try handle.close()
        var seen: [OutboxID?] = []
        try BounceFileReader.forEachRecord(path: path, bounceDomain: F.domain) { record in
            #expect(record.kind == .hard)
            seen.append(record.outboxID)
        }
        #expect(seen == notices)
    }

    // MARK: - Pieces

    @Test func deliveryStatusFieldsAreUnfoldedAndTyped() {
        let report = DeliveryStatusReport(
            parsing: Array(
                """
                Reporting-MTA: dns;
                 mx.example.org
                Original-Envelope-Id: 0f3c9a1e
                Final-Recipient: RFC822; <a@example.org>
                Action: Failed (bad destination mailbox address)
                Status: 5.1.1 (bad destination mailbox address)
                Diagnostic-Code: 550 user unknown; see
                 https://example.org/help

                Final-Recipient: rfc822; b@example.org
                Action: delayed
                Status: 4.2.2

                """.utf8
            )
        )
        #expect(report.reportingMTA == "mx.example.org")
        #expect(report.originalEnvelopeID == "0f3c9a1e")
        #expect(
            report.recipients == [
                .init(
                    action: "failed",
                    status: "5.1.1",
                    finalRecipient: "a@example.org",
                    originalRecipient: nil,
                    diagnosticCode: "550 user unknown; see https://example.org/help",
                    remoteMTA: nil
                ),
                .init(
                    action: "delayed",
                    status: "4.2.2",
                    finalRecipient: "b@example.org",
                    originalRecipient: nil,
                    diagnosticCode: nil,
                    remoteMTA: nil
                ),
            ]
        )
    }

    @Test func statusCodesAndAddressesInText() {
        #expect(BounceText.enhancedStatus(in: "550-5.1.1 The email account") == "5.1.1")
        #expect(BounceText.enhancedStatus(in: "(#5.1.1)") == "5.1.1")
        #expect(BounceText.enhancedStatus(in: "host 192.0.2.25 said 5.7.26") == "5.7.26")
        #expect(BounceText.enhancedStatus(in: "version 4.96.1.2 and 10.5.1") == nil)
        #expect(BounceText.replyCode(in: "said: 550 rejected") == "550")
        #expect(BounceText.replyCode(in: "port 2525 or v450") == nil)
        #expect(
            BounceText.diagnostic("<a.b+c@example.fi>: no, user@sub.example.org. not\tfound\u{7}")
                == "<[address]>: no, [address] not found"
        )
        #expect(BounceText.diagnostic(String(repeating: "x", count: 500)).count == 400)
    }

    @Test func transferDecodingIsLenient() {
        #expect(TransferDecoding.base64(Array("SGVs\nbG8=".utf8)[...]) == Array("Hello".utf8))
        #expect(TransferDecoding.base64(Array("SGVsbG8".utf8)[...]) == Array("Hello".utf8))
        #expect(
            TransferDecoding.quotedPrintable(Array("ep=C3=A4onn=\nistui =ZZ =\n".utf8)[...])
                == Array("epäonnistui =ZZ ".utf8)
        )
    }
}
