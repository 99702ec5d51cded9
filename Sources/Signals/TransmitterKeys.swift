import AsyncHTTPClient
import Foundation
import JWTKit
import NIOCore
import RTATokens

/// One transmitter's SET verification keys: its JWKS fetched with AsyncHTTPClient and
/// cached for `ttl`, plus the configured HMAC secret. An unknown `kid` (the
/// transmitter rotated) triggers one refetch, at most once per `minRefetchInterval`;
/// concurrent refreshes share one request. A failed refresh keeps serving the older
/// key set, so a JWKS outage does not stop signals signed with unchanged keys.
actor TransmitterKeys {
    static let maxResponseBytes = 1 << 20

    private struct Snapshot {
        var keys: [String: JWK]
        var fetchedAt: UInt64
    }

    let transmitter: TransmitterConfiguration
    private let httpClient: HTTPClient
    private let clock: TokenClock
    private let ttl: UInt64
    private let minRefetchInterval: UInt64
    private var snapshot: Snapshot?
    /// When an unknown `kid` last caused a refetch; TTL refreshes do not count.
    private var lastUnknownKeyRefetch: UInt64?
    private var inFlight: Task<Snapshot, any Error>?
    /// Verifiers already built, by `kid` and algorithm: building one parses the key.
    private var verifiers: [String: any JWTAlgorithm] = [:]

    init(transmitter: TransmitterConfiguration, httpClient: HTTPClient, clock: TokenClock, ttl: UInt64, minRefetchInterval: UInt64) {
        self.transmitter = transmitter
        self.httpClient = httpClient
        self.clock = clock
        self.ttl = ttl
        self.minRefetchInterval = minRefetchInterval
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
        let now = clock.now()
        var current: Snapshot
        if let held = snapshot, now < held.fetchedAt &+ ttl {
            current = held
        } else {
            current = try await refresh(keeping: snapshot)
        }
        if let found = try await lookup(current, algorithm: algorithm, keyID: keyID) { return found }
        if lastUnknownKeyRefetch.map({ now >= $0 &+ minRefetchInterval }) ?? true {
            lastUnknownKeyRefetch = now
            current = try await refresh(keeping: current)
            if let found = try await lookup(current, algorithm: algorithm, keyID: keyID) { return found }
        }
        throw .rejected(SETError(.invalidKey, keyID.map { "kid \($0) is not in the JWKS of \(transmitter.issuer)" }
            ?? "SET has no kid and the JWKS of \(transmitter.issuer) does not hold exactly one key"))
    }

    /// nil when the set has no such key; throws when the key exists but cannot verify `algorithm`.
    private func lookup(_ snapshot: Snapshot, algorithm: SETAlgorithm, keyID: String?) async throws(SignalProcessingError) -> (any JWTAlgorithm)? {
        let kid: String
        if let keyID {
            kid = keyID
        } else if snapshot.keys.count == 1, let only = snapshot.keys.keys.first {
            kid = only
        } else {
            return nil
        }
        guard var jwk = snapshot.keys[kid] else { return nil }
        let cacheKey = kid + "\u{0}" + algorithm.rawValue
        if let built = verifiers[cacheKey] { return built }
        if let pinned = jwk.algorithm, pinned.rawValue != algorithm.rawValue {
            throw .rejected(SETError(.invalidKey, "key \(kid) of \(transmitter.issuer) is for \(pinned.rawValue), not \(algorithm.rawValue)"))
        }
        jwk.algorithm = JWK.Algorithm(rawValue: algorithm.rawValue)
        let key = jwk
        let built: any JWTAlgorithm
        do {
            built = try await Self.build { try await JWTKeyCollection().add(jwk: key) }
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

    private func refresh(keeping fallback: Snapshot?) async throws(SignalProcessingError) -> Snapshot {
        guard let url = transmitter.jwksURL else {
            throw .rejected(SETError(.invalidKey, "\(transmitter.issuer) has no jwks_url"))
        }
        let task: Task<Snapshot, any Error>
        if let inFlight {
            task = inFlight
        } else {
            let httpClient = self.httpClient, clock = self.clock
            task = Task { try await Self.fetch(url: url, httpClient: httpClient, clock: clock) }
            inFlight = task
        }
        defer { inFlight = nil }
        do {
            let fresh = try await task.value
            verifiers.removeAll()
            snapshot = fresh
            return fresh
        } catch {
            if let fallback { return fallback }
            throw .unavailable("cannot fetch the JWKS of \(transmitter.issuer) from \(url): \(error)")
        }
    }

    private static func fetch(url: String, httpClient: HTTPClient, clock: TokenClock) async throws -> Snapshot {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Accept", value: "application/jwk-set+json, application/json")
        let response = try await httpClient.execute(request, timeout: .seconds(10))
        guard response.status == .ok else {
            throw JWKSFetchError(url: url, status: Int(response.status.code))
        }
        let body = try await response.body.collect(upTo: maxResponseBytes)
        let set = try JSONDecoder().decode(LenientKeySet.self, from: Data(body.readableBytesView))
        var keys: [String: JWK] = [:]
        for entry in set.keys {
            guard entry.use ?? "sig" == "sig", let jwk = entry.jwk, let kid = jwk.keyIdentifier?.string else { continue }
            keys[kid] = jwk
        }
        return Snapshot(keys: keys, fetchedAt: clock.now())
    }

    private struct JWKSFetchError: Error, CustomStringConvertible {
        let url: String
        let status: Int
        var description: String { "GET \(url) answered HTTP \(status)" }
    }

    private struct LenientKeySet: Decodable {
        let keys: [LenientKey]
    }

    /// One JWKS entry: the key if jwt-kit can read it, and its `use`. One exotic key
    /// is skipped rather than failing the set.
    private struct LenientKey: Decodable {
        private enum CodingKeys: String, CodingKey { case use }
        let jwk: JWK?
        let use: String?

        init(from decoder: any Decoder) throws {
            jwk = try? JWK(from: decoder)
            use = try? decoder.container(keyedBy: CodingKeys.self).decodeIfPresent(String.self, forKey: .use)
        }
    }
}
