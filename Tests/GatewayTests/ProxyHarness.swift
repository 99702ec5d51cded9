import DemoUpstream
import GatewayConfig
import GatewayTesting
import HTTP3
import NIOCore
import NIOPosix

@testable import Gateway

/// A real `EchoUpstream` on loopback plus a `RequestPipeline` configured to reach it
/// through several upstreams: `echo` (normal), `down` (a closed port), `impatient`
/// (300 ms response timeout) and `spread` (two base URLs, round-robin).
struct ProxyHarness {
    let echo: EchoUpstream
    let echoPort: Int
    let config: GatewayConfig
    let proxy: ReverseProxy
    let metrics: GatewayMetrics
    let pipeline: RequestPipeline

    static func run(_ body: (ProxyHarness) async throws -> Void) async throws {
        let group = MultiThreadedEventLoopGroup.singleton
        // The upstream gets its own event loop, as a separate process would have, so its
        // work never delays the proxy's loops (and the other way round).
        let upstreamGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let echo = EchoUpstream(socketBufferSize: 256 * 1024, eventLoopGroup: upstreamGroup)
        let echoPort = try await echo.start()
        let closedPort = try await FreePort.tcp()
        let config = try GatewayConfig.parse(yaml: """
            listen: { quic: "127.0.0.1:0", cert: c.pem, key: k.pem, trusted_proxies: ["198.51.100.0/24", "2001:db8:1::/48"] }
            upstreams:
              - { name: echo, urls: ["http://127.0.0.1:\(echoPort)"] }
              - { name: down, urls: ["http://127.0.0.1:\(closedPort)"], connect_timeout: 2s }
              - { name: impatient, urls: ["http://127.0.0.1:\(echoPort)"], response_timeout: 300ms }
              - { name: spread, urls: ["http://127.0.0.1:\(echoPort)/a", "http://127.0.0.1:\(echoPort)/b/"] }
            routes:
              - { name: down, path: { prefix: /down/ }, upstream: down, strip_prefix: true, public: true }
              - { name: impatient, path: { prefix: /impatient/ }, upstream: impatient, strip_prefix: true, public: true }
              - { name: spread, path: { prefix: /spread/ }, upstream: spread, strip_prefix: true, public: true }
              - { name: orders, path: { template: "/orders/{id}" }, methods: [GET], upstream: echo, public: true }
              - { name: everything, path: { prefix: / }, upstream: echo, public: true, max_body_bytes: 1073741824 }
            """, fileName: "harness.yaml")
        let metrics = GatewayMetrics()
        let proxy = ReverseProxy(
            upstreams: config.upstreams, trustedProxies: config.listen.trustedProxies, eventLoopGroup: group)
        let harness = ProxyHarness(
            echo: echo, echoPort: echoPort, config: config, proxy: proxy, metrics: metrics,
            pipeline: RequestPipeline(router: Router(routes: config.routes), proxy: proxy, metrics: metrics))
        let outcome: Result<Void, any Error>
        do {
            try await body(harness)
            outcome = .success(())
        } catch {
            outcome = .failure(error)
        }
        try await proxy.shutdown()
        try await echo.shutdown()
        try await upstreamGroup.shutdownGracefully()
        try outcome.get()
    }

    /// Sends one request through the pipeline and returns what the client would receive.
    func send(
        _ method: String = "GET", _ path: String, headers: [HTTP3Header] = [],
        body: HTTP3RequestBody = HTTP3RequestBody(), from remote: SocketAddress? = nil,
        into writer: CollectingResponseWriter = CollectingResponseWriter()
    ) async throws -> CollectingResponseWriter {
        let client = try remote ?? SocketAddress(ipAddress: "192.0.2.7", port: 50_000)
        let request = HTTP3Request(
            method: method, scheme: "https", authority: "gw.example:4433", path: path, headers: headers,
            body: body, connection: HTTP3ConnectionInfo(id: 1, remoteAddress: client), streamID: 0)
        await pipeline.handle(request, response: writer)
        return writer
    }
}
