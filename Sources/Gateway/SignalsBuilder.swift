import AsyncHTTPClient
import GatewayConfig
import Logging
import Signals

/// Builds the SSF receiver from the `signals` section: the `Signals` module's
/// configuration types re-check the cross-field rules the config parser reports with
/// line numbers, so a config built in code gets the same refusals.
enum SignalsBuilder {
    static func receiverConfiguration(_ settings: SignalsSettings) throws(SignalsConfigurationError) -> ReceiverConfiguration {
        var transmitters: [TransmitterConfiguration] = []
        for transmitter in settings.transmitters {
            transmitters.append(try transmitterConfiguration(transmitter))
        }
        return try ReceiverConfiguration(
            audiences: Set(settings.audiences), transmitters: transmitters,
            replayWindow: TokenEnforcementBuilder.milliseconds(settings.replayWindow), replayCapacity: settings.replayCapacity,
            clockSkew: TokenEnforcementBuilder.milliseconds(settings.clockSkew),
            jwksTTL: TokenEnforcementBuilder.milliseconds(settings.jwksTTL),
            jwksMinRefetchInterval: TokenEnforcementBuilder.milliseconds(settings.jwksMinRefetchInterval))
    }

    static func transmitterConfiguration(_ settings: TransmitterSettings) throws(SignalsConfigurationError) -> TransmitterConfiguration {
        var algorithms: Set<SETAlgorithm> = [.rs256]
        if let names = settings.algorithms {
            algorithms = []
            for name in names {
                guard let algorithm = SETAlgorithm(rawValue: name.uppercased()) else {
                    throw SignalsConfigurationError(key: "transmitters.algorithms", "\(name) is not one of RS256, PS256, ES256, HS256")
                }
                algorithms.insert(algorithm)
            }
        }
        return try TransmitterConfiguration(
            issuer: settings.issuer, jwksURL: settings.jwksURL, algorithms: algorithms, hmacSecret: settings.hmacSecret,
            bearerToken: settings.bearerToken, pollURL: settings.pollURL, pollAuthorization: settings.pollAuthorization,
            subjectIssuers: settings.subjectIssuers.map(Set.init))
    }

    /// One poller per transmitter with a `poll_url`, each reporting to `intake`.
    static func pollers(
        _ settings: SignalsSettings, configuration: ReceiverConfiguration, intake: SignalIntake, httpClient: HTTPClient,
        logger: Logger
    ) throws(SignalsConfigurationError) -> [PollReceiver] {
        var pollers: [PollReceiver] = []
        for transmitter in settings.transmitters where transmitter.pollURL != nil {
            guard let configured = configuration.transmitters[transmitter.issuer] else { continue }
            let options = PollReceiver.Options(longPoll: transmitter.longPoll, interval: transmitter.pollInterval)
            pollers.append(try PollReceiver(
                transmitter: configured, processor: intake.processor, httpClient: httpClient, options: options,
                logger: logger
            ) { result in
                await intake.polled(result, started: .now)
            })
        }
        return pollers
    }
}
