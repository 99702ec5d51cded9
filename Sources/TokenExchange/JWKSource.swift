import AsyncHTTPClient
import Foundation
import JWTKit
import NIOCore
import RTATokens

/// A JSON Web Key Set fetched from a URL with AsyncHTTPClient and kept for `ttl`:
/// the one fetching policy behind both IdP token verification (`JWKSCache`) and SET
/// verification (the `Signals` module's transmitter keys).
///
/// An unknown `kid` (the publisher rotated) triggers one refetch, at most once per
/// `minRefetchInterval`, so made-up `kid`s cannot make us hammer the publisher;
/// concurrent refreshes share one request. If a refresh fails while an older set is
/// held, the older set keeps serving: an outage should not stop tokens signed with
/// keys that did not change. Keys for encryption (`use: enc`), without `kid`, or that
/// jwt-kit cannot read are skipped rather than failing the set.
public actor JWKSource {
    /// The keys in force and which fetch they came from, so callers can drop what
    /// they built from an older set.
    public struct KeySet: Sendable {
        public let keys: [String: JWK]
        /// Increases with every successful fetch.
        public let generation: UInt64
        let fetchedAt: UInt64

        /// The key named `kid`, or the only key when `kid` is nil and there is exactly one.
        public func key(_ kid: String?) -> (kid: String, jwk: JWK)? {
            if let kid { return keys[kid].map { (kid, $0) } }
            guard keys.count == 1, let only = keys.first else { return nil }
            return (only.key, only.value)
        }
    }

    /// No key set could be fetched and none is held.
    public struct Unavailable: Error, CustomStringConvertible {
        public let url: String
        public let reason: String
        public var description: String { "cannot fetch the JWKS from \(url): \(reason)" }
    }

    public static let maxResponseBytes = 1 << 20

    public let url: String
    private let httpClient: HTTPClient
    private let clock: TokenClock
    private let ttl: UInt64
    private let minRefetchInterval: UInt64
    private var current: KeySet?
    /// When an unknown `kid` last caused a refetch; TTL refreshes do not count.
    private var lastUnknownKeyRefetch: UInt64?
    private var inFlight: Task<KeySet, any Error>?

    public init(url: String, httpClient: HTTPClient, clock: TokenClock, ttl: UInt64, minRefetchInterval: UInt64) {
        self.url = url
        self.httpClient = httpClient
        self.clock = clock
        self.ttl = ttl
        self.minRefetchInterval = minRefetchInterval
    }

    /// The set holding `kid` (see `KeySet.key`), refetched first when the held set is
    /// older than `ttl` and once more when `kid` is unknown and the refetch budget
    /// allows. The returned set may still lack the key.
    public func keySet(for kid: String?) async throws(Unavailable) -> KeySet {
        let now = clock.now()
        var set: KeySet
        if let held = current, now < held.fetchedAt &+ ttl {
            set = held
        } else {
            set = try await refresh(keeping: current)
        }
        guard set.key(kid) == nil else { return set }
        guard lastUnknownKeyRefetch.map({ now >= $0 &+ minRefetchInterval }) ?? true else { return set }
        lastUnknownKeyRefetch = now
        set = try await refresh(keeping: set)
        return set
    }

    private func refresh(keeping fallback: KeySet?) async throws(Unavailable) -> KeySet {
        let task: Task<KeySet, any Error>
        if let inFlight {
            task = inFlight
        } else {
            let url = self.url, httpClient = self.httpClient, clock = self.clock
            let generation = (current?.generation ?? 0) + 1
            task = Task { try await Self.fetch(url: url, httpClient: httpClient, clock: clock, generation: generation) }
            inFlight = task
        }
        defer { if inFlight == task { inFlight = nil } }
        do {
            let fresh = try await task.value
            current = fresh
            return fresh
        } catch {
            if let fallback { return fallback }
            throw Unavailable(url: url, reason: "\(error)")
        }
    }

    private static func fetch(url: String, httpClient: HTTPClient, clock: TokenClock, generation: UInt64) async throws
        -> KeySet
    {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Accept", value: "application/jwk-set+json, application/json")
        let response = try await httpClient.execute(request, timeout: .seconds(10))
        guard response.status == .ok else {
            throw IdentityProviderHTTPError(status: response.status.code)
        }
        let body = try await response.body.collect(upTo: maxResponseBytes)
        let set = try JSONDecoder().decode(LenientKeySet.self, from: Data(body.readableBytesView))
        var keys: [String: JWK] = [:]
        for entry in set.keys {
            guard entry.use ?? "sig" == "sig", let jwk = entry.jwk, let kid = jwk.keyIdentifier?.string else { continue }
            keys[kid] = jwk
        }
        return KeySet(keys: keys, generation: generation, fetchedAt: clock.now())
    }

    private struct LenientKeySet: Decodable {
        let keys: [LenientKey]
    }

    /// One JWKS entry: the key if jwt-kit can read it, and its `use`.
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
