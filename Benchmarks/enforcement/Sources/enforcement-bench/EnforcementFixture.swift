import AuditLog
import Foundation
import GatewayConfig
import GatewayPolicy
import Logging
import RTATokens
import Sodium

/// The objects one request's enforcement touches, built the way `rta-gateway serve`
/// builds them (`TokenEnforcementBuilder`): the dev key ring from `fixtures/`, an
/// in-memory session store holding one session bound to connection 1 and its token,
/// the repository's `policies/` with its schema, the `/orders/{id}` route of
/// `gateway.yaml`, and an audit writer on a temporary file with the gateway's default
/// sync policy (`fsync: interval`, 1 s).
///
/// `maxAge` is one hour instead of 300 s so that a slow run (callgrind) never sees the
/// token expire; the age check costs the same either way.
final class EnforcementFixture {
    static let connectionID: UInt64 = 1
    static let routeYAML = """
        listen: { quic: "127.0.0.1:0", cert: /dev/null, key: /dev/null }
        upstreams: [{ name: demo, urls: ["http://127.0.0.1:8081"] }]
        routes:
          - name: order
            path: { template: "/orders/{id}" }
            methods: [GET]
            upstream: demo
            policy: { action: ReadOrder, resource_type: Order, resource_id: "{id}" }
        policies:
          directory: @REPO@/policies
          schema: @REPO@/policies/schema.cedarschema
          reload: { watch: false }
        tokens: { keys: [@REPO@/fixtures/dev-signing-key-1.json, @REPO@/fixtures/dev-signing-key-2.json] }

        """

    let validator: TokenValidator
    let sessions: InMemorySessionStore
    let session: Session
    let token: RTAToken
    /// `Authorization` header value, as the pipeline receives it.
    let header: String
    /// The connection's verified-signature cache (warm after the first validation);
    /// replaced to simulate a new connection.
    var cache = VerifiedSignatureCache()
    let route: RouteConfig
    let policies: PolicyStore
    let writer: AuditWriter
    let auditDirectory: String

    init(repository: String) async throws {
        let keyRing = try KeyRing.load(paths: [
            repository + "/fixtures/dev-signing-key-1.json", repository + "/fixtures/dev-signing-key-2.json",
        ])
        validator = TokenValidator(keyRing: keyRing, limits: TokenLimits(maxAge: 3_600_000, clockSkew: 5_000))
        sessions = InMemorySessionStore()
        let config = try GatewayConfig.parse(
            yaml: Self.routeYAML.replacingOccurrences(of: "@REPO@", with: repository), fileName: "enforcement-bench.yaml")
        route = config.routes[0]
        var quiet = Logger(label: "enforcement-bench")
        quiet.logLevel = .warning
        policies = PolicyStore(configuration: config.policies, logger: quiet)
        try policies.reload()
        let now = TokenClock.system.now()
        session = Session(
            id: .random(), subject: Subject(issuer: "http://127.0.0.1:9190", sub: "alice"), agentID: "agent-7",
            agentMeta: ["name": .string("bench agent"), "kind": .string("assistant")], chain: ["alice", "agent-7"],
            scopes: ["orders:read", "orders:write"], policyEpoch: policies.epoch, boundConnection: Self.connectionID,
            createdAt: now)
        token = session.issueToken(keyRing: keyRing, at: now)
        header = "RTA " + token.base64url
        try await sessions.insert(session, token: token)
        auditDirectory = NSTemporaryDirectory() + "enforcement-bench-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: auditDirectory, withIntermediateDirectories: true)
        let sink = try RotatingFileSink(directory: auditDirectory, baseName: "gateway")
        writer = AuditWriter(sinks: [sink], configuration: .init(sync: .interval(milliseconds: 1_000)))
    }

    /// Closes the writer (drains the queue) and deletes the audit files.
    func finish() async throws {
        try await writer.close()
        try? FileManager.default.removeItem(atPath: auditDirectory)
    }
}
