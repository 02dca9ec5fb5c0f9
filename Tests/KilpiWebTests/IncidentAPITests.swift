import Foundation
import HTTPTypes
import HummingbirdTesting
import KilpiCore
import KilpiStore
import KilpiTestSupport
import Testing

@testable import KilpiWeb

/// The incident API: same rules and permissions as the console, errors that name the field.
@Suite struct IncidentAPITests {
    func errorField(_ response: TestResponse) -> String? {
        let body = try? JSONSerialization.jsonObject(with: Data(WebTestApp.text(response).utf8)) as? [String: Any]
        return (body?["error"] as? [String: Any])?["field"] as? String
    }

    func json(_ response: TestResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(WebTestApp.text(response).utf8)) as? [String: Any])
    }

    @Test(arguments: TestDatabases.engines)
    func createUpdateScopeAndReadExposure(engine: SQLEngine) async throws {
        try await WebTestApp.run(engine) { app in
            _ = try await IncidentConsoleTests.seedDataMap(app)
            let commander = try await app.makeStaff(.responder)
            let responder = try await app.makeToken(.responder).secret
            let communicator = try await app.makeToken(.communicator).secret
            let viewer = try await app.makeToken(.viewer).secret

            let body =
                #"{"title": "Credential stuffing on login", "kinds": ["data_breach"], "severity": "SEV2", "commanderId": \#(commander.user.id), "times": {"occurredAt": "2026-11-01T08:00:00Z"}}"#
            #expect(
                try await app.api(.post, Routes.apiIncidentCreate.path(), token: viewer, json: body).status
                    == .forbidden
            )
            let created = try await app.api(.post, Routes.apiIncidentCreate.path(), token: responder, json: body)
            #expect(created.status == .created, "\(WebTestApp.text(created))")
            let incident = try json(created)
            let id = try #require(incident["id"] as? Int)
            #expect(incident["status"] as? String == "detected" && (incident["tasks"] as? [Any])?.isEmpty == false)

            let missing = try await app.api(
                .post,
                Routes.apiIncidentCreate.path(),
                token: responder,
                json: #"{"title": "x", "kinds": ["flood"], "severity": "SEV2", "commanderId": 1}"#
            )
            // An unknown kind breaks the schema's enum: refused before the handler, naming the element.
            #expect(missing.status == .badRequest && errorField(missing) == "kinds[0]")
            let badDate = try await app.api(
                .post,
                Routes.apiIncidentCreate.path(),
                token: responder,
                json:
                    #"{"title": "x", "kinds": ["phishing"], "severity": "SEV2", "commanderId": 1, "times": {"occurredAt": "last tuesday"}}"#
            )
            #expect(
                badDate.status == .badRequest && errorField(badDate) == "times.occurredAt",
                "\(WebTestApp.text(badDate))"
            )

            let path = Routes.apiIncidentUpdate.path(["id": String(id)])
            let refused = try await app.api(
                .patch,
                path,
                token: responder,
                json: #"{"title": "Renamed", "status": "closed"}"#
            )
            #expect(refused.status == .conflict)
            #expect(
                try await app.store.incidents.find(id: Int64(id))?.title == "Credential stuffing on login",
                "a refused status leaves the details untouched too"
            )
            let moved = try await app.api(
                .patch,
                path,
                token: responder,
                json: #"{"severity": "SEV1", "status": "analysing", "reason": "confirmed"}"#
            )
            let movedBody = try json(moved)
            #expect(
                moved.status == .ok && movedBody["status"] as? String == "analysing"
                    && movedBody["severity"] as? String == "SEV1"
            )
            #expect(
                try await app.api(.patch, path, token: communicator, json: #"{"severity": "SEV3"}"#).status
                    == .forbidden
            )
            // A key time is set, and one entered by mistake is cleared with null; both land on the timeline.
            let detected = try #require(try await app.store.incidents.find(id: Int64(id))?.times.detectedAt)
            let aware = ISO8601DateFormatter().string(from: detected.addingTimeInterval(3600))
            let retimed = try await app.api(
                .patch,
                path,
                token: responder,
                json: #"{"times": {"occurredAt": null, "awareAt": "\#(aware)"}}"#
            )
            #expect(retimed.status == .ok, "\(WebTestApp.text(retimed))")
            let retimedTimes = try #require(try json(retimed)["times"] as? [String: Any])
            #expect(retimedTimes["occurredAt"] == nil && retimedTimes["awareAt"] as? String == aware)
            let afterRetime = try #require(try await app.store.incidents.find(id: Int64(id)))
            #expect(
                afterRetime.times.occurredAt == nil
                    && afterRetime.times.awareAt == ISO8601DateFormatter().date(from: aware)
            )
            #expect(
                try await app.store.incidents.timeline(incidentID: Int64(id)).contains {
                    $0.text.contains("Key time occurred: 2026-11-01")
                }
            )

            let note = try await app.api(
                .post,
                Routes.apiTimelineAdd.path(["id": String(id)]),
                token: communicator,
                json: #"{"kind": "notice", "text": "Ombudsman notified", "visibility": "internal"}"#
            )
            #expect(note.status == .created)
            let timeline = try json(try await app.api(.get, Routes.apiTimeline.path(["id": String(id)]), token: viewer))
            #expect(
                (timeline["items"] as? [[String: Any]])?.contains { $0["text"] as? String == "Ombudsman notified" }
                    == true
            )

            let scopePath = Routes.apiScopeSet.path(["id": String(id)])
            #expect(
                try await app.api(.get, Routes.apiExposure.path(["id": String(id)]), token: viewer).status == .notFound
            )
            let unknown = try await app.api(
                .post,
                scopePath,
                token: responder,
                json:
                    #"{"systems": ["Warehouse"], "windowStart": "2026-11-01T00:00:00Z", "windowEnd": "2026-11-14T23:59:00Z"}"#
            )
            #expect(unknown.status == .unprocessableContent && errorField(unknown) == "systems[0]")
            let backwards = try await app.api(
                .post,
                scopePath,
                token: responder,
                json:
                    #"{"systems": ["Shop"], "windowStart": "2026-11-14T00:00:00Z", "windowEnd": "2026-11-01T00:00:00Z"}"#
            )
            #expect(backwards.status == .unprocessableContent && errorField(backwards) == "window_end")
            let set = try await app.api(
                .post,
                scopePath,
                token: responder,
                json:
                    #"{"systems": ["shop", "CRM"], "windowStart": "2026-11-01T00:00:00Z", "windowEnd": "2026-11-14T23:59:00Z", "categories": ["email", "phone"]}"#
            )
            #expect(set.status == .created, "\(WebTestApp.text(set))")
            let exposure = try json(try await app.api(.get, Routes.apiExposure.path(["id": String(id)]), token: viewer))
            let summary = try #require(exposure["summary"] as? [String: Any])
            // A1 email (shop), A3 phone (CRM); A2's holding ended before the window and A4 had only a name.
            #expect(
                summary["customers"] as? Int == 2
                    && summary["byCategory"] as? [String: Int] == ["email": 1, "phone": 1]
            )
            #expect(exposure["systems"] as? [String] == ["Shop", "CRM"] && exposure["version"] as? Int == 1)
            #expect(try await app.api(.get, Routes.apiExposure.path(["id": "999"]), token: viewer).status == .notFound)
            #expect(try await app.store.audit.entries(AuditFilter(actionPrefix: "scope.create")).count == 1)
        }
    }

    @Test func planCheckOverTheAPI() async throws {
        try await WebTestApp.run { app in
            try await app.store.playbooks.installDefaults(try DefaultPlaybooks.all(), now: app.clock.now)
            let items =
                try json(
                    try await app.api(.get, Routes.apiPlanCheck.path(), token: try await app.makeToken(.viewer).secret)
                )["items"] as? [[String: Any]]
            #expect(
                items?.contains { $0["code"] as? String == "missing_contact" && $0["subject"] as? String == "insurer" }
                    == true
            )
            #expect(items?.allSatisfy { ($0["why"] as? [String: String])?["fi"]?.isEmpty == false } == true)
        }
    }
}
