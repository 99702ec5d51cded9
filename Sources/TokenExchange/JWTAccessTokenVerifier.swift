import JWTKit
import RTATokens

/// Verifies an RFC 9068 JWT access token from one issuer, in this order: header
/// (`alg` allowed and never `none`, `typ` an access-token type, no `crit`), key
/// (by `kid` from the JWKS, or the configured HMAC secret), signature (jwt-kit),
/// then claims (`iss`, `aud`, `exp`, `nbf`, `iat`, `sub`). No claim is read as fact
/// before the signature verified.
struct JWTAccessTokenVerifier: Sendable {
    /// RFC 9068 §2.1 `at+jwt` (and its media-type spelling); plain `JWT` because many
    /// IdPs still send it; absent because RFC 7519 makes `typ` optional. Anything else
    /// (`secevent+jwt`, `dpop+jwt`, …) is a different kind of token and is refused.
    static let acceptedTypes: Set<String> = ["at+jwt", "application/at+jwt", "jwt"]

    let config: IdentityProviderConfig
    let jwks: JWKSCache?
    private let hmacKeys: JWTKeyCollection?
    private let clock: TokenClock

    init(config: IdentityProviderConfig, jwks: JWKSCache?, clock: TokenClock) async {
        self.config = config
        self.jwks = jwks
        self.clock = clock
        let hmacAlgorithms = config.allowedAlgorithms.filter { IdentityProviderConfig.minHMACSecretBytes[$0] != nil }
        if let secret = config.hmacSecret, !hmacAlgorithms.isEmpty {
            // Only the allowed HS algorithms: `validated()` checked the secret is long
            // enough for each of them (jwt-kit asserts on a short key).
            let keys = JWTKeyCollection()
            for algorithm in hmacAlgorithms {
                let digest: DigestAlgorithm = algorithm == "HS512" ? .sha512 : algorithm == "HS384" ? .sha384 : .sha256
                await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: digest, kid: JWKIdentifier(string: algorithm))
            }
            hmacKeys = keys
        } else {
            hmacKeys = nil
        }
    }

    func verify(_ jwt: CompactJWT) async throws(OAuthError) -> VerifiedSubjectToken {
        guard let alg = jwt.algorithm else {
            throw OAuthError(.invalidGrant, .malformedJWT, "JWT header has no alg")
        }
        guard alg.lowercased() != "none", config.allowedAlgorithms.contains(alg) else {
            throw OAuthError(.invalidGrant, .disallowedAlgorithm,
                             "alg \(alg) is not allowed for \(config.issuer) (allowed: \(config.allowedAlgorithms.joined(separator: ", ")))")
        }
        if let type = jwt.type, !Self.acceptedTypes.contains(type.lowercased()) {
            throw OAuthError(.invalidGrant, .disallowedTokenType, "JWT typ \(type) is not an access token type")
        }
        guard jwt.header["crit"] == nil else {
            throw OAuthError(.invalidGrant, .malformedJWT, "JWT header lists crit extensions this gateway does not understand")
        }
        let algorithm = try await key(for: jwt, alg: alg)
        let valid: Bool
        do {
            valid = try algorithm.verify(jwt.signature, signs: jwt.signingInput)
        } catch {
            valid = false
        }
        guard valid else {
            throw OAuthError(.invalidGrant, .badSignature, "JWT signature does not verify under \(alg) key \(jwt.keyID ?? "(no kid)")")
        }
        try jwt.claims.checkIssuer(config.issuer, required: true)
        try jwt.claims.checkAudience(config.audiences, required: true)
        try jwt.claims.checkTimes(now: clock.now(), skew: config.clockSkew, requireExpiry: true)
        return try jwt.claims.verifiedToken(config: config)
    }

    private func key(for jwt: CompactJWT, alg: String) async throws(OAuthError) -> any JWTAlgorithm {
        if alg.hasPrefix("HS") {
            guard let hmacKeys, let algorithm = try? await hmacKeys.getKey(for: JWKIdentifier(string: alg)), algorithm.name == alg else {
                throw OAuthError(.invalidGrant, .disallowedAlgorithm, "\(alg) needs a configured hmac_secret")
            }
            return algorithm
        }
        guard let jwks, let algorithm = try await jwks.algorithm(kid: jwt.keyID, alg: alg) else {
            throw OAuthError(.invalidGrant, .unknownKeyID,
                             "\(config.issuer) publishes no \(alg) key with kid \(jwt.keyID ?? "(none)")")
        }
        return algorithm
    }
}
