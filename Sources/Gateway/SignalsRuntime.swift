import AsyncHTTPClient
import GatewayConfig
import Logging
import NIOCore
import Signals
import Synchronization

/// The SSF receiver's moving parts: the intake both listeners push into, the HTTP
/// client that fetches transmitter JWKS and polls, and one task per polled
/// transmitter. Started after the listeners, stopped before the audit log closes so
/// every applied SET is recorded.
final class SignalsRuntime: Sendable {
    let intake: SignalIntake
    private let httpClient: HTTPClient
    private let pollers: [PollReceiver]
    private let tasks = Mutex<[Task<Void, Never>]>([])
    private let logger: Logger

    init(settings: SignalsSettings, enforcement: TokenEnforcement, metrics: GatewayMetrics, recentCapacity: Int,
         eventLoopGroup: any EventLoopGroup, logger: Logger) throws {
        let configuration = try SignalsBuilder.receiverConfiguration(settings)
        var clientConfiguration = HTTPClient.Configuration()
        clientConfiguration.timeout = .init(connect: .seconds(5), read: .seconds(90))
        let httpClient = HTTPClient(eventLoopGroup: eventLoopGroup, configuration: clientConfiguration)
        let verifier = SETVerifier(configuration: configuration, httpClient: httpClient, clock: enforcement.validator.clock)
        let hub = enforcement.hub
        let processor = SignalProcessor(
            verifier: verifier, sessions: enforcement.sessions, revocations: enforcement.revocations,
            keyRing: enforcement.validator.keyRing, clock: enforcement.validator.clock
        ) { pending in
            hub.publishRevoked(pending.sessions, notice: .init(reason: pending.reason, event: pending.eventType, jti: pending.jti))
        }
        let intake = SignalIntake(processor: processor, enforcement: enforcement, metrics: metrics,
                                  recentCapacity: recentCapacity, logger: logger)
        do {
            self.pollers = try SignalsBuilder.pollers(
                settings, configuration: configuration, intake: intake, httpClient: httpClient, logger: logger)
        } catch {
            try? httpClient.syncShutdown()
            throw error
        }
        self.intake = intake
        self.httpClient = httpClient
        self.logger = logger
        logger.info("SSF receiver on", metadata: [
            "audience": "\(settings.audiences.joined(separator: ","))",
            "transmitters": "\(settings.transmitters.map(\.issuer).joined(separator: ","))",
            "polled": "\(pollers.count)",
        ])
    }

    func start() {
        let started = pollers.map { poller in Task { await poller.run() } }
        tasks.withLock { $0 += started }
    }

    func shutdown() async {
        let running = tasks.withLock { tasks in
            defer { tasks = [] }
            return tasks
        }
        for task in running { task.cancel() }
        for task in running { await task.value }
        do {
            try await httpClient.shutdown()
        } catch {
            logger.warning("SSF receiver HTTP client did not shut down cleanly", metadata: ["error": "\(error)"])
        }
    }
}
