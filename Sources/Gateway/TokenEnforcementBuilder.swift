import AsyncHTTPClient
import AuditLog
import Foundation
import GatewayConfig
import GatewayPolicy
import Logging
import RTATokens
import TokenExchange

/// Builds `TokenEnforcement` and the audit writer from the config's `tokens`,
/// `identity_providers`, `policies` and `audit` sections, failing start-up with a clear
/// message when a key file, an IdP entry or the audit file is unusable.
enum TokenEnforcementBuilder {
    static func auditWriter(_ config: AuditConfig?) throws -> AuditWriter? {
        guard let config else { return nil }
        let sync: AuditSyncPolicy = switch config.sync {
        case .never: .never
        case .always: .everyRecord
        case .interval: .interval(milliseconds: milliseconds(config.syncInterval))
        }
        var sinks: [any AuditSink] = []
        if config.stdout { sinks.append(StandardOutputSink()) }
        guard let file = config.file else {
            return AuditWriter(sinks: sinks, configuration: .init(sync: sync))
        }
        let url = URL(fileURLWithPath: file)
        let baseName = url.deletingPathExtension().lastPathComponent
        let retention = config.retention.map { AuditRetention(maxFiles: $0.maxFiles, maxAge: $0.maxAge) } ?? .keepAll
        let sink = try RotatingFileSink(
            directory: url.deletingLastPathComponent().path, baseName: baseName,
            maxBytes: config.rotateBytes.map { UInt64($0) } ?? 64 << 20, syncOnRotation: sync != .never, retention: retention)
        return try AuditWriter.resuming(fileSink: sink, otherSinks: sinks, configuration: .init(sync: sync))
    }

    static func enforcement(
        _ config: GatewayConfig, tokens: TokensConfig, audit: AuditWriter?, logger: Logger = Logger(label: "rta.gateway")
    ) async throws -> (TokenEnforcement, PolicyStore) {
        let keyRing = try KeyRing.load(paths: tokens.keyPaths)
        if let expected = tokens.currentKeyID, expected != keyRing.current.keyID {
            throw GatewayStartupError.tokens(
                "tokens.current_key_id is \(expected) but the unretired key file holds key \(keyRing.current.keyID)")
        }
        let limits = TokenLimits(maxAge: milliseconds(tokens.maxAge), clockSkew: milliseconds(tokens.clockSkew))
        let sessions = InMemorySessionStore(expiry: SessionExpiry(
            idle: milliseconds(tokens.sessionIdleTimeout), absolute: milliseconds(tokens.sessionLifetime)))
        let verifier = try await SubjectTokenVerifier(providers: config.identityProviders.map(providerConfig))
        let policies = try policyStore(config.policies, logger: logger)
        let revocations = InMemorySubjectRevocations()
        let exchange = TokenExchangeService(
            verifier: verifier, keyRing: keyRing, sessions: sessions, revocations: revocations,
            configuration: TokenExchangeConfiguration(
                limits: limits, nonceCapacity: tokens.exchangeNonceCapacity, maxSessionsPerSubject: tokens.maxSessionsPerSubject,
                maxExchangesPerSubject: tokens.maxExchangesPerSubject),
            policyEpoch: policies.epoch)
        let enforcement = TokenEnforcement(
            validator: TokenValidator(keyRing: keyRing, limits: limits), sessions: sessions, exchange: exchange,
            revocations: revocations, policies: policies, auditWriter: audit, logger: logger)
        return (enforcement, policies)
    }

    /// The policy store with its first set loaded. Fails closed: a directory that is
    /// missing or files that do not load stop start-up with every problem located,
    /// since a gateway without a policy set could only deny or allow blindly.
    static func policyStore(_ config: PoliciesConfig, logger: Logger) throws(PolicyLoadError) -> PolicyStore {
        let store = PolicyStore(configuration: config, logger: logger)
        let snapshot = try store.reload()
        if snapshot.policies.policies.isEmpty {
            logger.warning("no policies loaded: every request on a protected route is denied",
                           metadata: ["directory": "\(config.directory)"])
        }
        return store
    }

    static func providerConfig(_ settings: IdentityProviderSettings) -> IdentityProviderConfig {
        let validation: IdentityProviderConfig.Validation = switch settings.validation {
        case .jwks(let url): .jwks(url: url)
        case .introspection(let url, let clientID, let clientSecret):
            .introspection(url: url, clientID: clientID, clientSecret: clientSecret)
        }
        let defaults = IdentityProviderConfig(issuer: settings.issuer, audiences: settings.audiences, validation: validation)
        return IdentityProviderConfig(
            issuer: settings.issuer, audiences: settings.audiences, validation: validation,
            allowedAlgorithms: settings.algorithms ?? defaults.allowedAlgorithms, hmacSecret: settings.hmacSecret,
            clockSkew: settings.clockSkew.map(milliseconds) ?? defaults.clockSkew,
            policyClaims: settings.policyClaims ?? defaults.policyClaims,
            jwksCacheTTL: settings.jwksCacheTTL.map(milliseconds) ?? defaults.jwksCacheTTL,
            jwksMinRefetchInterval: settings.jwksMinRefetchInterval.map(milliseconds) ?? defaults.jwksMinRefetchInterval,
            emailAuthoritative: settings.emailAuthoritative, agents: settings.agents.mapValues(Set.init),
            requireVerifiedAgent: settings.requireVerifiedAgent)
    }

    static func milliseconds(_ duration: Duration) -> UInt64 {
        let parts = duration.components
        return UInt64(max(0, parts.seconds)) * 1_000 + UInt64(max(0, parts.attoseconds)) / 1_000_000_000_000_000
    }
}
