import AuditLog
import GatewayConfig
import GatewayPolicy
import HTTP3
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import QUICTransport
import ServiceLifecycle

/// The running gateway: HTTP/3 listener, control listener and upstream clients, built
/// from one validated `GatewayConfig` and stopped together.
///
/// Start-up order makes readiness honest: `/readyz` turns 200 only after the QUIC
/// listener is bound, and turns 503 again the moment a drain begins.
public final class GatewayService: Service, Sendable {
    private let config: GatewayConfig
    private let logger: Logger
    private let eventLoopGroup: any EventLoopGroup
    private let started = StartupSignal<(quic: Int, control: Int)>()

    public init(config: GatewayConfig, logger: Logger, eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.config = config
        self.logger = logger
        self.eventLoopGroup = eventLoopGroup
    }

    /// Bound addresses, available once `run` has started the listeners (for tests that use port 0).
    public func boundPorts() async -> (quic: Int, control: Int) {
        await started.wait()
    }

    public func run() async throws {
        let tls: TLSServerContext
        do {
            tls = try TLSServerContext(
                certificatePath: config.listen.certificatePath, privateKeyPath: config.listen.privateKeyPath)
        } catch {
            throw GatewayStartupError.tls(error.description)
        }
        for warning in DevelopmentSecrets.exposureWarnings(config) { logger.warning("\(warning)") }
        let metrics = GatewayMetrics()
        let readiness = ReadinessFlag()
        let proxy = ReverseProxy(
            upstreams: config.upstreams, trustedProxies: config.listen.trustedProxies, eventLoopGroup: eventLoopGroup,
            logger: logger)
        let audit: AuditWriter?
        do {
            audit = try TokenEnforcementBuilder.auditWriter(config.audit)
        } catch {
            try? await proxy.shutdown()
            throw GatewayStartupError.tokens("\(error)")
        }
        if audit == nil { logger.warning("audit log disabled: no audit section") }
        let enforcement: TokenEnforcement?
        let policies: PolicyStore?
        let signals: SignalsRuntime?
        let trail: AuditTrail
        do {
            if let tokens = config.tokens {
                let (built, store) = try await TokenEnforcementBuilder.enforcement(
                    config, tokens: tokens, audit: audit, logger: logger)
                (enforcement, policies) = (built, store)
            } else {
                // `GatewayConfig` refuses protected routes without a tokens section.
                (enforcement, policies) = (nil, nil)
            }
            trail = enforcement?.audit ?? AuditTrail(writer: audit, logger: logger)
            signals = try config.signals.map { settings in
                guard let enforcement else {
                    throw GatewayStartupError.tokens("the signals section needs a tokens section: signals revoke token sessions")
                }
                return try SignalsRuntime(
                    settings: settings, enforcement: enforcement, metrics: metrics,
                    recentCapacity: config.admin?.recentSignals ?? AdminSettings.defaultRecentSignals,
                    eventLoopGroup: eventLoopGroup, logger: logger)
            }
        } catch let error as PolicyLoadError {
            try? await proxy.shutdown()
            try? await audit?.close()
            throw GatewayStartupError.policies(error)
        } catch {
            try? await proxy.shutdown()
            try? await audit?.close()
            throw GatewayStartupError.tokens("\(error)")
        }
        let admin = config.admin.flatMap { settings in
            enforcement.map { AdminAPI(settings: settings, enforcement: $0, revocations: $0.revocations,
                                       recent: signals?.intake.recent, metrics: metrics) }
        }
        if config.admin != nil, admin == nil { logger.warning("admin API disabled: it needs a tokens section") }
        let background = BackgroundWork(policies: policies, enforcement: enforcement, metrics: metrics, logger: logger)
        let pipeline = RequestPipeline(
            router: Router(routes: config.routes), proxy: proxy, metrics: metrics, audit: trail, limits: config.limits,
            enforcement: enforcement, signals: signals?.intake, logger: logger)
        var transport = QUICServerConfiguration()
        transport.idleTimeoutNanoseconds = UInt64(config.listen.idleTimeout.components.seconds) * 1_000_000_000
            + UInt64(config.listen.idleTimeout.components.attoseconds / 1_000_000_000)

        // The QUIC listener gets a loop of its own. AsyncHTTPClient places a request on
        // the caller's loop when the caller runs on one of its group's loops, and handlers
        // run on the QUIC loop: sharing one group would put every upstream connection on
        // the QUIC thread and leave the other core idle.
        let quicGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        await Self.prioritize(quicGroup.next(), nice: config.listen.quicThreadNice, logger: logger)
        let controlTLS: NIOSSLContext?
        do {
            controlTLS = try config.listen.controlTLS ? Self.controlTLSContext(config.listen) : nil
        } catch {
            try? await proxy.shutdown()
            await signals?.shutdown()
            try? await audit?.close()
            throw GatewayStartupError.tls("control_tls: \(error)")
        }
        let control = ControlServer(
            address: config.listen.control, metrics: metrics, readiness: readiness,
            routes: ControlRoutes(intake: signals?.intake, admin: admin), tls: controlTLS,
            idleTimeout: config.listen.controlIdleTimeout, maxConnections: config.listen.controlMaxConnections,
            eventLoopGroup: eventLoopGroup, logger: logger)
        let server: HTTP3Server
        let controlPort: Int
        do {
            controlPort = try await control.start()
            server = try await HTTP3Server.start(
                host: config.listen.quic.host, port: config.listen.quic.port, group: quicGroup, tls: tls,
                configuration: transport, handler: pipeline, metrics: metrics, logger: logger)
        } catch {
            try? await control.shutdown()
            try? await proxy.shutdown()
            try? await quicGroup.shutdownGracefully()
            await signals?.shutdown()
            try? await audit?.close()
            throw GatewayStartupError.listen("\(error)")
        }
        let quicPort = server.localAddress.port ?? config.listen.quic.port
        background.start()
        signals?.start()
        readiness.markReady()
        logger.info(
            "gateway ready",
            metadata: [
                "quic": "\(config.listen.quic.host):\(quicPort)", "control": "\(config.listen.control.host):\(controlPort)",
                "routes": "\(config.routes.count)", "upstreams": "\(config.upstreams.count)",
            ])
        await started.finish((quicPort, controlPort))

        let gracePeriod: Duration
        do {
            try await gracefulShutdown()
            gracePeriod = config.listen.gracePeriod
            logger.info("draining", metadata: ["grace_period": "\(gracePeriod)"])
        } catch {
            gracePeriod = .zero
            logger.info("stopping now")
        }
        readiness.markNotReady()
        enforcement?.hub.endAllStreams()
        await server.shutdown(gracePeriod: gracePeriod)
        try? await control.shutdown()
        try? await proxy.shutdown()
        try? await quicGroup.shutdownGracefully()
        await signals?.shutdown()
        await background.stop()
        do {
            try await audit?.close()
        } catch {
            logger.error("audit log did not close cleanly", metadata: ["error": "\(error)"])
        }
        logger.info("stopped")
    }
}

