import GatewayConfig
import HTTP3
import NIOPosix
import RTATokens
import Testing

@testable import Gateway

@Suite struct RequestPipelineTests {
    @Test func forwardedRequestsAreCountedByRouteAndStatus() async throws {
        try await ProxyHarness.run { harness in
            let writer = try await harness.send("GET", "/status/201")
            #expect(writer.recorded.status == 201)
            let metrics = harness.metrics.exposition()
            #expect(metrics.contains(#"rta_requests_total{route="everything",status="201"} 1"#))
            #expect(metrics.contains(#"rta_request_duration_seconds_count{route="everything"} 1"#))
        }
    }

    @Test func wrongMethodIs405WithAllowHeaderAndIsCounted() async throws {
        try await ProxyHarness.run { harness in
            let metrics = GatewayMetrics()
            let ordersOnly = RequestPipeline(
                router: Router(routes: harness.config.routes.filter { $0.name == "orders" }),
                proxy: harness.proxy, metrics: metrics)
            let writer = CollectingResponseWriter()
            await ordersOnly.handle(
                .init(method: "POST", scheme: "https", authority: "gw", path: "/orders/7", headers: [], body: .init(),
                      connection: .init(id: 9, remoteAddress: nil), streamID: 4),
                response: writer)
            #expect(writer.recorded.status == 405)
            #expect(writer.header("allow") == "GET")
            #expect(writer.bodyString == #"{"error":"method_not_allowed","message":"POST is not allowed on this path"}"#)
            #expect(metrics.exposition().contains(#"rta_requests_total{route="_unmatched",status="405"} 1"#))
        }
    }

    @Test func dotSegmentsAre400AndNeverForwarded() async throws {
        try await ProxyHarness.run { harness in
            let writer = try await harness.send("GET", "/spread/%2e%2e/admin")
            #expect(writer.recorded.status == 400)
            #expect(writer.header("content-type") == "application/json")
            #expect(writer.bodyString.hasPrefix(#"{"error":"bad_request","#))
        }
    }

    @Test func noRouteIs404() async throws {
        let proxy = ReverseProxy(upstreams: [], eventLoopGroup: .singletonMultiThreadedEventLoopGroup)
        let pipeline = RequestPipeline(router: Router(routes: []), proxy: proxy, metrics: GatewayMetrics())
        let writer = CollectingResponseWriter()
        await pipeline.handle(
            .init(method: "GET", scheme: "https", authority: "gw", path: "/x?y", headers: [], body: .init(),
                  connection: .init(id: 9, remoteAddress: nil), streamID: 4),
            response: writer)
        #expect(writer.recorded.status == 404)
        #expect(writer.bodyString == #"{"error":"not_found","message":"no route for GET /x?y"}"#)
        try await proxy.shutdown()
    }
}

@Suite struct RequestPipelineExecutorTests {
    static func request(_ path: String, stream: Int64) -> HTTP3Request {
        .init(method: "GET", scheme: "https", authority: "gw", path: path, headers: [], body: .init(),
              connection: .init(id: 9, remoteAddress: nil), streamID: stream)
    }

    /// Routed requests take the upstream client's loops in turn by stream, so the
    /// handlers of one busy connection spread over every loop; the endpoints the
    /// gateway answers itself (here the RTA ones, with a tokens section) do not.
    @Test func routedRequestsRunOnTheUpstreamClientsLoopsInTurnByStream() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let proxy = ReverseProxy(upstreams: [], eventLoopGroup: group)
        let pipeline = RequestPipeline(
            router: Router(routes: []), proxy: proxy, metrics: GatewayMetrics(),
            enforcement: try await RTAEndpointsTests.enforcement())
        let loops = group.makeIterator().map { ObjectIdentifier($0) }
        let chosen = [0, 4, 8, 12].map { stream in
            (pipeline.executor(for: Self.request("/orders/1", stream: Int64(stream))) as? EventLoopTaskExecutor)
                .map { ObjectIdentifier($0.eventLoop) }
        }
        #expect(chosen == [loops[0], loops[1], loops[0], loops[1]])
        for path in ["/.well-known/rta/events", "/.well-known/rta/token", "/.well-known/rta/bind?x"] {
            #expect(pipeline.executor(for: Self.request(path, stream: 0)) == nil, "\(path)")
        }
        try await proxy.shutdown()
        try await group.shutdownGracefully()
    }

    /// A protected route's request of a session revoked here is answered on its
    /// connection's loop; a live session's, one without a token, one for a public route
    /// (forwarded whatever the token), an unrouted one and the gateway's own endpoints
    /// are not.
    @Test func requestsOfARevokedSessionAreAnsweredOnTheConnectionLoop() async throws {
        let quicLoop = EventLoopTaskExecutor(eventLoop: MultiThreadedEventLoopGroup.singleton.next())
        let enforcement = try await RTAEndpointsTests.enforcement()
        let proxy = ReverseProxy(upstreams: [], eventLoopGroup: .singletonMultiThreadedEventLoopGroup)
        let routes = [RouteConfig(name: "orders", path: .prefix("/orders/"), upstream: "u"),
                      RouteConfig(name: "health", path: .exact("/health"), upstream: "u", isPublic: true)]
        let pipeline = RequestPipeline(
            router: Router(routes: routes), proxy: proxy, metrics: GatewayMetrics(), enforcement: enforcement)
        let (revoked, revokedToken) = try await RTAEndpointsTests.session(popKey: nil, in: enforcement)
        let (_, liveToken) = try await RTAEndpointsTests.session(popKey: nil, in: enforcement)
        func request(_ path: String, _ token: RTAToken?) -> HTTP3Request {
            .init(method: "GET", scheme: "https", authority: "gw", path: path,
                  headers: token.map { [HTTP3Header("authorization", "RTA \($0.base64url)")] } ?? [], body: .init(),
                  connection: .init(id: 1, remoteAddress: nil, loopExecutor: quicLoop), streamID: 0)
        }
        func onQUICLoop(_ request: HTTP3Request) -> Bool { pipeline.executor(for: request) === quicLoop }
        #expect(!onQUICLoop(request("/orders/1", revokedToken)))
        enforcement.hub.publishRevoked([revoked.id], notice: .init(reason: "test"))
        #expect(onQUICLoop(request("/orders/1", revokedToken)))
        #expect(!onQUICLoop(request("/orders/1", liveToken)))
        #expect(!onQUICLoop(request("/orders/1", nil)))
        #expect(!onQUICLoop(request("/health", revokedToken)))
        #expect(!onQUICLoop(request("/unrouted", revokedToken)))
        #expect(!onQUICLoop(request("/.well-known/rta/events", revokedToken)))
        try await proxy.shutdown()
    }
}
