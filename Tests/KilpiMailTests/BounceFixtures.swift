import Foundation
import KilpiMail

/// Bounces as real mail servers write them (Postfix, Exim, Gmail, Exchange Online, qmail), each about a notice
/// rendered by `MailMessage`, so the returned copy carries the headers our notices really have. LF line ends, as
/// they are stored in an mbox; `crlf` turns one into an .eml as a client saves it.
enum BounceFixtures {
    static let domain = "kauppa.example"
    static let noticeA = try! OutboxID("0f3c9a1e-5b7d-4e2a-9c61-2d8f4b7a1c05")
    static let noticeB = try! OutboxID("7d2e4b10-93aa-4c1f-8e0b-5a6c7d8e9f01")
    static let noticeC = try! OutboxID("c41d9e22-0b7a-4f3e-a5d6-1e2f3a4b5c6d")

    static func bounceAddress(_ notice: OutboxID) -> String { try! notice.bounceAddress(domain: domain) }

    /// A notice as Kilpi sends it, LF line ends.
    static func notice(_ notice: OutboxID, to address: String = "matti@example.fi") -> String {
        let message = MailMessage(
            from: MailAddress("ilmoitukset@kauppa.example", displayName: "Kauppa Oy"),
            to: MailAddress(address, displayName: "Matti Meikäläinen"),
            subject: "Tietoturvaloukkaus – mitä tapahtui",
            text: "Hyvä Matti,\n\nhavaitsimme tietoturvaloukkauksen.\nFrom now on: vaihda salasanasi.\n",
            html: "<p>Hyvä Matti,</p><p>havaitsimme tietoturvaloukkauksen.</p>",
            outboxID: notice,
            date: Date(timeIntervalSince1970: 1_796_112_000)
        )
        let bytes = try! message.rendered().bytes
        return String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
    }

    /// Just the header of a notice (what `text/rfc822-headers` returns).
    static func noticeHeaders(_ notice: OutboxID, to address: String = "matti@example.fi") -> String {
        let whole = Self.notice(notice, to: address)
        let end = whole.range(of: "\n\n")!
        return "Received: from mail.kauppa.example (mail.kauppa.example [203.0.113.5])\n"
            + "\tby mx.example.net with ESMTPS id 4Xk2Qm0zVbz9sWl\n\tfor <\(address)>; Tue,  1 Dec 2026 10:00:00 +0200\n"
            + String(whole[..<end.lowerBound]) + "\n"
    }

