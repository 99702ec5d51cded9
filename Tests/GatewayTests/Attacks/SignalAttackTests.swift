import Foundation
import GatewayTesting
import SSFTransmitter
import Testing

/// Forged or misaddressed security events pushed to the real gateway: each is refused
/// with its RFC 8935 §2.4 code before any effect, recorded as a `signal` block, and the
/// subject it named keeps its access.
@Suite("Attack: hostile security event tokens", .serialized)
struct SignalAttackTests {
    @Test("alg none, RS/HS confusion, unknown kid, wrong aud, wrong iss, missing typ and forbidden claims are refused and revoke nothing")
    func hostileSETsAreRefusedAndHaveNoEffect() async throws {
        try await SignalsHarness.run { harness in
            // Issued before the pushes: any accepted revocation would make it worthless.
            let jwt = try await harness.jwt(sub: "victim")
            let publicKeyPEM = Array(await harness.transmitter.key.publicKeyPEM.utf8)
            typealias Twist = (name: String, code: String, change: (inout SETRecipe) -> Void)
            let twists: [Twist] = [
                ("alg none", "invalid_key", { $0.signing = .none }),
                ("HS256 keyed with the RSA public key", "invalid_key", { $0.signing = .hs256(secret: publicKeyPEM) }),
                ("unknown kid", "invalid_key", { $0.keyID = .custom("attacker-key") }),
                ("another audience", "invalid_audience", { $0.audience = .string("https://elsewhere.example/ssf") }),
                ("another issuer", "invalid_issuer", { $0.issuer = "https://evil.example" }),
                ("no typ", "invalid_request", { $0.typ = nil }),
                ("a sub claim", "invalid_request", { $0.extraClaims = ["sub": .string("victim")] }),
            ]
            for twist in twists {
                var recipe = SETRecipe(
                    eventType: SignalsHarness.caep + "session-revoked",
                    payload: ["event_timestamp": .integer(Int64(Date().timeIntervalSince1970) + 1)],
                    subject: .issSub(harness.idp.issuer, "victim"), audience: .string(SignalsHarness.audience))
                twist.change(&recipe)
                let answer = try await harness.transmitter.push(
                    try await harness.transmitter.sign(recipe),
                    to: "http://127.0.0.1:\(harness.gateway.controlPort)/ssf/events",
                    authorization: "Bearer \(SignalsHarness.pushBearer)")
                #expect(answer.status == 400, "\(twist.name): \(answer.body)")
                #expect(answer.body.contains(#""err":"\#(twist.code)""#), "\(twist.name): \(answer.body)")
            }
            let unauthenticated = try await harness.transmitter.push(
                try await harness.sign("session-revoked", subject: .issSub(harness.idp.issuer, "victim")),
                to: "http://127.0.0.1:\(harness.gateway.controlPort)/ssf/events", authorization: "Bearer wrong-secret")
            #expect(unauthenticated.status == 401, "a push without the transmitter's bearer: \(unauthenticated.body)")

            let exchanged = try await RTAFlowClient.run(port: harness.gateway.quicPort, steps: [
                .init(method: "POST", path: "/.well-known/rta/token", headers: EnforcementHarness.formHeaders,
                      body: EnforcementHarness.exchangeForm(subjectToken: jwt, agentID: "victim-agent")),
                .init(method: "GET", path: "/orders/1", headers: [("authorization", "RTA {rta}")]),
            ])
            #expect(exchanged.map(\.status) == [200, 200], "the victim's older IdP token still buys a session")

            let blocked = try harness.auditRecords().filter {
                $0["kind"] as? String == "signal" && $0["decision"] as? String == "block"
            }
            #expect(Set(blocked.compactMap { $0["reason"] as? String })
                    == ["invalid_key", "invalid_audience", "invalid_issuer", "invalid_request", "authentication_failed"], "\(blocked)")
            #expect(blocked.count == twists.count + 1, "every refused push is recorded: \(blocked)")
        }
    }
}
