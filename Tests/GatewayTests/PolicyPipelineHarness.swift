import DemoUpstream
import GatewayConfig
import GatewayTesting
import HTTP3
import NIOCore
import NIOPosix
import RTATokens
import Testing

@testable import Gateway

/// An in-process pipeline with a policy-checked route `/orders/{id}` (ReadOrder on
/// `Order::"{id}"`) over `policyDirectory`, an echo upstream and the dev signing keys;
/// `call` sends one GET with a session's token on connection 1.
struct PolicyPipelineHarness {
    let upstream: EchoUpstream
    let proxy: ReverseProxy
    let enforcement: TokenEnforcement
    let pipeline: RequestPipeline
    let epoch: UInt64

    static func start(policyDirectory: String, schema: String? = nil) async throws -> PolicyPipelineHarness {
        let upstream = EchoUpstream(eventLoopGroup: MultiThreadedEventLoopGroup.singleton)
        let port = try await upstream.start()
        let config = try GatewayConfig.parse(yaml: TestConfig.yaml(
            upstreams: [("echo", "http://127.0.0.1:\(port)", "5s")],
            routes: """
                  - name: order
                    path: { template: "/orders/{id}" }
                    upstream: echo
                    policy: { action: ReadOrder, resource_type: Order, resource_id: "{id}" }
                policies:
                  directory: \(policyDirectory)
                \(schema.map { "  schema: \($0)" } ?? "")
                tokens:
                  keys: [\(RepositoryPaths.fixtures)/dev-signing-key-1.json, \(RepositoryPaths.fixtures)/dev-signing-key-2.json]

                """), fileName: "/nonexistent/gateway.yaml")
        let (enforcement, store) = try await TokenEnforcementBuilder.enforcement(
            config, tokens: try #require(config.tokens), audit: nil)
        let proxy = ReverseProxy(upstreams: config.upstreams, eventLoopGroup: MultiThreadedEventLoopGroup.singleton)
        let pipeline = RequestPipeline(
            router: Router(routes: config.routes), proxy: proxy, metrics: GatewayMetrics(), enforcement: enforcement)
        return PolicyPipelineHarness(upstream: upstream, proxy: proxy, enforcement: enforcement, pipeline: pipeline,
                       epoch: store.epoch)
    }

    func newSession(scopes: [String]) async throws -> (Session, RTAToken) {
        let now = TokenClock.system.now()
        let session = Session(
            id: .random(), subject: Subject(issuer: "https://idp.example", sub: "alice"), agentID: "agent-7",
            chain: ["alice", "agent-7"], scopes: scopes, policyEpoch: epoch, boundConnection: 1, createdAt: now)
        let token = session.issueToken(keyRing: enforcement.validator.keyRing, at: now)
        try await enforcement.sessions.insert(session, token: token)
        return (session, token)
    }

    func call(_ token: RTAToken, path: String) async throws -> CollectingResponseWriter {
        let writer = CollectingResponseWriter()
        await pipeline.handle(
            .init(method: "GET", scheme: "https", authority: "gw", path: path,
                  headers: [HTTP3Header("authorization", "RTA \(token.base64url)")], body: .init(),
                  connection: .init(id: 1, remoteAddress: try SocketAddress(ipAddress: "127.0.0.1", port: 50_000)),
                  streamID: 0),
            response: writer)
        return writer
    }

    func status(_ token: RTAToken, path: String) async throws -> Int? {
        try await call(token, path: path).recorded.status
    }

    func shutdown() async throws {
        try await proxy.shutdown()
        try await upstream.shutdown()
    }
}
