import AsyncHTTPClient
import Foundation
import JWTKit
import NIOCore
import RTATokens

/// One issuer's signing keys, fetched from its `jwks_uri` with AsyncHTTPClient and
/// kept for `ttl`. A token naming an unknown `kid` (the IdP rotated) triggers one
/// refetch, at most once per `minRefetchInterval`; concurrent refreshes share one
/// request. If a refresh fails while an older key set is held, the older set keeps
/// serving: an IdP outage should not log out everyone whose key did not change.
actor JWKSCache {
    /// Keys by `kid`, each in its own single-key collection so jwt-kit can never fall
    /// back to a different key than the one the token names.
    private struct Snapshot {
        var keys: [String: JWTKeyCollection]
        var fetchedAt: UInt64
    }

    static let maxResponseBytes = 1 << 20

    let url: String
    private let httpClient: HTTPClient
    private let clock: TokenClock
    private let ttl: UInt64
    private let minRefetchInterval: UInt64
    private var snapshot: Snapshot?
    /// When an unknown `kid` last caused a refetch; scheduled (TTL) fetches do not count.
    private var lastUnknownKeyRefetch: UInt64?
    private var inFlight: Task<Snapshot, any Error>?

    init(url: String, httpClient: HTTPClient, clock: TokenClock, ttl: UInt64, minRefetchInterval: UInt64) {
        self.url = url
        self.httpClient = httpClient
        self.clock = clock
        self.ttl = ttl
        self.minRefetchInterval = minRefetchInterval
    }

    /// The verification algorithm for the token's `kid` and `alg`, or nil when the
    /// issuer has no such key even after the allowed refetch. A token without `kid`
    /// is accepted only when the issuer publishes exactly one key.
    func algorithm(kid: String?, alg: String) async throws(OAuthError) -> (any JWTAlgorithm)? {
        let now = clock.now()
        var current: Snapshot
        if let held = snapshot, now < held.fetchedAt &+ ttl {
            current = held
        } else {
            current = try await refresh(keeping: snapshot)
        }
        if let found = await lookup(current, kid: kid, alg: alg) { return found }
        guard lastUnknownKeyRefetch.map({ now >= $0 &+ minRefetchInterval }) ?? true else { return nil }
        lastUnknownKeyRefetch = now
        current = try await refresh(keeping: current)
        return await lookup(current, kid: kid, alg: alg)
    }

    private func lookup(_ snapshot: Snapshot, kid: String?, alg: String) async -> (any JWTAlgorithm)? {
        let collection: JWTKeyCollection?
        if let kid {
            collection = snapshot.keys[kid]
        } else {
            collection = snapshot.keys.count == 1 ? snapshot.keys.values.first : nil
        }
        guard let collection, let algorithm = try? await collection.getKey(alg: alg) else { return nil }
        // A JWK that names its own `alg` yields that algorithm whatever the token asks
        // for; a mismatch means this key cannot verify this token.
        return algorithm.name == alg ? algorithm : nil
    }

    private func refresh(keeping fallback: Snapshot?) async throws(OAuthError) -> Snapshot {
        let task: Task<Snapshot, any Error>
        if let inFlight {
            task = inFlight
        } else {
            let url = self.url, httpClient = self.httpClient, clock = self.clock
            task = Task { try await Self.fetch(url: url, httpClient: httpClient, clock: clock) }
            inFlight = task
        }
        defer { if inFlight == task { inFlight = nil } }
        do {
            let fresh = try await task.value
            snapshot = fresh
            return fresh
        } catch {
            if let fallback { return fallback }
            throw OAuthError(.temporarilyUnavailable, .identityProviderUnavailable, "cannot fetch the issuer's JWKS from \(url): \(error)")
        }
    }

    private static func fetch(url: String, httpClient: HTTPClient, clock: TokenClock) async throws -> Snapshot {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Accept", value: "application/jwk-set+json, application/json")
        let response = try await httpClient.execute(request, timeout: .seconds(10))
        guard response.status == .ok else {
            throw IdentityProviderHTTPError(status: response.status.code)
        }
        let body = try await response.body.collect(upTo: maxResponseBytes)
        return Snapshot(keys: try await keys(from: Data(body.readableBytesView)), fetchedAt: clock.now())
    }

    /// Signature keys by `kid`. Keys that are for encryption (`use: enc`), lack a
    /// `kid`, or that jwt-kit cannot read are skipped rather than failing the set, so
    /// one exotic key does not take the issuer offline.
    private static func keys(from data: Data) async throws -> [String: JWTKeyCollection] {
        let set = try JSONDecoder().decode(LenientKeySet.self, from: data)
        var keys: [String: JWTKeyCollection] = [:]
        for entry in set.keys {
            guard entry.use ?? "sig" == "sig", let jwk = entry.jwk, let kid = jwk.keyIdentifier?.string,
                  let collection = try? await JWTKeyCollection().add(jwk: jwk)
            else { continue }
            keys[kid] = collection
        }
        return keys
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
