import ArgumentParser
import Gateway
import GatewayConfig
import Logging
import ServiceLifecycle

/// Starts the gateway. Configuration goes through the same loader as `validate`.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the gateway: QUIC/HTTP/3 listener, control listener, reverse proxy.",
        discussion: """
            Signals: SIGTERM drains (GOAWAY to every client, in-flight requests get \
            listen.grace_period to finish, then connections close with H3_NO_ERROR); \
            SIGINT stops at once.

            Exit status: 0 after a clean stop, 1 when the configuration or the policies are \
            invalid (every problem is printed as FILE:LINE:COLUMN: KEY: MESSAGE, as \
            `validate` does), 2 when a listener, key or certificate cannot be set up.
            """)

    @Option(name: .shortAndLong, help: "The configuration file (YAML).")
    var config: String = "gateway.yaml"

    @Option(help: "Minimum log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    func run() async throws {
        LoggingSetup.bootstrap(level: logLevel)
        let logger = Logger(label: "rta-gateway")
        let gatewayConfig: GatewayConfig
        do {
            gatewayConfig = try GatewayConfig.load(path: config)
        } catch {
            printError(error.description)
            throw ExitCode(1)
        }
        let service = GatewayService(config: gatewayConfig, logger: logger)
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [.init(service: service)],
            gracefulShutdownSignals: [.sigterm],
            cancellationSignals: [.sigint],
            logger: logger))
        do {
            try await group.run()
        } catch let error as GatewayStartupError {
            printError("rta-gateway: \(error)")
            if case .policies = error { throw ExitCode(1) }
            throw ExitCode(2)
        }
    }
}
