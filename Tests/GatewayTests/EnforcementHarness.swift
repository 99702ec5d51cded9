import AuditLog
import DemoUpstream
import DevIdentityProvider
import Foundation
import GatewayTesting
import NIOPosix
import Sodium
import Testing

/// The real pieces of token enforcement, started for one end-to-end test: the dev IdP
/// (in process, mints the JWTs), the echo upstream (in process, reports what it was
/// sent), and the real `rta-gateway` binary with a `tokens` section, the IdP, an audit
/// file and a policy directory (`scopePolicies`). Tests talk to the gateway over HTTP/3 with
/// aioquic (`RTAFlowClient`, `Tests/peers/rta_load.py`).
///
/// Call `stopGateway()` before reading the audit log (it closes the file), then
/// `shutdown()` — also on failure, so no child outlives the test.
final class EnforcementHarness: Sendable {
    static let defaultRoutes = """
          - name: public
            path: { prefix: /public/ }
            upstream: echo
            public: true
          - name: assets
            path: { prefix: /assets/ }
            upstream: echo
            public: true
            audit: false
          - name: uploads
            path: { prefix: /uploads/ }
            upstream: echo
            public: true
            max_body_bytes: 1024
          - name: orders
            path: { template: "/orders/{id}" }
            methods: [GET]
            upstream: echo
            policy: { action: ReadOrder, resource_type: Order, resource_id: "{id}" }
          - name: order-writes
            path: { template: "/writes/{id}" }
            methods: [POST]
            upstream: echo
            policy: { action: WriteOrder, resource_type: Order, resource_id: "{id}" }

        """

    /// Reads need `orders:read`, writes `orders:write`: enough to see a scope shrink.
    static let scopePolicies = """
        @id("read-needs-orders-read")
        permit (principal, action == Action::"ReadOrder", resource)
        when { context.scopes.contains("orders:read") };

        @id("write-needs-orders-write")
        permit (principal, action == Action::"WriteOrder", resource)
        when { context.scopes.contains("orders:write") };

        """

    static let exchangeGrant = "urn:ietf:params:oauth:grant-type:rta_token_exchange"
    static let jwtType = "urn:ietf:params:oauth:token-type:jwt"
    static let rtaType = "urn:ietf:params:oauth:token-type:rta"
    static let formHeaders = [("content-type", "application/x-www-form-urlencoded")]

    let idp: DevIdentityProvider
    let upstream: EchoUpstream
    let directory: TemporaryDirectory
    let gateway: GatewayProcess

    var auditDirectory: String { directory.path + "/audit" }

    /// - Parameter tokens: extra lines for the `tokens:` section (indented two spaces),
    ///   e.g. `"  max_age: 2s\n"`.
    /// - Parameter rotateBytes: the audit log's `rotate_bytes` (default: the config's).
    static func start(tokens: String = "", fsync: String = "always", rotateBytes: Int? = nil)
        async throws -> EnforcementHarness
    {
        let idp = try await DevIdentityProvider.start()
        let upstream = EchoUpstream(eventLoopGroup: MultiThreadedEventLoopGroup.singleton)
        do {
            let upstreamPort = try await upstream.start()
            let directory = try TemporaryDirectory()
            var yaml = TestConfig.yaml(upstreams: [("echo", "http://127.0.0.1:\(upstreamPort)", "10s")], routes: defaultRoutes)
                + """
                tokens:
                  keys: [\(RepositoryPaths.fixtures)/dev-signing-key-1.json, \(RepositoryPaths.fixtures)/dev-signing-key-2.json]
                  current_key_id: 2
                \(tokens)identity_providers:
                  - issuer: "\(idp.issuer)"
                    audience: rta-gateway
                    jwks_url: "\(idp.jwksURL)"
                audit:
                  file: \(directory.path)/audit/gateway.jsonl
                  fsync: \(fsync)
                \(rotateBytes.map { "  rotate_bytes: \($0)\n" } ?? "")
                """
            try FileManager.default.createDirectory(atPath: directory.path + "/policies", withIntermediateDirectories: true)
            try scopePolicies.write(toFile: directory.path + "/policies/scopes.cedar", atomically: true, encoding: .utf8)
            yaml += "policies:\n  directory: \(directory.path)/policies\n  reload: { watch: false }\n"
            let gateway = try await GatewayProcess.start(configYAML: yaml)
            return EnforcementHarness(idp: idp, upstream: upstream, directory: directory, gateway: gateway)
        } catch {
            try? await upstream.shutdown()
            try? await idp.shutdown()
            throw error
        }
    }

    /// Starts a harness, runs `body`, and shuts everything down whether `body` threw or not.
    static func run(tokens: String = "", _ body: (EnforcementHarness) async throws -> Void) async throws {
        let harness = try await start(tokens: tokens)
        do {
            try await body(harness)
        } catch {
            await harness.shutdown()
            throw error
        }
        await harness.shutdown()
    }

    private init(idp: DevIdentityProvider, upstream: EchoUpstream, directory: TemporaryDirectory, gateway: GatewayProcess) {
        self.idp = idp
        self.upstream = upstream
        self.directory = directory
        self.gateway = gateway
    }

    /// An access token from the dev IdP: subject alice, scopes `orders:read orders:write`.
    func mintIdPToken() async throws -> String {
        let minted = try await LoopbackHTTP1.request("/token", method: "POST", port: idp.port)
        let object = try JSONSerialization.jsonObject(with: Data(minted.body.utf8)) as? [String: Any]
        return try #require(object?["access_token"] as? String, "dev IdP answered \(minted.status): \(minted.body)")
    }

    static func freshNonce() -> String {
        Base64URL.encode(SecureRandom.bytes(count: 16))
    }

    /// A token-exchange form (PROTOCOL.md §2). `subjectToken` may be a `{rta…}`
    /// placeholder that `rta_flow.py` fills in.
    static func exchangeForm(
        subjectToken: String, type: String = jwtType, agentID: String = "agent-7", nonce: String = freshNonce(),
        scope: String? = nil, popKey: String? = nil
    ) -> String {
        var pairs = [
            ("grant_type", exchangeGrant), ("subject_token", subjectToken), ("subject_token_type", type),
            ("agent_id", agentID), ("nonce", nonce),
        ]
        if let scope { pairs.append(("scope", scope)) }
        if let popKey { pairs.append(("pop_key", popKey)) }
        // `{rta@N}`-style placeholders must reach rta_flow.py unencoded; no real value
        // here (JWT, base64url, ids, scopes) contains these three characters.
        return FormEncoding.encode(pairs)
            .replacingOccurrences(of: "%7B", with: "{")
            .replacingOccurrences(of: "%7D", with: "}")
            .replacingOccurrences(of: "%40", with: "@")
    }

    /// SIGTERM: the gateway drains and closes the audit log.
    func stopGateway() async {
        await gateway.process.terminate()
    }

    /// The audit files, oldest first, and their records parsed as JSON objects.
    func auditRecords() throws -> (files: [String], records: [[String: Any]]) {
        let files = RotatingFileSink.files(directory: auditDirectory, baseName: "gateway")
        let lines = try files.flatMap { try String(contentsOfFile: $0, encoding: .utf8).split(separator: "\n") }
        let records = try lines.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] ?? [:] }
        return (files, records)
    }

    func shutdown() async {
        await gateway.process.terminate()
        try? await upstream.shutdown()
        try? await idp.shutdown()
    }
}
