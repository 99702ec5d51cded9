import GatewayConfig
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import ServiceLifecycle
import Synchronization

/// The plain HTTP/1.1 control listener: `GET /healthz` (the process is alive),
/// `GET /readyz` (the QUIC listener is up; see `ReadinessFlag`), `GET /metrics`
/// (Prometheus text), `POST /ssf/events` (RFC 8935 push, authenticated by the SET's
/// signature and the transmitter's bearer token) and `/admin/…` (bearer token from
/// the `admin` section). Health and metrics are unauthenticated, which is why the
/// default address is loopback.
///
/// Run it as a `Service` under ServiceLifecycle, or call `start()`/`shutdown()` directly.
public final class ControlServer: Service, Sendable {
    private let address: ConfigAddress
    private let metrics: GatewayMetrics
    private let readiness: ReadinessFlag
    private let routes: ControlRoutes
    /// TLS for the listener (`listen.control_tls`); nil serves plain HTTP/1.1.
    private let tls: NIOSSLContext?
    private let eventLoopGroup: any EventLoopGroup
    private let logger: Logger
    private let channel = Mutex<(any Channel)?>(nil)

    public convenience init(
        address: ConfigAddress, metrics: GatewayMetrics, readiness: ReadinessFlag,
        eventLoopGroup: any EventLoopGroup, logger: Logger = Logger(label: "rta.gateway.control")
    ) {
        self.init(address: address, metrics: metrics, readiness: readiness, routes: ControlRoutes(), tls: nil,
                  eventLoopGroup: eventLoopGroup, logger: logger)
    }

    init(
        address: ConfigAddress, metrics: GatewayMetrics, readiness: ReadinessFlag, routes: ControlRoutes,
        tls: NIOSSLContext?, eventLoopGroup: any EventLoopGroup, logger: Logger
    ) {
        self.address = address
        self.metrics = metrics
        self.readiness = readiness
        self.routes = routes
        self.tls = tls
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
    }

    /// Binds the listener and returns the bound port (useful when the address asks for port 0).
    @discardableResult
    public func start() async throws -> Int {
        let metrics = self.metrics, readiness = self.readiness, routes = self.routes, tls = self.tls
        let bound = try await ServerBootstrap(group: eventLoopGroup)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls)) }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(ControlHandler(metrics: metrics, readiness: readiness, routes: routes))
                }
            }
            .bind(host: address.host, port: address.port)
            .get()
        channel.withLock { $0 = bound }
        let port = bound.localAddress?.port ?? address.port
        logger.info("control server listening", metadata: [
            "address": "\(address.host):\(port)", "tls": "\(tls != nil)",
        ])
        return port
    }

    /// Closes the listener; connections already open finish their current answer.
    public func shutdown() async throws {
        let bound = channel.withLock { current in
            defer { current = nil }
            return current
        }
        try await bound?.close()
    }

    /// Service entry point: listens until graceful shutdown is requested.
    public func run() async throws {
        try await start()
        try? await gracefulShutdown()
        try await shutdown()
    }
}