    static func crlf(_ text: String) -> [UInt8] { Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8) }

    /// Postfix's DSN for a recipient refused at RCPT (bounce(8) with the original attached).
    static func postfix(_ notice: OutboxID, to recipient: String? = nil, returned: String? = nil) -> String {
        let to = recipient ?? bounceAddress(notice)
        return """
            Return-Path: <>
            X-Original-To: \(to)
            Delivered-To: \(to)
            Received: by mail.kauppa.example (Postfix)
            \tid 4Xk2Qm0zVbz9sWl; Tue,  1 Dec 2026 10:00:01 +0200 (EET)
            Date: Tue,  1 Dec 2026 10:00:01 +0200 (EET)
            From: MAILER-DAEMON@mail.kauppa.example (Mail Delivery System)
            Subject: Undelivered Mail Returned to Sender
            To: \(to)
            Auto-Submitted: auto-replied
            MIME-Version: 1.0
            Content-Type: multipart/report; report-type=delivery-status;
            \tboundary="4Xk2Qm0zVbz9sWl.1796112001/mail.kauppa.example"
            Content-Transfer-Encoding: 8bit
            Message-Id: <20261201080001.4Xk2Qm0zVbz9sWl@mail.kauppa.example>

            This is a MIME-encapsulated message.

            --4Xk2Qm0zVbz9sWl.1796112001/mail.kauppa.example
            Content-Description: Notification
            Content-Type: text/plain; charset=utf-8
            Content-Transfer-Encoding: 8bit

            This is the mail system at host mail.kauppa.example.

            I'm sorry to have to inform you that your message could not
            be delivered to one or more recipients. It's attached below.

            For further assistance, please send mail to postmaster.

            If you do so, please include this problem report. You can
            delete your own text from the attached returned message.

                               The mail system

            <matti@example.fi>: host mx.example.fi[192.0.2.25] said: 550 5.1.1
                <matti@example.fi>: Recipient address rejected: User unknown in virtual
                mailbox table (in reply to RCPT TO command)

            --4Xk2Qm0zVbz9sWl.1796112001/mail.kauppa.example
            Content-Description: Delivery report
            Content-Type: message/delivery-status

            Reporting-MTA: dns; mail.kauppa.example
            X-Postfix-Queue-ID: 4Xk2Qm0zVbz9sWl
            X-Postfix-Sender: rfc822; \(bounceAddress(notice))
            Arrival-Date: Tue,  1 Dec 2026 10:00:00 +0200 (EET)

            Final-Recipient: rfc822; matti@example.fi
            Original-Recipient: rfc822;matti@example.fi
            Action: failed
            Status: 5.1.1
            Remote-MTA: dns; mx.example.fi
            Diagnostic-Code: smtp; 550 5.1.1 <matti@example.fi>: Recipient address
                rejected: User unknown in virtual mailbox table

            --4Xk2Qm0zVbz9sWl.1796112001/mail.kauppa.example
            Content-Description: Undelivered Message
            Content-Type: message/rfc822
            Content-Transfer-Encoding: 8bit

            \(returned ?? Self.notice(notice))
            --4Xk2Qm0zVbz9sWl.1796112001/mail.kauppa.example--

            """
    }

    /// Postfix's delay warning (delay_warning_time): Action delayed, only the headers returned.
    static func postfixDelayed(_ notice: OutboxID) -> String {
        """
        Return-Path: <>
        Delivered-To: \(bounceAddress(notice))
        Date: Wed,  2 Dec 2026 14:00:03 +0200 (EET)
        From: MAILER-DAEMON@mail.kauppa.example (Mail Delivery System)
        Subject: Delayed Mail (still being retried)
        To: \(bounceAddress(notice))
        Auto-Submitted: auto-replied
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=delivery-status;
        \tboundary="9Zq1Ab2Cd3.1796212803/mail.kauppa.example"
        Content-Transfer-Encoding: 8bit
        Message-Id: <20261202120003.9Zq1Ab2Cd3@mail.kauppa.example>

        This is a MIME-encapsulated message.

        --9Zq1Ab2Cd3.1796212803/mail.kauppa.example
        Content-Description: Notification
        Content-Type: text/plain; charset=utf-8
        Content-Transfer-Encoding: 8bit

        This is the mail system at host mail.kauppa.example.

        ####################################################################
        # THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #
        ####################################################################

        Your message could not be delivered for more than 4 hour(s).
        It will be retried until it is 5 day(s) old.

        --9Zq1Ab2Cd3.1796212803/mail.kauppa.example
        Content-Description: Delivery report
        Content-Type: message/delivery-status

        Reporting-MTA: dns; mail.kauppa.example
        X-Postfix-Queue-ID: 9Zq1Ab2Cd3
        Arrival-Date: Wed,  2 Dec 2026 10:00:00 +0200 (EET)

        Final-Recipient: rfc822; pekka@example.net
        Original-Recipient: rfc822;pekka@example.net
        Action: delayed
        Status: 4.4.1
        Diagnostic-Code: X-Postfix; connect to mx.example.net[198.51.100.9]:25:
            Connection timed out
        Will-Retry-Until: Mon,  7 Dec 2026 10:00:00 +0200 (EET)

        --9Zq1Ab2Cd3.1796212803/mail.kauppa.example
        Content-Description: Undelivered Message Headers
        Content-Type: text/rfc822-headers
        Content-Transfer-Encoding: 8bit

        \(noticeHeaders(notice, to: "pekka@example.net"))
        --9Zq1Ab2Cd3.1796212803/mail.kauppa.example--

        """
    }

    /// Exim's bounce: the recipient block comes first with Action before Final-Recipient.
    static func exim(_ notice: OutboxID) -> String {
        """
        Return-path: <>
        Envelope-to: \(bounceAddress(notice))
        Delivery-date: Tue, 01 Dec 2026 10:00:02 +0200
        Received: from Debian-exim by relay.kauppa.example with local (Exim 4.96)
        \tid 1tABCD-000123-AB
        \tfor \(bounceAddress(notice));
        \tTue, 01 Dec 2026 10:00:02 +0200
        X-Failed-Recipients: liisa@example.org
        Auto-Submitted: auto-replied
        From: Mail Delivery System <Mailer-Daemon@relay.kauppa.example>
        To: \(bounceAddress(notice))
        Content-Type: multipart/report; report-type=delivery-status; boundary=1796112002-eximdsn-1804289383
        MIME-Version: 1.0
        Subject: Mail delivery failed: returning message to sender
        Message-Id: <E1tABCD-000123-AB@relay.kauppa.example>
        Date: Tue, 01 Dec 2026 10:00:02 +0200

        --1796112002-eximdsn-1804289383
        Content-type: text/plain; charset=us-ascii

        This message was created automatically by mail delivery software.

        A message that you sent could not be delivered to one or more of its
        recipients. This is a permanent error. The following address(es) failed:

          liisa@example.org
            host mx1.example.org [198.51.100.7]
            SMTP error from remote mail server after end of data:
            550 5.7.1 Message rejected as spam by Content Filtering.

        --1796112002-eximdsn-1804289383
        Content-type: message/delivery-status

        Reporting-MTA: dns; relay.kauppa.example

        Action: failed
        Final-Recipient: rfc822;liisa@example.org
        Status: 5.0.0
        Remote-MTA: dns; mx1.example.org
        Diagnostic-Code: smtp; 550 5.7.1 Message rejected as spam by Content Filtering.

        --1796112002-eximdsn-1804289383
        Content-type: message/rfc822

        \(Self.notice(notice, to: "liisa@example.org"))
        --1796112002-eximdsn-1804289383--

        """
    }

    /// Exim's delay warning: the headers only, as text/rfc822-headers; Action delayed.
    static func eximDelayed(_ notice: OutboxID) -> String {
        """
        Return-path: <>
        Envelope-to: \(bounceAddress(notice))
        From: Mail Delivery System <Mailer-Daemon@relay.kauppa.example>
        To: \(bounceAddress(notice))
        Content-Type: multipart/report; report-type=delivery-status; boundary=1796198402-eximdsn-846930886
        MIME-Version: 1.0
        Subject: Warning: message 1tABCE-000124-CD delayed 24 hours
        Message-Id: <E1tXYZ0-000200-EF@relay.kauppa.example>
        Date: Wed, 02 Dec 2026 10:00:02 +0200

        --1796198402-eximdsn-846930886
        Content-type: text/plain; charset=us-ascii

        This message was created automatically by mail delivery software.
        A message that you sent has not yet been delivered to one or more of its
        recipients after more than 24 hours on the queue on relay.kauppa.example.

        --1796198402-eximdsn-846930886
        Content-type: message/delivery-status

        Reporting-MTA: dns; relay.kauppa.example

        Action: delayed
        Final-Recipient: rfc822;pekka@example.net
        Status: 4.0.0
        Remote-MTA: dns; mx.example.net
        Diagnostic-Code: smtp; 451 4.7.1 Greylisted, please try again later
        Will-Retry-Until: Sat, 05 Dec 2026 10:00:02 +0200

        --1796198402-eximdsn-846930886
        Content-type: text/rfc822-headers

        \(noticeHeaders(notice, to: "pekka@example.net"))
        --1796198402-eximdsn-846930886--

        """
    }

    /// Gmail's (Google Workspace relay's) DSN: the status part after a multipart/related of text, HTML and an
    /// icon; Remote-MTA and Diagnostic-Code folded over several lines; the original base64-encoded.
    static func gmail(_ notice: OutboxID) -> String {
        let returned = Data(Self.notice(notice, to: "anna.virtanen@gmail.com").utf8)
            .base64EncodedString(options: [.lineLength76Characters, .endLineWithLineFeed])
        return """
            Delivered-To: \(bounceAddress(notice))
            Return-Path: <>
            Received: by mail-sor-f69.google.com with SMTP id a1b2c3d4e5f6
                    for <\(bounceAddress(notice))>; Tue, 01 Dec 2026 00:00:02 -0800 (PST)
            From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>
            To: \(bounceAddress(notice))
            Auto-Submitted: auto-replied
            Subject: Delivery Status Notification (Failure)
            X-Failed-Recipients: anna.virtanen@gmail.com
            Message-ID: <6750a1b2.0a1b2c3d.4e5f.0a1bSMTPIN_ADDED_MISSING@mx.google.com>
            Date: Tue, 01 Dec 2026 00:00:02 -0800 (PST)
            MIME-Version: 1.0
            Content-Type: multipart/report; boundary="000000000000a1b2c3d4e5f60718"; report-type=delivery-status

            --000000000000a1b2c3d4e5f60718
            Content-Type: multipart/related; boundary="000000000000a1b2c3d4e5f60720"

            --000000000000a1b2c3d4e5f60720
            Content-Type: multipart/alternative; boundary="000000000000a1b2c3d4e5f60729"

            --000000000000a1b2c3d4e5f60729
            Content-Type: text/plain; charset="UTF-8"


            ** Address not found **

            Your message wasn't delivered to anna.virtanen@gmail.com because the address couldn't be found, or is unable to receive mail.

            Learn more here: https://support.google.com/mail/?p=NoSuchUser

            The response was:

            The email account that you tried to reach does not exist. Please try double-checking the recipient's email address for typos or unnecessary spaces. For more information, go to https://support.google.com/mail/?p=NoSuchUser

            --000000000000a1b2c3d4e5f60729
            Content-Type: text/html; charset="UTF-8"

            <html><head></head><body><div><h2>Address not found</h2><p>Your message wasn't delivered to <a style=3D'color:#212121'>anna.virtanen@gmail.com</a> because the address couldn't be found.</p></div></body></html>

            --000000000000a1b2c3d4e5f60729--
            --000000000000a1b2c3d4e5f60720
            Content-Type: image/png; name="icon.png"
            Content-Disposition: attachment; filename="icon.png"
            Content-Transfer-Encoding: base64
            Content-ID: <icon.png>

            iVBORw0KGgoAAAANSUhEUgAAAJAAAACQCAYAAADnRuK4AAAACXBIWXMAABYlAAAWJQFJUiTwAAAA
            GXRFWHRTb2Z0d2FyZQBBZG9iZSBJbWFnZVJlYWR5ccllPAAAFi9JREFUeAHtXUuMHMd5/qp7ZnZ2
            --000000000000a1b2c3d4e5f60720--
            --000000000000a1b2c3d4e5f60718
            Content-Type: message/delivery-status

            Reporting-MTA: dns; googlemail.com
            Received-From-MTA: dns; mail.kauppa.example
            Arrival-Date: Tue, 01 Dec 2026 00:00:01 -0800 (PST)
            X-Original-Message-ID: <abcdefghijklmnopqrstuvwxyz@kauppa.example>

            Final-Recipient: rfc822; anna.virtanen@gmail.com
            Action: failed
            Status: 5.1.1
            Remote-MTA: dns; gmail-smtp-in.l.google.com. (2a00:1450:4010:c05::1b, the
             server for the domain gmail.com.)
            Diagnostic-Code: smtp; 550-5.1.1 The email account that you tried to reach does
             not exist. Please try double-checking the recipient's email address for
             typos or unnecessary spaces. For more information, go to
             https://support.google.com/mail/?p=NoSuchUser a1b2c3d4e5f6.123 - gsmtp
            Last-Attempt-Date: Tue, 01 Dec 2026 00:00:02 -0800 (PST)

            --000000000000a1b2c3d4e5f60718
            Content-Type: message/rfc822
            Content-Transfer-Encoding: base64

            \(returned)
            --000000000000a1b2c3d4e5f60718--

            """
    }

    /// Exchange Online's NDR: sent to the plain address (no VERP: a tenant that rewrites the return path), so
    /// only the returned headers (text/rfc822-headers, quoted-printable) name the notice.
    static func microsoft(_ notice: OutboxID) -> String {
        let headers = noticeHeaders(notice, to: "sanna@contoso.fi")
            .replacingOccurrences(of: "=", with: "=3D")
        return """
            Received: from AM0PR01MB1234.eurprd01.prod.exchangelabs.com (2603:10a6:208:aa::11)
             by AM0PR01MB1234.eurprd01.prod.exchangelabs.com with Microsoft SMTP Server; Tue, 1 Dec 2026 08:00:03 +0000
            From: Microsoft Outlook
            \t<postmaster@kauppa.onmicrosoft.com>
            To: <ilmoitukset@kauppa.example>
            Date: Tue, 1 Dec 2026 08:00:03 +0000
            Content-Type: multipart/report; report-type=delivery-status;
            \tboundary="a1b2c3d4-0000-4000-8000-abcdefabcdef"
            X-MS-Exchange-Message-Is-Ndr:
            Content-Language: en-US
            Message-ID:
            \t<d1e2f3a4-b5c6-4d7e-8f90-a1b2c3d4e5f6@AM0PR01MB1234.eurprd01.prod.exchangelabs.com>
            Subject: Undeliverable: =?utf-8?Q?Tietoturvaloukkaus_=E2=80=93_mit=C3=A4_tapahtui?=
            Auto-Submitted: auto-replied
            MIME-Version: 1.0

            --a1b2c3d4-0000-4000-8000-abcdefabcdef
            Content-Type: multipart/alternative; differences=Content-Type;
            \tboundary="b2c3d4e5-1111-4111-8111-bcdefabcdefa"

            --b2c3d4e5-1111-4111-8111-bcdefabcdefa
            Content-Type: text/plain; charset="us-ascii"
            Content-Transfer-Encoding: quoted-printable

            Your message to sanna@contoso.fi couldn't be delivered.

            sanna wasn't found at contoso.fi.

            Action Required                                                    Recipi=
            ent
            Unknown To address

            --b2c3d4e5-1111-4111-8111-bcdefabcdefa
            Content-Type: text/html; charset="us-ascii"
            Content-Transfer-Encoding: quoted-printable

            <html><body><p>Your message to sanna@contoso.fi couldn't be delivered.</p></body></html>

            --b2c3d4e5-1111-4111-8111-bcdefabcdefa--

            --a1b2c3d4-0000-4000-8000-abcdefabcdef
            Content-Type: message/delivery-status

            Reporting-MTA: dns;AM0PR01MB1234.eurprd01.prod.exchangelabs.com
            Received-From-MTA: dns;mail.kauppa.example
            Arrival-Date: Tue, 1 Dec 2026 08:00:01 +0000

            Original-Recipient: rfc822;sanna@contoso.fi
            Final-Recipient: rfc822;sanna@contoso.fi
            Action: failed
            Status: 5.1.10
            Diagnostic-Code: smtp;550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient
             sanna@contoso.fi not found by SMTP address lookup

            --a1b2c3d4-0000-4000-8000-abcdefabcdef
            Content-Type: text/rfc822-headers
            Content-Transfer-Encoding: quoted-printable

            \(headers)
            --a1b2c3d4-0000-4000-8000-abcdefabcdef--

            """
    }

    /// qmail's plain-text bounce: no DSN, the failure in prose and a copy of the message below a line.
    static func qmail(_ notice: OutboxID, to recipient: String) -> String {
        """
        Return-Path: <>
        Delivered-To: \(recipient)
        Received: (qmail 12345 invoked for bounce); 1 Dec 2026 08:00:05 -0000
        Date: 1 Dec 2026 08:00:05 -0000
        From: MAILER-DAEMON@mx.vanha.example
        To: \(recipient)
        Subject: failure notice

        Hi. This is the qmail-send program at mx.vanha.example.
        I'm afraid I wasn't able to deliver your message to the following addresses.
        This is a permanent error; I've given up. Sorry it didn't work out.

        <jussi@vanha.example>:
        Sorry, no mailbox here by that name. (#5.1.1)

        --- Below this line is a copy of the message.

        Return-Path: <\(bounceAddress(notice))>
        Received: (qmail 12340 invoked from network); 1 Dec 2026 08:00:04 -0000
        \(Self.notice(notice, to: "jussi@vanha.example"))
        """
    }

    /// An auto-reply sent to the envelope sender: it reaches our bounce address but is not a bounce.
    static func outOfOffice(_ notice: OutboxID) -> String {
        """
        Delivered-To: \(bounceAddress(notice))
        From: Matti Meikäläinen <matti@example.fi>
        To: \(bounceAddress(notice))
        Subject: Automaattinen vastaus: Tietoturvaloukkaus
        Auto-Submitted: auto-replied
        Date: Tue, 1 Dec 2026 10:05:00 +0200
        Content-Type: text/plain; charset=utf-8

        Olen lomalla 14.12. asti. Kiireellisissä asioissa ota yhteyttä toimistoon.

        """
    }

    /// A DSN about somebody else's message: sent to another domain's bounce address, no X-Kilpi-Notice inside.
    static func notOurs() -> String {
        """
        Return-Path: <>
        Delivered-To: bounces+0f3c9a1e-5b7d-4e2a-9c61-2d8f4b7a1c05@uutiskirje.example
        From: MAILER-DAEMON@mail.uutiskirje.example (Mail Delivery System)
        Subject: Undelivered Mail Returned to Sender
        To: bounces+0f3c9a1e-5b7d-4e2a-9c61-2d8f4b7a1c05@uutiskirje.example
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=delivery-status; boundary="XyZ.1796112001"

        --XyZ.1796112001
        Content-Type: message/delivery-status

        Reporting-MTA: dns; mail.uutiskirje.example

        Final-Recipient: rfc822; lukija@example.com
        Action: failed
        Status: 5.2.2
        Diagnostic-Code: smtp; 552 5.2.2 <lukija@example.com>: mailbox full

        --XyZ.1796112001
        Content-Type: message/rfc822

        From: Uutiskirje <uutiset@uutiskirje.example>
        To: lukija@example.com
        Subject: Joulukuun uutiset

        Hei!
        --XyZ.1796112001--

        """
    }

    /// An mbox's `From ` line.
    static let fromLine = "From MAILER-DAEMON  Tue Dec  1 10:00:01 2026"

    /// Messages as one mbox, each after a `From ` line and followed by an empty line.
    static func mbox(_ messages: [String]) -> String {
        messages.map { fromLine + "\n" + $0 + ($0.hasSuffix("\n") ? "" : "\n") + "\n" }.joined()
    }
}