extension GatewayService {
    /// The policy check `serve` runs at start-up, for `validate`: nil when the
    /// configuration has no tokens section (then it has no protected routes either).
    public static func checkPolicies(_ config: GatewayConfig) throws(PolicyLoadError) -> PolicySnapshot? {
        guard config.tokens != nil else { return nil }
        var quiet = Logger(label: "rta.policy")
        quiet.logLevel = .critical  // the caller reports the outcome
        return try TokenEnforcementBuilder.policyStore(config.policies, logger: quiet).snapshot
    }

    /// The control listener's TLS: the QUIC listener's certificate and key, HTTP/1.1 only.
    static func controlTLSContext(_ listen: ListenConfig) throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(listen.certificatePath).map { .certificate($0) },
            privateKey: .file(listen.privateKeyPath))
        configuration.applicationProtocols = ["http/1.1"]
        return try NIOSSLContext(configuration: configuration)
    }

    /// `listen.quic_thread_nice` for the QUIC loop's thread. Not fatal when refused: the
    /// gateway is correct at any priority, only slower to answer on a busy machine.
    static func prioritize(_ loop: any EventLoop, nice: Int, logger: Logger) async {
        guard nice != 0 else { return }
        do {
            try await QUICThreadPriority.setNice(Int32(nice), on: loop)
            logger.info("QUIC thread priority set", metadata: ["nice": "\(nice)"])
        } catch {
            logger.notice("QUIC thread keeps normal priority; grant CAP_SYS_NICE or set listen.quic_thread_nice: 0", metadata: [
                "error": "\(error)",
            ])
        }
    }
}

/// Why the gateway could not start. The CLI prints it and exits with status 1 for
/// `policies` (a configuration problem, located like `validate`'s), 2 otherwise.
public enum GatewayStartupError: Error, CustomStringConvertible {
    case tls(String)
    case listen(String)
    case tokens(String)
    /// The policy set does not load: every problem as `FILE:LINE:COLUMN: …`.
    case policies(PolicyLoadError)

    public var description: String {
        switch self {
        case .policies(let error): return "the policies do not load; refusing to start without them:\n\(error)"
        case .tokens(let message): return "cannot set up token enforcement or audit: \(message)"
        case .tls(let message): return "cannot load the TLS certificate: \(message)"
        case .listen(let message): return "cannot listen: \(message)"
        }
    }
}

extension GatewayMetrics: QUICMetricsSink {}
