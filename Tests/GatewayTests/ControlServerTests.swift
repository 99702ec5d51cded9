import GatewayConfig
import Logging
import GatewayTesting
import NIOCore
import NIOPosix
import Testing

@testable import Gateway

/// The control server over real TCP on loopback.
@Suite struct ControlServerTests {
    private func withServer(_ body: (Int, ReadinessFlag, GatewayMetrics) async throws -> Void) async throws {
        let metrics = GatewayMetrics(), readiness = ReadinessFlag()
        let server = ControlServer(
            address: ConfigAddress(host: "127.0.0.1", port: 0), metrics: metrics, readiness: readiness,
            eventLoopGroup: MultiThreadedEventLoopGroup.singleton)
        let port = try await server.start()
        do {
            try await body(port, readiness, metrics)
        } catch {
            try await server.shutdown()
            throw error
        }
        try await server.shutdown()
    }

    @Test func healthzIsOK() async throws {
        try await withServer { port, _, _ in
            let response = try await LoopbackHTTP1.request("/healthz", port: port)
            #expect(response.status == 200)
            #expect(response.body == "ok\n")
        }
    }

    @Test func readyzFollowsTheReadinessFlag() async throws {
        try await withServer { port, readiness, _ in
            let before = try await LoopbackHTTP1.request("/readyz", port: port)
            readiness.markReady()
            let ready = try await LoopbackHTTP1.request("/readyz", port: port)
            readiness.markNotReady()
            let draining = try await LoopbackHTTP1.request("/readyz", port: port)
            #expect([before.status, ready.status, draining.status] == [503, 200, 503])
            #expect(ready.body == "ready\n")
        }
    }

    @Test func metricsArePrometheusText() async throws {
        try await withServer { port, _, metrics in
            metrics.requestCompleted(route: "orders", status: 201, duration: .milliseconds(3))
            metrics.handshakeFailed(reason: "tls")
            metrics.connectionOpened()
            metrics.streamOpened()
            metrics.streamOpened()
            metrics.streamClosed()
            let response = try await LoopbackHTTP1.request("/metrics", port: port)
            #expect(response.status == 200)
            #expect(response.header("content-type") == "text/plain; version=0.0.4; charset=utf-8")
            #expect(response.body.contains(#"rta_requests_total{route="orders",status="201"} 1"#))
            #expect(response.body.contains(#"rta_quic_handshake_failures_total{reason="tls"} 1"#))
            #expect(response.body.contains("rta_active_connections 1"))
            #expect(response.body.contains("rta_active_streams 1"))
            #expect(response.body.contains(#"rta_request_duration_seconds_bucket{route="orders",le="0.005"} 1"#))
        }
    }

    @Test func unknownPathIs404AndOtherMethodsAre405() async throws {
        try await withServer { port, _, _ in
            let unknown = try await LoopbackHTTP1.request("/nope", port: port)
            let post = try await LoopbackHTTP1.request("/healthz", method: "POST", port: port)
            #expect(unknown.status == 404)
            #expect(post.status == 405)
        }
    }

    /// `listen.control_tls`: the same endpoints over TLS with the QUIC listener's
    /// certificate, checked with curl; without TLS the port speaks nothing plain.
    @Test func controlListenerServesTLS() async throws {
        let listen = ListenConfig(
            quic: ConfigAddress(host: "127.0.0.1", port: 0), certificatePath: RepositoryPaths.fixtures + "/dev-cert.pem",
            privateKeyPath: RepositoryPaths.fixtures + "/dev-key.pem", controlTLS: true)
        let server = ControlServer(
            address: ConfigAddress(host: "127.0.0.1", port: 0), metrics: GatewayMetrics(), readiness: ReadinessFlag(),
            routes: ControlRoutes(), tls: try GatewayService.controlTLSContext(listen),
            eventLoopGroup: MultiThreadedEventLoopGroup.singleton, logger: Logger(label: "test"))
        let port = try await server.start()
        let secure = try await runProcess("curl", ["-sk", "--max-time", "5", "https://127.0.0.1:\(port)/healthz"])
        #expect(secure.standardOutput == "ok\n", "\(secure.standardError)")
        let missingRoute = try await runProcess(
            "curl", ["-sk", "--max-time", "5", "-X", "POST", "https://127.0.0.1:\(port)/ssf/events"])
        #expect(missingRoute.standardOutput.contains("no signals section"))
        let plain = try await runProcess("curl", ["-s", "--max-time", "5", "http://127.0.0.1:\(port)/healthz"])
        #expect(plain.standardOutput != "ok\n")
        try await server.shutdown()
    }

    private func withLimitedServer(
        idleTimeout: Duration, maxConnections: Int, _ body: (Int) async throws -> Void
    ) async throws {
        let server = ControlServer(
            address: ConfigAddress(host: "127.0.0.1", port: 0), metrics: GatewayMetrics(), readiness: ReadinessFlag(),
            routes: ControlRoutes(), tls: nil, idleTimeout: idleTimeout, maxConnections: maxConnections,
            eventLoopGroup: MultiThreadedEventLoopGroup.singleton, logger: Logger(label: "test"))
        let port = try await server.start()
        do {
            try await body(port)
        } catch {
            try await server.shutdown()
            throw error
        }
        try await server.shutdown()
    }

    private func connect(_ port: Int) async throws -> any Channel {
        try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connect(host: "127.0.0.1", port: port).get()
    }

    /// Waits up to `timeout` for the server to close `channel`; true if it did.
    private func closed(_ channel: any Channel, within timeout: Duration) async -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while channel.isActive, clock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        return !channel.isActive
    }

    /// `listen.control_idle_timeout`: a connection that sends nothing is closed by the
    /// server; one that keeps talking is not.
    @Test func idleConnectionsAreClosed() async throws {
        try await withLimitedServer(idleTimeout: .milliseconds(400), maxConnections: 8) { port in
            let idle = try await connect(port)
            #expect(!(await closed(idle, within: .milliseconds(200))))
            #expect(await closed(idle, within: .seconds(5)))
            let response = try await LoopbackHTTP1.request("/healthz", port: port)
            #expect(response.status == 200)
        }
    }

    /// `listen.control_max_connections`: the connection over the cap is closed at once,
    /// the ones under it stay, and a freed slot is usable again. Each connection is
    /// counted on its own event loop, so which of three quick connections ends up over
    /// the cap is not fixed: exactly one of them must be closed.
    @Test func connectionsOverTheCapAreClosed() async throws {
        try await withLimitedServer(idleTimeout: .seconds(30), maxConnections: 2) { port in
            let channels = [try await connect(port), try await connect(port), try await connect(port)]
            let deadline = ContinuousClock.now + .seconds(5)
            while channels.allSatisfy(\.isActive), ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            try await Task.sleep(for: .milliseconds(200))
            let open = channels.filter(\.isActive)
            #expect(open.count == 2, "one of three connections is over the cap of 2")
            try await open.first?.close()
            try await Task.sleep(for: .milliseconds(100))
            let response = try await LoopbackHTTP1.request("/healthz", port: port)
            #expect(response.status == 200)
            for channel in open.dropFirst() where channel.isActive { try await channel.close() }
        }
    }
}
