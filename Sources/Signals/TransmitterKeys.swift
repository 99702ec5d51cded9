import AsyncHTTPClient
import JWTKit
import RTATokens
import TokenExchange

/// One transmitter's SET verification keys: its JWKS through the shared fetching
/// policy of `JWKSource` (TTL, one refetch per unknown `kid`, older set kept when a
/// refresh fails), plus the configured HMAC secret, with the SET-specific rules on
/// top: the algorithm allow-list, a JWK's pinned `alg`, and HMAC only from the secret.
actor TransmitterKeys {
    let transmitter: TransmitterConfiguration
    private let source: JWKSource?
    /// Verifiers already built from the current key set, by `kid` and algorithm.
    private var verifiers: [String: any JWTAlgorithm] = [:]
    private var generation: UInt64 = 0

    init(transmitter: TransmitterConfiguration, httpClient: HTTPClient, clock: TokenClock, ttl: UInt64, minRefetchInterval: UInt64) {
        self.transmitter = transmitter
        self.source = transmitter.jwksURL.map {
            JWKSource(url: $0, httpClient: httpClient, clock: clock, ttl: ttl, minRefetchInterval: minRefetchInterval)
        }
    }

    /// The algorithm that verifies a SET with this header, or why there is none.
    func verifier(for algorithm: SETAlgorithm, keyID: String?) async throws(SignalProcessingError) -> any JWTAlgorithm {
        guard transmitter.algorithms.contains(algorithm) else {
            throw .rejected(SETError(.invalidKey, "alg \(algorithm.rawValue) is not allowed for \(transmitter.issuer) (allowed: \(transmitter.algorithms.map(\.rawValue).sorted().joined(separator: ", ")))"))
        }
        guard algorithm.isAsymmetric else {
            guard let secret = transmitter.hmacSecret else {
                throw .rejected(SETError(.invalidKey, "HS256 needs a shared secret and none is configured for \(transmitter.issuer)"))
            }
            return try await Self.build { await JWTKeyCollection().add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256) }
        }
        guard let source else {
            throw .rejected(SETError(.invalidKey, "\(transmitter.issuer) has no jwks_url"))
        }
        let set: JWKSource.KeySet
        do {
            set = try await source.keySet(for: keyID)
        } catch {
            throw .unavailable("cannot fetch the JWKS of \(transmitter.issuer) from \(error.url): \(error.reason)")
        }
        if set.generation != generation {
            verifiers.removeAll()
            generation = set.generation
        }
        guard let (kid, jwk) = set.key(keyID) else {
            throw .rejected(SETError(.invalidKey, keyID.map { "kid \($0) is not in the JWKS of \(transmitter.issuer)" }
                ?? "SET has no kid and the JWKS of \(transmitter.issuer) does not hold exactly one key"))
        }
        return try await verifier(kid: kid, jwk: jwk, algorithm: algorithm)
    }

    /// Builds (once per key set) the verifier of `jwk` for `algorithm`, refusing a key
    /// pinned to another algorithm.
    private func verifier(kid: String, jwk: JWK, algorithm: SETAlgorithm) async throws(SignalProcessingError) -> any JWTAlgorithm {
        let cacheKey = kid + "\u{0}" + algorithm.rawValue
        if let built = verifiers[cacheKey] { return built }
        if let pinned = jwk.algorithm, pinned.rawValue != algorithm.rawValue {
            throw .rejected(SETError(.invalidKey, "key \(kid) of \(transmitter.issuer) is for \(pinned.rawValue), not \(algorithm.rawValue)"))
        }
        var key = jwk
        key.algorithm = JWK.Algorithm(rawValue: algorithm.rawValue)
        let pinnedKey = key
        let built: any JWTAlgorithm
        do {
            built = try await Self.build { try await JWTKeyCollection().add(jwk: pinnedKey) }
        } catch {
            throw .rejected(SETError(.invalidKey, "key \(kid) of \(transmitter.issuer) cannot verify \(algorithm.rawValue): \(error)"))
        }
        guard built.name == algorithm.rawValue else {
            throw .rejected(SETError(.invalidKey, "key \(kid) of \(transmitter.issuer) verifies \(built.name), not \(algorithm.rawValue)"))
        }
        verifiers[cacheKey] = built
        return built
    }

    /// The single key of a one-key collection: jwt-kit cannot fall back to another key.
    private static func build(_ make: () async throws -> JWTKeyCollection) async throws(SignalProcessingError) -> any JWTAlgorithm {
        do {
            return try await make().getKey()
        } catch {
            throw .rejected(SETError(.invalidKey, "unusable key: \(error)"))
        }
    }
}
