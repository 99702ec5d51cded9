import Foundation
import GatewayTesting
import Testing

/// Re-binding (PROTOCOL.md §4) with a REAL TLS exporter: the client computes
/// TLS-Exporter("EXPORTER-RTA-binding", "", 32) from aioquic's key schedule
/// (`Tests/peers/tls_exporter.py`), the gateway from GnuTLS (`gnutls_prf_rfc5705`).
/// A 200 from `/bind` therefore proves two independent implementations derive the
/// same bytes; proofs over another connection's exporter or another label must fail.
@Suite(.serialized)
struct ConnectionRebindTests {
    static func bind(_ proof: String, connection: Int) -> RTAFlowClient.Step {
        .init(method: "POST", path: "/.well-known/rta/bind", headers: EnforcementHarness.formHeaders,
              body: "token={rta}&proof=\(proof)", connection: connection)
    }

    static func get(_ path: String, connection: Int) -> RTAFlowClient.Step {
        .init(method: "GET", path: path, headers: [("authorization", "RTA {rta}")], connection: connection)
    }

    @Test func proofOverTheNewConnectionsExporterMovesTheBinding() async throws {
        let harness = try await EnforcementHarness.start()
        do {
            let jwt = try await harness.mintIdPToken()
            let answers = try await RTAFlowClient.run(port: harness.gateway.quicPort, steps: [
                .init(method: "POST", path: "/.well-known/rta/token", headers: EnforcementHarness.formHeaders,
                      body: EnforcementHarness.exchangeForm(subjectToken: jwt, popKey: "{pop_key}")),
                Self.get("/orders/1", connection: 0),
                Self.get("/orders/2", connection: 1),
                Self.bind("{proof@1}", connection: 2),  // connection 1's proof replayed on connection 2
                Self.bind("{proof_wrong_label}", connection: 1),
                Self.bind("{proof}", connection: 1),
                Self.get("/orders/3", connection: 1),
                Self.get("/orders/4", connection: 0),
                Self.get("/orders/5", connection: 2),
                .init(method: "POST", path: "/.well-known/rta/token", headers: EnforcementHarness.formHeaders,
                      body: EnforcementHarness.exchangeForm(subjectToken: jwt)),  // no pop_key
                Self.bind("{proof}", connection: 1),
            ])
            #expect(answers.map(\.status) == [200, 200, 401, 401, 401, 200, 200, 401, 401, 200, 401])
            let token = try #require(ExchangeAttackTests.json(answers[0])["access_token"] as? String)
            #expect(try ExchangeAttackTests.flags(answers[0]) & 0x02 == 0x02, "pop flag set: \(token)")
            let sessionID = try #require(ExchangeAttackTests.json(answers[0])["session_id"] as? String)
            #expect(answers[5].body == #"{"bound":true,"session_id":"\#(sessionID)"}"#)
            for index in [2, 3, 4, 7, 8, 10] {
                #expect(answers[index].header("www-authenticate") == #"RTA error="binding_mismatch""#, "step \(index)")
            }

            await harness.stopGateway()
            let records = try harness.auditRecords().records
            let binds = records.filter { $0["kind"] as? String == "bind" }
            #expect(binds.map { $0["decision"] as? String } == ["block", "block", "allow", "block"])
            #expect(binds.map { $0["reason"] as? String } == ["binding_mismatch", "binding_mismatch", "rebound", "binding_mismatch"])
            #expect(binds.map { $0["errors"] as? [String] } == [["bad_proof"], ["bad_proof"], [], ["no_pop_key"]])
            #expect(binds[2]["session"] as? String == sessionID)
            let requests = records.filter { $0["kind"] as? String == "request" }
            #expect(requests.map { $0["status"] as? Int } == [200, 401, 200, 401, 401])
        } catch {
            await harness.shutdown()
            throw error
        }
        await harness.shutdown()
    }
}
