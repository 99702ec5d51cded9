import AsyncHTTPClient
import JWTKit
import RTATokens

/// One issuer's signing keys for IdP token verification, on top of the shared
/// fetching policy of `JWKSource` (TTL, one refetch per unknown `kid`, fallback to
/// the older set on failure). Each key becomes its own single-key collection, so
/// jwt-kit can never fall back to a different key than the one the token names.
actor JWKSCache {
    private let source: JWKSource
    /// Collections already built from the current key set, by `kid`.
    private var collections: [String: JWTKeyCollection] = [:]
    private var generation: UInt64 = 0

    init(url: String, httpClient: HTTPClient, clock: TokenClock, ttl: UInt64, minRefetchInterval: UInt64) {
        source = JWKSource(url: url, httpClient: httpClient, clock: clock, ttl: ttl, minRefetchInterval: minRefetchInterval)
    }

    /// The verification algorithm for the token's `kid` and `alg`, or nil when the
    /// issuer has no such key even after the allowed refetch. A token without `kid`
    /// is accepted only when the issuer publishes exactly one key.
    func algorithm(kid: String?, alg: String) async throws(OAuthError) -> (any JWTAlgorithm)? {
        let set: JWKSource.KeySet
        do {
            set = try await source.keySet(for: kid)
        } catch {
            throw OAuthError(.temporarilyUnavailable, .identityProviderUnavailable, "cannot fetch the issuer's JWKS from \(error.url): \(error.reason)")
        }
        if set.generation != generation {
            collections.removeAll()
            generation = set.generation
        }
        guard let (keyID, jwk) = set.key(kid) else { return nil }
        let collection: JWTKeyCollection
        if let built = collections[keyID] {
            collection = built
        } else {
            guard let built = try? await JWTKeyCollection().add(jwk: jwk) else { return nil }
            collections[keyID] = built
            collection = built
        }
        guard let algorithm = try? await collection.getKey(alg: alg) else { return nil }
        // A JWK that names its own `alg` yields that algorithm whatever the token asks
        // for; a mismatch means this key cannot verify this token.
        return algorithm.name == alg ? algorithm : nil
    }
}
