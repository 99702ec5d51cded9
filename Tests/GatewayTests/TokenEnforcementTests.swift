import AuditLog
import DemoUpstream
import DevIdentityProvider
import Foundation
import GatewayTesting
import NIOPosix
import Sodium
import GatewayConfig
import HTTP3
import NIOCore
import RTATokens
import Testing

@testable import Gateway

/// Token enforcement through the real `rta-gateway` binary: a real dev IdP mints the
/// JWT, the gateway exchanges it for an RTA token, and protected calls are checked
/// (PROTOCOL.md §1, §2, §7) and audited (§8).
@Suite(.serialized)
struct TokenEnforcementTests {
    static let routes = """
          - name: public
            path: { prefix: /public/ }
            upstream: echo
            public: true
          - name: orders
            path: { template: "/orders/{id}" }
            methods: [GET]
            upstream: echo

        """

    static func exchangeForm(jwt: String) -> String {
        let nonce = Base64URL.encode(SecureRandom.bytes(count: 16))
        return FormEncoding.encode([
            ("grant_type", "urn:ietf:params:oauth:grant-type:rta_token_exchange"), ("subject_token", jwt),
            ("subject_token_type", "urn:ietf:params:oauth:token-type:jwt"), ("agent_id", "agent-7"), ("nonce", nonce),
        ])
    }

    @Test func exchangedTokenIsEnforcedBoundAndAudited() async throws {
        let idp = try await DevIdentityProvider.start()
        let upstream = EchoUpstream(eventLoopGroup: MultiThreadedEventLoopGroup.singleton)
        let upstreamPort = try await upstream.start()
        let auditDirectory = try TemporaryDirectory()
        let yaml = TestConfig.yaml(upstreams: [("echo", "http://127.0.0.1:\(upstreamPort)", "10s")], routes: Self.routes)
            + """
            tokens:
              keys: [\(RepositoryPaths.fixtures)/dev-signing-key-1.json, \(RepositoryPaths.fixtures)/dev-signing-key-2.json]
              current_key_id: 2
            identity_providers:
              - issuer: "\(idp.issuer)"
                audience: rta-gateway
                jwks_url: "\(idp.jwksURL)"
            audit:
              file: \(auditDirectory.path)/gateway.jsonl
              fsync: always

            """ + TestConfig.permitAllPoliciesYAML
        let gateway = try await GatewayProcess.start(configYAML: yaml)
        do {
            try await exercise(gateway, idp: idp, auditDirectory: auditDirectory.path)
        } catch {
            await gateway.process.terminate()
            try await upstream.shutdown()
            try await idp.shutdown()
            throw error
        }
        try await upstream.shutdown()
        try await idp.shutdown()
    }

    /// Runs the calls, stops the gateway (closing the audit log), then checks the log.
    private func exercise(_ gateway: GatewayProcess, idp: DevIdentityProvider, auditDirectory: String) async throws {
        let minted = try await LoopbackHTTP1.request("/token", method: "POST", port: idp.port)
        let jwt = try #require(
            (try JSONSerialization.jsonObject(with: Data(minted.body.utf8)) as? [String: Any])?["access_token"] as? String)

