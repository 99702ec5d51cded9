import DemoUpstream
import Foundation
import GatewayTesting
import Sodium
import Testing

/// Token exchange (PROTOCOL.md §2) through the real gateway over HTTP/3: a replayed
/// nonce and a scope the subject token does not carry are refused with RFC 6749
/// errors, and sub-delegation from an RTA token on the same connection grows the chain,
/// shrinks the scopes, and yields a token that works on a route with the chain in
/// `RTA-Chain`. Every exchange is one `token` audit record.
@Suite("Attack: token exchange (replayed nonces, scope escalation, stolen parent tokens)", .serialized)
struct ExchangeAttackTests {
    static let exchangePath = "/.well-known/rta/token"

    static func exchange(_ form: String, connection: Int = 0) -> RTAFlowClient.Step {
        .init(method: "POST", path: exchangePath, headers: EnforcementHarness.formHeaders, body: form, connection: connection)
    }

    static func json(_ answer: RTAFlowClient.Answer) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any]) ?? [:]
    }

    /// Byte 3 of the token: bit0 delegated, bit1 pop (PROTOCOL.md §1).
    static func flags(_ answer: RTAFlowClient.Answer) throws -> UInt8 {
        let token = try #require(json(answer)["access_token"] as? String)
        return try Base64URL.decode(token)[3]
    }

    static func tokenRecords(_ harness: EnforcementHarness) throws -> [[String: Any]] {
        try harness.auditRecords().records.filter { $0["kind"] as? String == "token" }
    }

    @Test("a replayed exchange nonce is refused with invalid_request and audited")
    func replayedNonceIsRefusedWithInvalidRequest() async throws {
        try await EnforcementHarness.run { harness in
            let jwt = try await harness.mintIdPToken()
            let nonce = EnforcementHarness.freshNonce()
            let answers = try await RTAFlowClient.run(port: harness.gateway.quicPort, steps: [
                Self.exchange(EnforcementHarness.exchangeForm(subjectToken: jwt, nonce: nonce)),
                Self.exchange(EnforcementHarness.exchangeForm(subjectToken: jwt, nonce: nonce)),
                Self.exchange(EnforcementHarness.exchangeForm(subjectToken: jwt)),
            ])
            #expect(answers.map(\.status) == [200, 400, 200])
            #expect(Self.json(answers[1])["error"] as? String == "invalid_request")
            #expect((Self.json(answers[1])["error_description"] as? String)?.contains("nonce") == true)
            #expect(Self.json(answers[1])["access_token"] == nil)
            #expect(answers[1].header("content-type") == "application/json")
            #expect(answers[1].header("cache-control") == "no-store")

            await harness.stopGateway()
            let records = try Self.tokenRecords(harness)
            // Each answer is written before its record, so records of back-to-back calls
            // may land in either order.
            #expect(records.filter { $0["reason"] as? String == "session_created" }.count == 2)
            let replay = try #require(records.first { $0["decision"] as? String == "block" })
            #expect(replay["reason"] as? String == "nonce_replayed")
            #expect(replay["errors"] as? [String] == ["invalid_request"])
            #expect(replay["status"] as? Int == 400)
        }
    }

    @Test("a scope the IdP token does not carry is refused (invalid_scope); an attenuated session cannot write")
    func scopeBeyondTheSubjectTokenIsRefusedAndAttenuationIsEnforced() async throws {
        try await EnforcementHarness.run { harness in
            let jwt = try await harness.mintIdPToken()
            let answers = try await RTAFlowClient.run(port: harness.gateway.quicPort, steps: [
                Self.exchange(EnforcementHarness.exchangeForm(subjectToken: jwt, scope: "orders:read admin:all")),
                Self.exchange(EnforcementHarness.exchangeForm(subjectToken: jwt, scope: "orders:read")),
                .init(method: "GET", path: "/orders/1", headers: [("authorization", "RTA {rta}")]),
                .init(method: "POST", path: "/writes/1", headers: [("authorization", "RTA {rta}")]),
            ])
            #expect(answers.map(\.status) == [400, 200, 200, 403])
            #expect(Self.json(answers[0])["error"] as? String == "invalid_scope")
            #expect((Self.json(answers[0])["error_description"] as? String)?.contains("admin:all") == true)
            #expect(Self.json(answers[3])["error"] as? String == "forbidden")

            await harness.stopGateway()
            let records = try Self.tokenRecords(harness)
            #expect(records.filter { $0["decision"] as? String == "allow" }.count == 1)
            let escalation = try #require(records.first { $0["decision"] as? String == "block" })
            #expect(escalation["reason"] as? String == "scope_escalation")
            #expect(escalation["errors"] as? [String] == ["invalid_scope"])
        }
    }

    @Test("sub-delegation cannot widen the parent's scopes, and a parent token used from another connection buys nothing")
    func subDelegationOnTheSameConnectionGrowsTheChainAndShrinksTheScopes() async throws {
        try await EnforcementHarness.run { harness in
            let jwt = try await harness.mintIdPToken()
            let rta = EnforcementHarness.rtaType
            let auth = [("authorization", "RTA {rta}")]
            let answers = try await RTAFlowClient.run(port: harness.gateway.quicPort, steps: [
                Self.exchange(EnforcementHarness.exchangeForm(subjectToken: jwt, agentID: "planner")),
                .init(method: "POST", path: "/writes/1", headers: auth),
                Self.exchange(EnforcementHarness.exchangeForm(
                    subjectToken: "{rta}", type: rta, agentID: "worker", scope: "orders:read")),
                .init(method: "GET", path: "/orders/7", headers: auth),
                .init(method: "POST", path: "/writes/7", headers: auth),
                Self.exchange(EnforcementHarness.exchangeForm(
                    subjectToken: "{rta@2}", type: rta, agentID: "helper", scope: "orders:write")),
                Self.exchange(EnforcementHarness.exchangeForm(subjectToken: "{rta@0}", type: rta, agentID: "thief"),
                              connection: 1),
                .init(method: "GET", path: "/orders/8", headers: [("authorization", "RTA {rta@0}")]),
            ])
            #expect(answers.map(\.status) == [200, 200, 200, 200, 403, 400, 400, 200])
            #expect(try Self.flags(answers[0]) == 0)
            #expect(try Self.flags(answers[2]) & 0x01 == 0x01)

            let child = try EchoReport.decode(answers[3].body)
            #expect(child.values(of: "rta-chain") == ["alice,planner,worker"])
            #expect(child.values(of: "rta-agent") == ["worker"])
            #expect(child.values(of: "rta-session") == [Self.json(answers[2])["session_id"] as? String ?? "-"])
            #expect(child.values(of: "authorization").isEmpty)
            #expect(Self.json(answers[5])["error"] as? String == "invalid_scope")
            #expect(Self.json(answers[6])["error"] as? String == "invalid_grant")
            let parent = try EchoReport.decode(answers[7].body)
            #expect(parent.values(of: "rta-chain") == ["alice,planner"])
            #expect(parent.values(of: "rta-session") == [Self.json(answers[0])["session_id"] as? String ?? "-"])

            await harness.stopGateway()
            let records = try Self.tokenRecords(harness)
            #expect(records.map { $0["decision"] as? String } == ["allow", "allow", "block", "block"])
            #expect(records.map { $0["reason"] as? String }
                    == ["session_created", "session_created", "scope_escalation", "invalid_parent_token"])
            #expect(records.map { $0["chain"] as? [String] } == [
                ["alice", "planner"], ["alice", "planner", "worker"], ["alice", "planner", "worker", "helper"],
                [],  // the parent token was refused before the chain was known
            ])
        }
    }
}
