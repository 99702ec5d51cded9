import Foundation
import GatewayTesting
import RTATokens
import Sodium
import Testing

/// Every PROTOCOL.md §1 refusal that a client can cause with a token it holds or forges,
/// produced by a real request through the real gateway over HTTP/3: the 401 carries
/// `WWW-Authenticate: RTA error="<wire code>"`, the decision is exactly one audit
/// `block` record whose `reason` is the wire code and whose `errors` name the fine code
/// (docs/tokens.md, "Validation order"), and the gateway keeps serving the legitimate
/// holder. `session_revoked` and `stale_context` need signals (SignalAttackTests and
/// SignalsEndToEndTests).
@Suite("Attack: forged, altered, expired and stolen tokens", .serialized)
struct TokenAttackTests {
    /// What one refused request must have produced.
    struct Refusal {
        var path: String
        var wireCode: String
        var code: String
    }

    /// A structurally valid token signed by a key the gateway does not have (key id 99).
    static func tokenFromForeignKey() throws -> String {
        let foreign = try KeyRing(current: try SigningKey.generate(keyID: 99))
        let now = TokenClock.system.now()
        let session = Session(
            id: .random(), subject: Subject(issuer: "https://idp.example", sub: "alice"), agentID: "agent-7",
            chain: ["alice", "agent-7"], scopes: ["orders:read"], policyEpoch: 0, boundConnection: 0, createdAt: now)
        return session.issueToken(keyRing: foreign, at: now).base64url
    }

    /// A token signed now by the development key 1, which the key ring holds as retired
    /// since 2026-01-01: what a thief of a rotated-out key could mint.
    static func tokenFromRetiredKey() throws -> String {
        let retired = try SigningKey.load(path: RepositoryPaths.fixtures + "/dev-signing-key-1.json")
        let ring = try KeyRing(current: SigningKey(keyID: retired.keyID, privateKey: retired.privateKey))
        let now = TokenClock.system.now()
        let session = Session(
            id: .random(), subject: Subject(issuer: "https://idp.example", sub: "alice"), agentID: "agent-7",
            chain: ["alice", "agent-7"], scopes: ["orders:read"], policyEpoch: 0, boundConnection: 0, createdAt: now)
        return session.issueToken(keyRing: ring, at: now).base64url
    }

    @Test("garbage, foreign-key, retired-key, bit-flipped and stolen (other connection) tokens are refused, audited once, and the holder keeps being served")
    func malformedForeignForgedAndMisboundTokensAreRefusedAndAuditedOnce() async throws {
        try await EnforcementHarness.run { harness in
            let jwt = try await harness.mintIdPToken()
            let foreign = try Self.tokenFromForeignKey()
            let retired = try Self.tokenFromRetiredKey()
            let answers = try await RTAFlowClient.run(port: harness.gateway.quicPort, steps: [
                .init(method: "POST", path: "/.well-known/rta/token", headers: EnforcementHarness.formHeaders,
                      body: EnforcementHarness.exchangeForm(subjectToken: jwt)),
                .init(method: "GET", path: "/orders/1", headers: [("authorization", "RTA {rta}")]),
                .init(method: "GET", path: "/orders/2", headers: [("authorization", "RTA {rta_bad_magic}")]),
                .init(method: "GET", path: "/orders/3", headers: [("authorization", "RTA \(foreign)")]),
                .init(method: "GET", path: "/orders/4", headers: [("authorization", "RTA {rta_flipped}")]),
                .init(method: "GET", path: "/orders/5", headers: [("authorization", "RTA {rta}")], connection: 1),
                .init(method: "GET", path: "/orders/6", headers: [("authorization", "RTA \(retired)")]),
                .init(method: "GET", path: "/orders/7", headers: [("authorization", "RTA AAAA")]),
                .init(method: "GET", path: "/orders/8", headers: [("authorization", "RTA {rta}")]),
            ])
            #expect(answers.map(\.status) == [200, 200, 401, 401, 401, 401, 401, 401, 200])
            #expect(answers.map(\.connection) == [0, 0, 0, 0, 0, 1, 0, 0, 0])
            let refusals = [
                Refusal(path: "/orders/2", wireCode: "invalid_token", code: "bad_magic"),
                Refusal(path: "/orders/3", wireCode: "invalid_token", code: "unknown_key"),
                Refusal(path: "/orders/4", wireCode: "invalid_token", code: "bad_signature"),
                Refusal(path: "/orders/5", wireCode: "binding_mismatch", code: "not_bound_to_connection"),
                Refusal(path: "/orders/6", wireCode: "invalid_token", code: "retired_key"),
                Refusal(path: "/orders/7", wireCode: "invalid_token", code: "bad_length"),
            ]
            for (answer, refusal) in zip(answers[2...], refusals) {
                #expect(answer.header("www-authenticate") == #"RTA error="\#(refusal.wireCode)""#, "\(refusal.path)")
                #expect(answer.body.contains(#""error":"\#(refusal.wireCode)""#), "\(refusal.path): \(answer.body)")
            }

            await harness.stopGateway()
            let (_, records) = try harness.auditRecords()
            #expect(records.map { $0["kind"] as? String } == ["token"] + Array(repeating: "request", count: 8))
            try Self.expectAllowed(records, path: "/orders/1")
            try Self.expectAllowed(records, path: "/orders/8")
            for refusal in refusals {
                try Self.expectRefused(records, refusal)
            }
        }
    }