        let answers = try await RTAFlowClient.run(port: gateway.quicPort, steps: [
            .init(method: "POST", path: "/.well-known/rta/token",
                  headers: [("content-type", "application/x-www-form-urlencoded")], body: Self.exchangeForm(jwt: jwt)),
            .init(method: "GET", path: "/orders/1", headers: [("authorization", "RTA {rta}")]),
            .init(method: "GET", path: "/orders/2"),
            .init(method: "GET", path: "/orders/3", headers: [("authorization", "RTA not-a-token")]),
            .init(method: "GET", path: "/orders/4", headers: [("authorization", "RTA {rta_flipped}")]),
            .init(method: "GET", path: "/public/ping"),
        ])
        #expect(answers.map(\.status) == [200, 200, 401, 401, 401, 200])
        let token = try #require(
            (try JSONSerialization.jsonObject(with: Data(answers[0].body.utf8)) as? [String: Any])?["access_token"] as? String)
        #expect(answers[0].header("cache-control") == "no-store")

        let report = try EchoReport.decode(answers[1].body)
        #expect(report.values(of: "authorization").isEmpty)
        #expect(report.values(of: "rta-subject") == ["\(idp.issuer)|alice"])
        #expect(report.values(of: "rta-agent") == ["agent-7"])
        #expect(report.values(of: "rta-chain") == ["alice,agent-7"])
        #expect(report.values(of: "rta-session").first?.count == 32)
        #expect(report.values(of: "rta-decision").first?.count == 32)
        for refused in answers[2...4] {
            #expect(refused.header("www-authenticate") == #"RTA error="invalid_token""#)
            #expect(refused.body.contains(#""error":"invalid_token""#))
        }

        let elsewhere = try await H3Client.run(port: gateway.quicPort, plan: [
            ["method": "GET", "path": "/orders/5", "headers": [["authorization", "RTA \(token)"]]],
        ])
        #expect(elsewhere.responses.map(\.status) == [401])
        #expect(elsewhere.responses.first?.header("www-authenticate") == #"RTA error="binding_mismatch""#)

        // Only the one forwarded protected request is timed: not the refusals, not the public route.
        let metrics = try await LoopbackHTTP1.request("/metrics", port: gateway.controlPort)
        #expect(metrics.body.contains("rta_enforcement_overhead_seconds_count 1\n"))
        #expect(metrics.body.contains(#"rta_enforcement_overhead_seconds_bucket{le="0.025"} 1"#))

        await gateway.process.terminate()

        let files = RotatingFileSink.files(directory: auditDirectory, baseName: "gateway")
        let summary = try AuditVerifier.verify(files: files).get()
        #expect(summary.records == 7)
        let lines = try files.flatMap { try String(contentsOfFile: $0, encoding: .utf8).split(separator: "\n") }
        // Each answer is written before its record, so the records of back-to-back
        // requests may land in either order: compare them by path.
        let records = try lines.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] ?? [:] }
            .sorted { ($0["path"] as? String ?? "") < ($1["path"] as? String ?? "") }
        #expect(records.map { $0["path"] as? String } == ["/.well-known/rta/token", "/orders/1", "/orders/2", "/orders/3",
                                                          "/orders/4", "/orders/5", "/public/ping"])
        #expect(records.map { $0["kind"] as? String } == ["token"] + Array(repeating: "request", count: 6))
        #expect(records.map { $0["decision"] as? String } == ["allow", "allow", "block", "block", "block", "block", "allow"])
        #expect(records.map { $0["status"] as? Int } == [200, 200, 401, 401, 401, 401, 200])
        // The public route's forward is a decision too (mission: every allow and block).
        #expect(records[6]["reason"] as? String == "public_route" && records[6]["route"] as? String == "public")
        #expect(records[5]["reason"] as? String == "binding_mismatch")
        #expect(records[1]["decision_id"] as? String == report.values(of: "rta-decision").first)
    }
}

/// The policy step in-process, against the repository's own `policies/` (orders need
/// the `orders:read` scope): a permitted session is forwarded with its decision id, an
/// unscoped one gets 403 quoting its decision id, and nothing reaches the upstream.
@Suite struct TokenEnforcementPolicyTests {
    @Test func policyAllowsTheScopedSessionAndDeniesTheOtherWithADecisionID() async throws {
        let root = RepositoryPaths.root
        let harness = try await PolicyPipelineHarness.start(
            policyDirectory: "\(root)/policies", schema: "\(root)/policies/schema.cedarschema")
        let (_, scoped) = try await harness.newSession(scopes: ["orders:read"])
        let (_, unscoped) = try await harness.newSession(scopes: [])
        let allowed = try await harness.call(scoped, path: "/orders/42")
        let denied = try await harness.call(unscoped, path: "/orders/42")
        try await harness.shutdown()

        #expect(allowed.recorded.status == 200)
        let report = try EchoReport.decode(allowed.bodyString)
        #expect(report.values(of: "rta-decision").first?.count == 32)
        #expect(denied.recorded.status == 403)
        let body = try JSONSerialization.jsonObject(with: Data(denied.bodyString.utf8)) as? [String: String]
        #expect(body?["error"] == "forbidden")
        #expect(body?["decision"]?.count == 32)
    }
}

/// `application/x-www-form-urlencoded` for the exchange body (RFC 6749 appendix B).
enum FormEncoding {
    static func encode(_ pairs: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return pairs.map { name, value in
            "\(name)=\(value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")"
        }.joined(separator: "&")
    }
}
