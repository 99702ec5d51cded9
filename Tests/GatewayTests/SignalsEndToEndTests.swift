import Foundation
import GatewayTesting
import SSFTransmitter
import Testing

/// PROTOCOL.md §5–6 through the real binary: a real SSF transmitter pushes SETs to
/// the gateway's control listener (and over HTTP/3, and by poll), and aioquic agents
/// with open event streams see the effect.
@Suite(.serialized)
struct SignalsEndToEndTests {
    @Test func revokingASubjectCutsOffEveryAgentAndSparesOthers() async throws {
        try await SignalsHarness.run { harness in
            try await revokeAlice(harness)
        }
    }

    /// Issue 20 item 3 through the real binary: a CAEP `session-revoked` naming a user
    /// only by email, while she has no live session, still refuses her IdP token issued
    /// 8 s before it (400 `access_denied`). A token whose `email` is not verified is not
    /// matched by email (docs/signals.md). A SET naming another IdP's `iss_sub` is
    /// refused `access_denied` and audited (item 5.1).
    @Test func anEmailRevocationWithoutLiveSessionsRefusesOlderTokens() async throws {
        try await SignalsHarness.run { harness in
            let issued = "\(Int64(Date().timeIntervalSince1970) - 8)"
            let verified = try await harness.jwt(sub: "carol", email: "Carol@Example.com",
                                                 knobs: ["email_verified": "true", "iat": issued])
            let unverified = try await harness.jwt(sub: "carol", email: "carol@example.com", knobs: ["iat": issued])
            let pushed = try await harness.push("session-revoked", subject: .email("carol@example.com"), jti: "revoke-carol")
            #expect(pushed.status == 202, "push answered \(pushed.status): \(pushed.body)")

            func exchange(_ jwt: String) -> RTAFlowClient.Step {
                ExchangeAttackTests.exchange(EnforcementHarness.exchangeForm(subjectToken: jwt, agentID: "carol-agent"))
            }
            let answers = try await RTAFlowClient.run(port: harness.gateway.quicPort, steps: [exchange(verified), exchange(unverified)])
            #expect(answers.map(\.status) == [400, 200], "\(answers.map(\.body))")
            #expect(ExchangeAttackTests.json(answers[0])["error"] as? String == "access_denied")

            let foreign = try await harness.push("session-revoked", subject: .issSub("https://other-idp.test", "carol"))
            #expect(foreign.status == 400)
            #expect(foreign.body.contains(#""err":"access_denied""#), "\(foreign.body)")

            let records = try harness.auditRecords()
            #expect(records.contains { $0["kind"] as? String == "token" && $0["reason"] as? String == "subject_revoked" })
            #expect(records.contains {
                $0["kind"] as? String == "signal" && $0["decision"] as? String == "block" && $0["reason"] as? String == "access_denied"
            }, "the refused SET is audited")
        }
    }

    private func revokeAlice(_ harness: SignalsHarness) async throws {
        let aliceJWT = try await harness.jwt(sub: "alice", email: "Alice@Example.com", sid: "idp-sid-1")
        let bobJWT = try await harness.jwt(sub: "bob", email: "bob@example.com")
        let agents = [
            try harness.agent(["subject_token": aliceJWT, "agent_id": "alice-agent-1", "check_path": "/orders/1",
                               "stream_path": "/bytes/2000000000"]),
            try harness.agent(["subject_token": aliceJWT, "agent_id": "alice-agent-2", "check_path": "/orders/2"]),
            try harness.agent(["subject_token": aliceJWT, "agent_id": "alice-agent-3", "check_path": "/orders/3",
                               "delegate": ["agent_id": "alice-sub-agent", "scope": "orders:read"]]),
        ]
        let bob = try harness.agent(["subject_token": bobJWT, "agent_id": "bob-agent", "check_path": "/orders/9"])
        for agent in agents + [bob] { try await agent.waitFor("ready") }
        for agent in agents + [bob] { #expect(agent.call("initial")?["status"] as? Int == 200) }

        let listed = try await harness.admin("/admin/sessions?email=alice@example.com")
        let sessions = try #require(try JSONSerialization.jsonObject(with: Data(listed.body.utf8)) as? [String: Any])["sessions"]
            as? [[String: Any]]
        #expect(sessions?.count == 4, "three agents and one sub-delegated session: \(listed.body)")
        // The dev IdP names client dev-agent, which the harness registers no agents for.
        #expect(sessions?.allSatisfy { $0["client_id"] as? String == "dev-agent" && $0["agent_verified"] as? Bool == false } == true,
                "\(listed.body)")

        let pushed = try await harness.push("session-revoked", subject: .email("alice@example.com"), jti: "revoke-alice")
        #expect(pushed.status == 202, "push answered \(pushed.status): \(pushed.body)")
        // The 202 waits for the SET's records to be written: the file has them already.
        let writtenBy202 = try harness.auditRecords().filter { $0["kind"] as? String == "signal" }
        #expect(writtenBy202.contains { $0["reason"] as? String == "revoked" && $0["session"] is NSNull }, "the SET's record")
        #expect(writtenBy202.filter { ($0["errors"] as? [String]) == ["jti=revoke-alice"] }.count == 4,
                "one record per revoked session by the 202: \(writtenBy202)")

        for agent in agents {
            try await agent.waitFor("done", timeout: .seconds(15))
            let revoked = agent.lines(type: "event").first { $0["event"] as? String == "revoked" }
            let data = revoked?["data"] as? [String: Any]
            #expect(data?["reason"] as? String == "session-revoked")
            #expect(data?["event"] as? String == SignalsHarness.caep + "session-revoked")
            let after = agent.call("after_revoke")
            #expect(after?["status"] as? Int == 401)
            #expect(after?["www_authenticate"] as? String == #"RTA error="session_revoked""#)
        }
        let download = try #require(agents[0].lines(type: "stream_end").first)
        #expect(download["reset_code"] as? Int == 0x10c, "the in-flight download is reset: \(download)")
        #expect((download["bytes"] as? Int ?? .max) < 2_000_000_000)

        #expect(bob.lines(type: "event").isEmpty, "bob's agent must not be touched: \(bob.process.log())")
        #expect(bob.process.isRunning)

        let detail = try await harness.admin("/admin/sessions?iss=\(harness.idp.issuer)&sub=bob")
        #expect(detail.body.contains(#""state":"active""#))

        // The old IdP token no longer buys a session: the subject's not-before moved.
        let retry = try harness.agent(["subject_token": aliceJWT, "agent_id": "alice-agent-4", "check_path": "/orders/1"])
        try await retry.waitFor("error")
        #expect(retry.process.log().contains("token exchange answered 400"), "\(retry.process.log())")

        // A resent SET is acknowledged again and applies nothing: a session opened with
        // a fresh IdP token between the two deliveries survives.
        try await Task.sleep(for: .milliseconds(1_100))
        let freshJWT = try await harness.jwt(sub: "alice", email: "Alice@Example.com", sid: "idp-sid-2")
        let survivor = try harness.agent(["subject_token": freshJWT, "agent_id": "alice-agent-5", "check_path": "/orders/5"])
        try await survivor.waitFor("ready")
        let resent = try await harness.transmitter.push(
            pushed.set, to: "http://127.0.0.1:\(harness.gateway.controlPort)/ssf/events",
            authorization: "Bearer \(SignalsHarness.pushBearer)")
        #expect(resent.status == 202)
        try await Task.sleep(for: .milliseconds(300))
        #expect(survivor.lines(type: "event").isEmpty, "the duplicate must not revoke: \(survivor.process.log())")

        let signals = try await harness.admin("/admin/signals")
        #expect(signals.body.contains(#""effect":"revoked""#))
        #expect(signals.body.contains(#""effect":"duplicate""#))
        for agent in [bob, survivor] { await agent.process.terminate() }

        let records = try harness.auditRecords()
        let allowed = records.filter {
            $0["kind"] as? String == "request" && $0["decision"] as? String == "allow" && $0["route"] as? String != "rta-events"
        }
        #expect(!allowed.isEmpty && allowed.allSatisfy { ($0["decision_id"] as? String)?.count == 32 },
                "every allowed request carries its decision id in its own field")
        #expect(records.contains { ($0["errors"] as? [String]) == ["stream_reset_session_revoked"] && $0["path"] as? String == "/bytes/2000000000" },
                "the cut-off download's record says it was reset")
        let signalRecords = records.filter { $0["kind"] as? String == "signal" }
        let revokedRecords = signalRecords.filter { $0["reason"] as? String == "session-revoked" }
        #expect(revokedRecords.count == 4, "one record per revoked session")
        for record in revokedRecords {
            #expect((record["subject"] as? String)?.hasSuffix("|alice") == true, "\(record)")
            #expect((record["agent"] as? String)?.isEmpty == false, "\(record)")
            #expect((record["chain"] as? [String])?.first == "alice", "\(record)")
        }
        #expect(signalRecords.filter { $0["reason"] as? String == "duplicate" }.count == 1)
    }

    /// A CAEP event that changes the session context, and what the admin API shows after it.
    struct ContextChange: Sendable, CustomTestStringConvertible {
        var event: String
        var payload: [String: TransmitterJSON]
        var shows: String
        var testDescription: String { event }
    }

    static let contextChanges = [
        ContextChange(event: "assurance-level-change",
                      payload: ["namespace": .string("NIST-AAL"), "current_level": .string("nist-aal2"),
                                "previous_level": .string("nist-aal1"), "change_direction": .string("increase")],
                      shows: #""assurance_level":"nist-aal2""#),
        ContextChange(event: "device-compliance-change",
                      payload: ["previous_status": .string("not-compliant"), "current_status": .string("compliant")],
                      shows: #""device_compliance":"compliant""#),
        ContextChange(event: "token-claims-change", payload: ["claims": .object(["role": .string("auditor")])],
                      shows: #""role":"auditor""#),
    ]

    @Test(arguments: contextChanges)
    func contextChangePushesAFreshTokenAndStalesTheOldOne(_ change: ContextChange) async throws {
        try await SignalsHarness.run { harness in
            let jwt = try await harness.jwt(sub: "carol")
            let agent = try harness.agent(["subject_token": jwt, "agent_id": "carol-agent", "check_path": "/orders/7"])
            try await agent.waitFor("ready")
            let pushed = try await harness.push(change.event, subject: .issSub(harness.idp.issuer, "carol"), payload: change.payload)
            #expect(pushed.status == 202, "\(pushed.body)")
            try await waitForCall(agent, "new_token")
            let event = agent.lines(type: "event").first { $0["event"] as? String == "token" }
            #expect((event?["data"] as? [String: Any])?["reason"] as? String == change.event)
            #expect(agent.call("old_token")?["www_authenticate"] as? String == #"RTA error="stale_context""#)
            #expect(agent.call("new_token")?["status"] as? Int == 200)
            let listed = try await harness.admin("/admin/sessions?iss=\(harness.idp.issuer)&sub=carol")
            let id = try #require(listed.body.firstMatch(of: /"id":"([0-9a-f]{32})"/)?.1)
            let detail = try await harness.admin("/admin/sessions/\(id)")
            #expect(detail.body.contains(change.shows), "\(detail.body)")
            await agent.process.terminate()
        }
    }

    /// RISC account-disabled cuts the agents off and refuses exchanges, even with a
    /// fresh IdP token, until account-enabled.
    @Test func accountDisabledBlocksExchangesUntilEnabled() async throws {
        try await SignalsHarness.run { harness in
            let agent = try harness.agent(["subject_token": try await harness.jwt(sub: "kim"), "agent_id": "kim-agent",
                                           "check_path": "/orders/1"])
            try await agent.waitFor("ready")
            let risc = "https://schemas.openid.net/secevent/risc/event-type/"
            let disabled = try await harness.push(risc + "account-disabled", subject: .issSub(harness.idp.issuer, "kim"),
                                                  payload: ["reason": .string("hijacking")], fullType: true)
            #expect(disabled.status == 202, "\(disabled.body)")
            try await agent.waitFor("done", timeout: .seconds(15))
            try await Task.sleep(for: .milliseconds(1_100))
            let refused = try harness.agent(["subject_token": try await harness.jwt(sub: "kim"), "agent_id": "kim-agent-2",
                                             "check_path": "/orders/1"])
            try await refused.waitFor("error")
            #expect(refused.process.log().contains("answered 400"), "\(refused.process.log())")
            let enabled = try await harness.push(risc + "account-enabled", subject: .issSub(harness.idp.issuer, "kim"),
                                                 fullType: true)
            #expect(enabled.status == 202)
            try await Task.sleep(for: .milliseconds(1_100))
            let back = try harness.agent(["subject_token": try await harness.jwt(sub: "kim"), "agent_id": "kim-agent-3",
                                          "check_path": "/orders/1"])
            try await back.waitFor("ready")
            #expect(back.call("initial")?["status"] as? Int == 200)
            await back.process.terminate()
        }
    }

    @Test func pollModeAppliesAndAcknowledges() async throws {
        try await SignalsHarness.run(poll: true) { harness in
            let jwt = try await harness.jwt(sub: "dave")
            let agent = try harness.agent(["subject_token": jwt, "agent_id": "dave-agent", "check_path": "/orders/4"])
            try await agent.waitFor("ready")
            let jti = "poll-\(UUID().uuidString.lowercased())"
            let set = try await harness.sign("session-revoked", subject: .issSub(harness.idp.issuer, "dave"), jti: jti)
            await harness.transmitter.enqueueForPoll(set, jti: jti)
            try await agent.waitFor("done", timeout: .seconds(20))
            #expect(agent.call("after_revoke")?["www_authenticate"] as? String == #"RTA error="session_revoked""#)
            let deadline = ContinuousClock.now + .seconds(10)
            while await !harness.transmitter.acknowledged.contains(jti), ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(await harness.transmitter.acknowledged.contains(jti))
        }
    }

    @Test func pushOverHTTP3AndRefusalsHaveNoEffect() async throws {
        try await SignalsHarness.run { harness in
            let jwt = try await harness.jwt(sub: "erin")
            let agent = try harness.agent(["subject_token": jwt, "agent_id": "erin-agent", "check_path": "/orders/3"])
            try await agent.waitFor("ready")

            let wrongAudience = SETRecipe(
                eventType: SignalsHarness.caep + "session-revoked",
                payload: ["event_timestamp": .integer(Int64(Date().timeIntervalSince1970) + 1)],
                subject: .issSub(harness.idp.issuer, "erin"), audience: .string("someone-else"))
            let refused = try await harness.transmitter.push(
                try await harness.transmitter.sign(wrongAudience),
                to: "http://127.0.0.1:\(harness.gateway.controlPort)/ssf/events",
                authorization: "Bearer \(SignalsHarness.pushBearer)")
            #expect(refused.status == 400)
            #expect(refused.body.contains(#""err":"invalid_audience""#), "\(refused.body)")
            let noBearer = try await harness.transmitter.push(
                try await harness.sign("session-revoked", subject: .issSub(harness.idp.issuer, "erin")),
                to: "http://127.0.0.1:\(harness.gateway.controlPort)/ssf/events")
            #expect(noBearer.status == 401)
            try await Task.sleep(for: .milliseconds(200))
            #expect(agent.lines(type: "event").isEmpty, "refused SETs have no effect")

            let set = try await harness.sign("session-revoked", subject: .issSub(harness.idp.issuer, "erin"))
            let answers = try await RTAFlowClient.run(port: harness.gateway.quicPort, steps: [
                .init(method: "POST", path: "/ssf/events",
                      headers: [("content-type", "application/secevent+jwt"),
                                ("authorization", "Bearer \(SignalsHarness.pushBearer)")],
                      body: set),
            ])
            #expect(answers.first?.status == 202, "\(answers.first?.body ?? "")")
            try await agent.waitFor("done", timeout: .seconds(15))
            #expect(agent.call("after_revoke")?["status"] as? Int == 401)
            let records = try harness.auditRecords().filter { $0["kind"] as? String == "signal" }
            #expect(records.contains { $0["reason"] as? String == "invalid_audience" && $0["decision"] as? String == "block" })
            #expect(records.contains { $0["route"] as? String == "push-quic" && $0["reason"] as? String == "revoked" })
        }
    }

    @Test func adminRevokesASessionAndRefusesWithoutToken() async throws {
        try await SignalsHarness.run { harness in
            let jwt = try await harness.jwt(sub: "frank")
            let agent = try harness.agent(["subject_token": jwt, "agent_id": "frank-agent", "check_path": "/orders/8",
                                           "delegate": ["agent_id": "frank-sub", "scope": "orders:read"]])
            try await agent.waitFor("ready")
            let anonymous = try await LoopbackHTTP1.request(
                "/admin/sessions?iss=\(harness.idp.issuer)&sub=frank", port: harness.gateway.controlPort)
            #expect(anonymous.status == 401)
            let listed = try await harness.admin("/admin/sessions?iss=\(harness.idp.issuer)&sub=frank")
            let sessions = try #require(
                (try JSONSerialization.jsonObject(with: Data(listed.body.utf8)) as? [String: Any])?["sessions"] as? [[String: Any]])
            let parent = try #require(sessions.first { $0["parent"] == nil || $0["parent"] is NSNull }?["id"] as? String)
            let shown = try await harness.admin("/admin/sessions/\(parent)")
            #expect(shown.status == 200)
            #expect(shown.body.contains(#""chain":["frank","frank-agent"]"#), "\(shown.body)")
            #expect(shown.body.contains(#""children":[""#))
            let revoked = try await harness.admin("/admin/sessions/\(parent)/revoke", method: "POST", body: #"{"reason":"incident-42"}"#)
            #expect(revoked.status == 200)
            // Read at once: the answer waits until the action's records are written.
            let records = try harness.auditRecords().filter { $0["kind"] as? String == "admin" }
            #expect(records.contains { $0["reason"] as? String == "unauthorized" && $0["status"] as? Int == 401 })
            #expect(records.filter { $0["reason"] as? String == "admin" }.count == 2)
            #expect((try JSONSerialization.jsonObject(with: Data(revoked.body.utf8)) as? [String: Any])?["revoked"]
                as? [String] == sessions.sorted { ($0["parent"] is String ? 1 : 0) < ($1["parent"] is String ? 1 : 0) }
                .compactMap { $0["id"] as? String })
            try await agent.waitFor("done", timeout: .seconds(15))
            let event = agent.lines(type: "event").first { $0["event"] as? String == "revoked" }
            #expect((event?["data"] as? [String: Any])?["reason"] as? String == "incident-42")
        }
    }

    /// A context change that makes a whole-session `forbid` match revokes the session
    /// (`policy_denied`); a policy reload re-issues every session's token.
    @Test func policyRecheckRevokesAndReloadReissues() async throws {
        let policies = try TemporaryDirectory()
        try Self.permitAll.write(toFile: policies.path + "/base.cedar", atomically: true, encoding: .utf8)
        try await SignalsHarness.run(
            extraYAML: "policies:\n  directory: \(policies.path)\n  reload: { watch: true, interval: 200ms }\n") { harness in
            let risky = try harness.agent(["subject_token": try await harness.jwt(sub: "gina"), "agent_id": "gina-agent",
                                           "check_path": "/orders/1"])
            let steady = try harness.agent(["subject_token": try await harness.jwt(sub: "hank"), "agent_id": "hank-agent",
                                            "check_path": "/orders/2"])
            try await risky.waitFor("ready")
            try await steady.waitFor("ready")
            let pushed = try await harness.push(
                "risk-level-change", subject: .issSub(harness.idp.issuer, "gina"),
                payload: ["principal": .string("USER"), "current_level": .string("HIGH"), "previous_level": .string("LOW")])
            #expect(pushed.status == 202, "\(pushed.body)")
            try await risky.waitFor("done", timeout: .seconds(15))
            let event = risky.lines(type: "event").first { $0["event"] as? String == "revoked" }
            #expect((event?["data"] as? [String: Any])?["reason"] as? String == "policy_denied")
            #expect(steady.lines(type: "event").isEmpty)

            try (Self.permitAll + "\n// edited\n").write(toFile: policies.path + "/base.cedar", atomically: true, encoding: .utf8)
            try await waitForCall(steady, "new_token")
            let reissued = steady.lines(type: "event").first { $0["event"] as? String == "token" }
            #expect((reissued?["data"] as? [String: Any])?["reason"] as? String == "policy-reload")
            #expect(steady.call("old_token")?["www_authenticate"] as? String == #"RTA error="stale_context""#)
            #expect(steady.call("new_token")?["status"] as? Int == 200)
            await steady.process.terminate()
        }
    }

    static let permitAll = """
        @id("allow-all-routes")
        permit (principal, action, resource);

        @id("forbid-high-risk")
        forbid (principal, action, resource) when { context.risk_level == "high" };

        """

    /// An agent that only listens still gets a fresh token before `max_age` runs out.
    @Test func eventStreamRefreshesTokensBeforeMaxAge() async throws {
        try await SignalsHarness.run(maxAge: "4s") { harness in
            let agent = try harness.agent(["subject_token": try await harness.jwt(sub: "ivan"), "agent_id": "ivan-agent",
                                           "check_path": "/orders/1"])
            try await agent.waitFor("ready")
            try await waitForCall(agent, "new_token")
            let event = agent.lines(type: "event").first { $0["event"] as? String == "token" }
            let data = event?["data"] as? [String: Any]
            #expect(data?["reason"] as? String == "refresh")
            #expect((data?["expires_in"] as? Int).map { (3...4).contains($0) } == true, "\(data ?? [:])")
            #expect(agent.call("old_token")?["status"] as? Int == 200, "the old token is still within max_age")
            #expect(agent.call("new_token")?["status"] as? Int == 200)
            await agent.process.terminate()
        }
    }

    /// `rta-gateway sessions` drives the admin API from the shell.
    @Test func sessionsCommandListsAndRevokesASubject() async throws {
        try await SignalsHarness.run { harness in
            let agent = try harness.agent(["subject_token": try await harness.jwt(sub: "judy", email: "judy@example.com"),
                                           "agent_id": "judy-agent", "check_path": "/orders/1"])
            try await agent.waitFor("ready")
            let binary = try GatewayProcess.executablePath()
            let connection = ["--control", "127.0.0.1:\(harness.gateway.controlPort)", "--token", SignalsHarness.adminToken]
            let listed = try await runProcess(binary, ["sessions", "list", "--email", "JUDY@example.com"] + connection)
            #expect(listed.status == 0)
            #expect(listed.standardOutput.contains(#""agent_id":"judy-agent""#), "\(listed.standardOutput)")
            let revoked = try await runProcess(
                binary, ["sessions", "revoke-subject", "--email", "judy@example.com", "--reason", "offboarded"] + connection)
            #expect(revoked.status == 0, "\(revoked.standardError)")
            #expect(revoked.standardOutput.contains(#""not_before""#))
            try await agent.waitFor("done", timeout: .seconds(15))
            let event = agent.lines(type: "event").first { $0["event"] as? String == "revoked" }
            #expect((event?["data"] as? [String: Any])?["reason"] as? String == "offboarded")
            let refused = try await runProcess(
                binary, ["sessions", "list", "--email", "judy@example.com", "--control", "127.0.0.1:\(harness.gateway.controlPort)",
                         "--token", "wrong-token-wrong-token"])
            #expect(refused.status == 1)
            #expect(refused.standardError.contains("HTTP 401"), "\(refused.standardError)")
        }
    }

    private func waitForCall(_ agent: Agent, _ phase: String) async throws {
        let deadline = ContinuousClock.now + .seconds(15)
        while agent.call(phase) == nil {
            guard ContinuousClock.now < deadline else { throw AgentFailure(log: agent.process.log()) }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}
