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
/// Every connection is closed after `idleTimeout` without a byte in either direction, and
/// at most `maxConnections` are open at once: a connection over the cap is closed as soon
/// as it is accepted, so idle or slow clients cannot hold the admin and SSF push endpoints.
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
    private let idleTimeout: TimeAmount
    private let maxConnections: Int
    /// Open connections, and whether the cap was already logged since it was last reached.
    private let connections = Mutex<(open: Int, capLogged: Bool)>((0, false))

    public convenience init(
        address: ConfigAddress, metrics: GatewayMetrics, readiness: ReadinessFlag,
        eventLoopGroup: any EventLoopGroup, logger: Logger = Logger(label: "rta.gateway.control")
    ) {
        self.init(address: address, metrics: metrics, readiness: readiness, routes: ControlRoutes(), tls: nil,
                  eventLoopGroup: eventLoopGroup, logger: logger)
    }

    init(
        address: ConfigAddress, metrics: GatewayMetrics, readiness: ReadinessFlag, routes: ControlRoutes,
        tls: NIOSSLContext?, idleTimeout: Duration = ListenConfig.defaultControlIdleTimeout,
        maxConnections: Int = ListenConfig.defaultControlMaxConnections, eventLoopGroup: any EventLoopGroup, logger: Logger
    ) {
        self.address = address
        self.metrics = metrics
        self.readiness = readiness
        self.routes = routes
        self.tls = tls
        self.idleTimeout = TimeAmount(idleTimeout)
        self.maxConnections = maxConnections
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
    }

    /// Binds the listener and returns the bound port (useful when the address asks for port 0).
    @discardableResult
    public func start() async throws -> Int {
        let metrics = self.metrics, readiness = self.readiness, routes = self.routes, tls = self.tls
        let idleTimeout = self.idleTimeout
        let bound = try await ServerBootstrap(group: eventLoopGroup)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { [self] channel in
                guard admit() else { return channel.close() }
                channel.closeFuture.whenComplete { _ in self.release() }
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(IdleStateHandler(allTimeout: idleTimeout))
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

    /// Counts a new connection in, or refuses it when `maxConnections` are open.
    private func admit() -> Bool {
        let (admitted, logCap) = connections.withLock { state -> (Bool, Bool) in
            guard state.open >= maxConnections else {
                state.open += 1
                return (true, false)
            }
            defer { state.capLogged = true }
            return (false, !state.capLogged)
        }
        if logCap {
            logger.warning("control listener at its connection cap; closing new connections", metadata: [
                "control_max_connections": "\(maxConnections)",
            ])
        }
        return admitted
    }

    private func release() {
        connections.withLock { state in
            state.open -= 1
            if state.open < maxConnections { state.capLogged = false }
        }
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