    /// `tokens.max_age: 2s` (the smallest `clock_skew` the config accepts is 1 ms): the
    /// token works at once and is `expired` after the wait.
    @Test("a token older than max_age is refused as expired, even on its own connection")
    func tokenOlderThanMaxAgeIsRefusedAsExpiredAndAuditedOnce() async throws {
        try await EnforcementHarness.run(tokens: "  max_age: 2s\n  clock_skew: 1ms\n") { harness in
            let jwt = try await harness.mintIdPToken()
            let answers = try await RTAFlowClient.run(port: harness.gateway.quicPort, steps: [
                .init(method: "POST", path: "/.well-known/rta/token", headers: EnforcementHarness.formHeaders,
                      body: EnforcementHarness.exchangeForm(subjectToken: jwt)),
                .init(method: "GET", path: "/orders/1", headers: [("authorization", "RTA {rta}")]),
                .init(method: "GET", path: "/orders/2", headers: [("authorization", "RTA {rta}")], sleepMilliseconds: 2_500),
            ])
            #expect(answers.map(\.status) == [200, 200, 401])
            #expect(answers[0].body.contains(#""expires_in":2"#))
            #expect(answers[2].header("www-authenticate") == #"RTA error="expired""#)
            #expect(answers[2].body.contains(#""error":"expired""#))

            await harness.stopGateway()
            let (_, records) = try harness.auditRecords()
            #expect(records.map { $0["kind"] as? String } == ["token", "request", "request"])
            try Self.expectAllowed(records, path: "/orders/1")
            try Self.expectRefused(records, Refusal(path: "/orders/2", wireCode: "expired", code: "expired"))
        }
    }

    static func expectAllowed(_ records: [[String: Any]], path: String) throws {
        let matching = records.filter { $0["path"] as? String == path }
        #expect(matching.count == 1, "\(path): \(matching)")
        let record = try #require(matching.first)
        #expect(record["decision"] as? String == "allow")
        #expect(record["status"] as? Int == 200)
    }

    static func expectRefused(_ records: [[String: Any]], _ refusal: Refusal) throws {
        let matching = records.filter { $0["path"] as? String == refusal.path }
        #expect(matching.count == 1, "\(refusal.path): \(matching)")
        let record = try #require(matching.first)
        #expect(record["kind"] as? String == "request", "\(refusal.path)")
        #expect(record["decision"] as? String == "block", "\(refusal.path)")
        #expect(record["status"] as? Int == 401, "\(refusal.path)")
        #expect(record["route"] as? String == "orders", "\(refusal.path)")
        #expect(record["reason"] as? String == refusal.wireCode, "\(refusal.path)")
        #expect(record["errors"] as? [String] == [refusal.code], "\(refusal.path)")
    }
}
