import Foundation
import HTTPTypes
import HummingbirdTesting
import KilpiCore
import KilpiStore
import KilpiTestSupport
import NIOCore
import Testing

@testable import KilpiWeb

/// Issue 9, item 13: console uploads are streamed to a private temporary directory, not collected in memory, and
/// deleted after the handler; the size limit still answers 413 naming the field.
@Suite struct UploadStreamingTests {
    static let boundary = "kilpi-stream-boundary-Qx81"

    static func body(_ fields: [(name: String, value: String, filename: String?)]) -> String {
        var body = ""
        for field in fields {
            body += "--\(boundary)\r\n"
            if let filename = field.filename {
                body +=
                    "Content-Disposition: form-data; name=\"\(field.name)\"; filename=\"\(filename)\"\r\nContent-Type: text/csv\r\n\r\n"
            } else {
                body += "Content-Disposition: form-data; name=\"\(field.name)\"\r\n\r\n"
            }
            body += field.value + "\r\n"
        }
        return body + "--\(boundary)--\r\n"
    }

    /// A fresh directory to spool uploads into, so a test can see what is left in it.
    static func spool() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("kilpi-spool-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        return path
    }

    static func leftovers(_ spool: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: spool)
    }

    static func pieces(_ bytes: [UInt8], seed: UInt64) -> AsyncStream<ByteBuffer> {
        var state = seed
        var chunks: [ByteBuffer] = []
        var start = 0
        while start < bytes.count {
            // A small LCG: piece sizes from 1 byte (a delimiter cut anywhere) to 300.
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let end = min(bytes.count, start + 1 + Int((state >> 33) % 300))
            chunks.append(ByteBuffer(bytes: bytes[start..<end]))
            start = end
        }
        return AsyncStream { continuation in
            for chunk in chunks { continuation.yield(chunk) }
            continuation.finish()
        }
    }

    @Test(arguments: 1...8)
    func partsArriveWhateverThePieces(seed: Int) async throws {
        let spool = try Self.spool()
        defer { try? FileManager.default.removeItem(atPath: spool) }
        // File content that looks almost like a delimiter, with CRLFs and dashes.
        let file =
            "external_id\r\n--kilpi-stream-boundary-Qx8\r\nA-1\r\n\r\n--\r\n" + String(repeating: "B,", count: 500)
        let body = Self.body([
            ("_csrf", "token-1", nil), ("systems", "1", nil), ("systems", "2", nil), ("note", "", nil),
            ("customers", file, "list.csv"), ("kind", "customers", nil),
        ])
        let form = try await MultipartForm.receive(
            Self.pieces(Array(body.utf8), seed: UInt64(seed)),
            boundary: Self.boundary,
            maximumBytes: 1 << 20,
            in: spool
        )
        #expect(form["_csrf"]?.text == "token-1")
        #expect(form.values("systems") == ["1", "2"])
        #expect(form["note"]?.text == "")
        #expect(form["kind"]?.text == "customers")
        let part = try #require(form["customers"])
        #expect(part.filename == "list.csv" && part.text == nil && part.size == file.utf8.count)
        let path = try #require(part.path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == file)
        // Private: the directory 0700, the file 0600.
        let fileMode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        let directoryMode =
            try FileManager.default.attributesOfItem(atPath: form.directory)[.posixPermissions] as? Int
        #expect(fileMode == 0o600 && directoryMode == 0o700)
        #expect(try Self.leftovers(spool).count == 1)
        form.remove()
        #expect(try Self.leftovers(spool).isEmpty)
    }

    @Test func aBrokenOrOversizedBodyLeavesNoFiles() async throws {
        let spool = try Self.spool()
        defer { try? FileManager.default.removeItem(atPath: spool) }
        let whole = Self.body([("_csrf", "t", nil), ("file", String(repeating: "x", count: 5000), "a.csv")])
        let cut = String(whole.prefix(3000))
        await #expect(throws: FormError.self) {
            _ = try await MultipartForm.receive(
                Self.pieces(Array(cut.utf8), seed: 3),
                boundary: Self.boundary,
                maximumBytes: 1 << 20,
                in: spool
            )
        }
        await #expect(throws: MultipartForm.TooLarge.self) {
            _ = try await MultipartForm.receive(
                Self.pieces(Array(whole.utf8), seed: 4),
                boundary: Self.boundary,
                maximumBytes: 4000,
                in: spool
            )
        }
        await #expect(throws: FormError.self) {
            _ = try await MultipartForm.receive(
                Self.pieces(Array("no multipart here at all".utf8), seed: 5),
                boundary: Self.boundary,
                maximumBytes: 1 << 20,
                in: spool
            )
        }
        #expect(try Self.leftovers(spool).isEmpty)
    }

    static func upload(_ app: WebTestApp, _ login: WebTestApp.Login, body: String) async throws -> TestResponse {
        try await app.request(
            .post,
            Routes.importSubmit.path(),
            headers: [.contentType: "multipart/form-data; boundary=\(boundary)"],
            cookies: [RouteRegistry.sessionCookie: login.sessionID],
            body: body
        )
    }

    @Test func consoleUploadsAreSpooledAndRemovedAfterTheHandler() async throws {
        let spool = try Self.spool()
        defer { try? FileManager.default.removeItem(atPath: spool) }
        try await WebTestApp.run(configure: { $0.uploadDirectory = spool }) { app in
            try await app.store.dataMap.installCatalogue(now: app.clock.now)
            let responder = try await app.login(try await app.makeStaff(.responder))
            let csv = "name,kind,owner,location,encrypted_at_rest\nShop,web_shop,IT,Helsinki,no\n"

            // A normal upload: imported from the spooled file, which is gone afterwards.
            let ok = try await Self.upload(
                app,
                responder,
                body: Self.body([("_csrf", responder.csrf, nil), ("kind", "systems", nil), ("file", csv, "shop.csv")])
            )
            #expect(ok.status == .ok && WebTestApp.text(ok).contains("1 new"), "\(WebTestApp.text(ok).prefix(400))")
            #expect(try await app.store.dataMap.summaries().map(\.system.name) == ["Shop"])
            let audit = try await app.store.audit.entries(AuditFilter(actionPrefix: "import"))
            #expect(audit.first?.target == "shop.csv", "the audit names the file as sent, not the spool file")
            #expect(try Self.leftovers(spool).isEmpty)

            // Refused after reading (bad CSRF, bad field): also gone.
            let forged = try await Self.upload(
                app,
                responder,
                body: Self.body([("_csrf", "forged", nil), ("kind", "systems", nil), ("file", csv, "x.csv")])
            )
            #expect(forged.status == .forbidden)
            let badKind = try await Self.upload(
                app,
                responder,
                body: Self.body([("_csrf", responder.csrf, nil), ("kind", "planets", nil), ("file", csv, "x.csv")])
            )
            #expect(badKind.status == .badRequest && WebTestApp.text(badKind).contains("kind: choose"))
            let noFile = try await Self.upload(
                app,
                responder,
                body: Self.body([("_csrf", responder.csrf, nil), ("kind", "systems", nil), ("file", "", "x.csv")])
            )
            #expect(noFile.status == .badRequest && WebTestApp.text(noFile).contains("file: choose a CSV file"))
            #expect(try Self.leftovers(spool).isEmpty)

            // Over the limit: 413 naming the field, nothing imported, nothing left.
            let big =
                "name,kind,owner,location,encrypted_at_rest\n"
                + String(repeating: "Big,web_shop,IT,Helsinki,no\n", count: (DataMapController.maximumUpload / 28) + 10)
            let tooLarge = try await Self.upload(
                app,
                responder,
                body: Self.body([("_csrf", responder.csrf, nil), ("kind", "systems", nil), ("file", big, "big.csv")])
            )
            #expect(tooLarge.status == .contentTooLarge)
            #expect(WebTestApp.text(tooLarge).contains("file: larger than 64 MB"))
            #expect(try await app.store.dataMap.summaries().count == 1)
            #expect(try Self.leftovers(spool).isEmpty)
        }
    }

    @Test func aScopeListIsReadFromItsSpooledFile() async throws {
        let spool = try Self.spool()
        defer { try? FileManager.default.removeItem(atPath: spool) }
        try await WebTestApp.run(configure: { $0.uploadDirectory = spool }) { app in
            let (shop, _) = try await IncidentConsoleTests.seedDataMap(app)
            try await app.store.playbooks.installDefaults(try DefaultPlaybooks.all(), now: app.clock.now)
            let staff = try await app.makeStaff(.responder)
            let responder = try await app.login(staff)
            let incident = try await app.store.incidents.declare(
                IncidentDraft(title: "Listed", kinds: [.dataBreach], severity: .sev2),
                commanderID: staff.user.id,
                playbooks: try await app.store.playbooks.all(),
                actor: "test",
                now: app.clock.now
            )
            func post(_ list: String) async throws -> TestResponse {
                try await app.request(
                    .post,
                    Routes.incidentScopeCreate.path(id: incident.id),
                    headers: [.contentType: "multipart/form-data; boundary=\(Self.boundary)"],
                    cookies: [RouteRegistry.sessionCookie: responder.sessionID],
                    body: Self.body([
                        ("_csrf", responder.csrf, nil), ("systems", String(shop), nil),
                        ("window_start", "2026-11-01T00:00", nil), ("window_end", "2026-11-14T23:59", nil),
                        ("customers", list, "list.csv"),
                    ])
                )
            }
            let bad = try await post("wrong_header\nA1\n")
            #expect(bad.status == .badRequest && WebTestApp.text(bad).contains("customers:"))
            let ok = try await post("external_id\nA1\n")
            #expect(ok.status == .seeOther, "\(WebTestApp.text(ok).prefix(400))")
            let latest = try #require(try await app.store.scopes.latest(incidentID: incident.id))
            #expect(latest.listedCustomers == 1 && latest.summary.customers == 1)
            #expect(try Self.leftovers(spool).isEmpty)
        }
    }
}
