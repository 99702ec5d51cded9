import AsyncHTTPClient
import RTATokens

/// Sends each IdP subject token to the issuer entry that must vouch for it.
///
/// A JWT is routed by its (not yet trusted) `iss`: an unknown issuer is refused
/// before any key is fetched, and the issuer's own config then decides between
/// local verification and introspection. An opaque token names no issuer, so it is
/// introspected only when exactly one configured IdP uses introspection — sending a
/// token to several IdPs to see who accepts it would leak it to all of them.
public struct SubjectTokenVerifier: Sendable {
    private enum Method: Sendable {
        case jwt(JWTAccessTokenVerifier)
        case introspection(IntrospectionClient)
    }

    private let byIssuer: [String: Method]
    private let providers: [String: IdentityProviderConfig]
    private let opaqueIntrospector: IntrospectionClient?

    /// Validates every config (the first bad one is thrown) and prepares one JWKS
    /// cache per JWKS issuer. `httpClient` is borrowed: the caller shuts it down.
    public init(providers: [IdentityProviderConfig], httpClient: HTTPClient = .shared, clock: TokenClock = .system)
        async throws(IdentityProviderConfigError)
    {
        var byIssuer: [String: Method] = [:]
        var introspectors: [IntrospectionClient] = []
        var configs: [String: IdentityProviderConfig] = [:]
        for provider in providers {
            let config = try provider.validated()
            guard byIssuer[config.issuer] == nil else {
                throw IdentityProviderConfigError(.duplicateIssuer, issuer: config.issuer, key: "issuer", "issuer is configured twice")
            }
            configs[config.issuer] = config
            switch config.validation {
            case .jwks(let url):
                let cache = JWKSCache(url: url, httpClient: httpClient, clock: clock, ttl: config.jwksCacheTTL,
                                      minRefetchInterval: config.jwksMinRefetchInterval)
                byIssuer[config.issuer] = .jwt(await JWTAccessTokenVerifier(config: config, jwks: cache, clock: clock))
            case .introspection(let url, let clientID, let clientSecret):
                let client = IntrospectionClient(config: config, url: url, clientID: clientID, clientSecret: clientSecret,
                                                 httpClient: httpClient, clock: clock)
                byIssuer[config.issuer] = .introspection(client)
                introspectors.append(client)
            }
        }
        self.byIssuer = byIssuer
        self.providers = configs
        self.opaqueIntrospector = introspectors.count == 1 ? introspectors[0] : nil
    }

    /// How `issuer`'s entry binds agent ids to a token of client `clientID`; an issuer
    /// no longer configured verifies nothing.
    public func agentBinding(issuer: String, clientID: String?) -> AgentBinding {
        providers[issuer]?.agentBinding(clientID: clientID) ?? AgentBinding(clientID: nil)
    }

    /// The verified token, or why it buys nothing (`invalid_grant`), or that the IdP
    /// could not be asked (`temporarily_unavailable`).
    public func verify(_ token: String, type: SubjectTokenType) async throws(OAuthError) -> VerifiedSubjectToken {
        guard let jwt = try CompactJWT.parseIfJWT(token) else {
            guard type == .accessToken else {
                throw OAuthError(.invalidGrant, .malformedJWT, "subject_token_type is jwt but the token is not a JWT")
            }
            guard let opaqueIntrospector else {
                throw OAuthError(.invalidGrant, .opaqueTokenWithoutIntrospection,
                                 "an opaque token needs exactly one identity provider configured for introspection")
            }
            return try await opaqueIntrospector.verify(token)
        }
        guard let issuer = jwt.claims.members["iss"]?.string else {
            throw OAuthError(.invalidGrant, .missingClaim, "JWT has no iss claim")
        }
        switch byIssuer[issuer] {
        case .jwt(let verifier)?:
            return try await verifier.verify(jwt)
        case .introspection(let client)?:
            return try await client.verify(token)
        case nil:
            throw OAuthError(.invalidGrant, .unknownIssuer, "issuer \(issuer) is not a configured identity provider")
        }
    }
}
