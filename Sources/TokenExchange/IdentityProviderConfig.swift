/// One trusted identity provider (a `gateway.yaml` `identity_providers:` entry):
/// which issuer, which audience the gateway is, and how its access tokens are checked.
///
/// Times are milliseconds like every RTA time. `validated()` is the only way the
/// service accepts a config, so a dangerous setting (alg `none`, HMAC without a
/// secret, plain-HTTP key URLs off loopback) is refused at start-up, not discovered
/// under attack.
public struct IdentityProviderConfig: Sendable, Equatable {
    /// How the gateway checks this IdP's tokens.
    public enum Validation: Sendable, Equatable {
        /// RFC 9068 JWT access tokens verified locally against the issuer's JWKS.
        case jwks(url: String)
        /// RFC 7662 introspection, authenticating with HTTP Basic client credentials.
        case introspection(url: String, clientID: String, clientSecret: String)
    }

    /// The algorithms a config may allow. `none` is never among them.
    public static let supportedAlgorithms: Set<String> = [
        "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA", "HS256", "HS384", "HS512",
    ]
    public static let defaultAlgorithms = ["RS256", "ES256"]
    /// The claims copied into the session for policy when a config names none.
    public static let defaultPolicyClaims = ["acr", "amr", "groups", "roles", "email_verified"]
    /// RFC 7518 §3.2: an HMAC key at least as long as the hash output.
    public static let minHMACSecretBytes = ["HS256": 32, "HS384": 48, "HS512": 64]

    /// Exact `iss` value (no normalisation: RFC 9068 §4 compares strings).
    public var issuer: String
    /// The gateway's identifiers: a token's `aud` must contain at least one.
    public var audiences: [String]
    public var validation: Validation
    public var allowedAlgorithms: [String]
    /// Shared secret for HS256/384/512; HS algorithms are refused without it.
    public var hmacSecret: String?
    /// Tolerance for `exp`/`nbf`/`iat` against the IdP's clock.
    public var clockSkew: UInt64
    /// Token claims copied into the session (and the context hash) for policy.
    public var policyClaims: [String]
    /// How long a fetched JWKS is used before it is fetched again.
    public var jwksCacheTTL: UInt64
    /// Minimum spacing of JWKS fetches triggered by an unknown `kid`, so a flood of
    /// tokens with random `kid`s cannot make the gateway hammer the IdP.
    public var jwksMinRefetchInterval: UInt64
    /// The IdP vouches for every `email` it puts in a token, with or without
    /// `email_verified` (e.g. a workforce IdP that assigns addresses): email-keyed
    /// revocations then apply to its tokens' `email` claim.
    public var emailAuthoritative: Bool
    /// Agent registry: for each OAuth client (`client_id`/`azp`), the other `agent_id`s
    /// it may run. An `agent_id` equal to the client id is verified without an entry.
    public var agents: [String: Set<String>]
    /// Refuse an exchange whose `agent_id` the token does not prove (`AgentBinding`).
    public var requireVerifiedAgent: Bool

    public init(
        issuer: String, audiences: [String], validation: Validation, allowedAlgorithms: [String] = defaultAlgorithms,
        hmacSecret: String? = nil, clockSkew: UInt64 = 60_000, policyClaims: [String] = defaultPolicyClaims,
        jwksCacheTTL: UInt64 = 600_000, jwksMinRefetchInterval: UInt64 = 30_000, emailAuthoritative: Bool = false,
        agents: [String: Set<String>] = [:], requireVerifiedAgent: Bool = false
    ) {
        self.issuer = issuer
        self.audiences = audiences
        self.validation = validation
        self.allowedAlgorithms = allowedAlgorithms
        self.hmacSecret = hmacSecret
        self.clockSkew = clockSkew
        self.policyClaims = policyClaims
        self.jwksCacheTTL = jwksCacheTTL
        self.jwksMinRefetchInterval = jwksMinRefetchInterval
        self.emailAuthoritative = emailAuthoritative
        self.agents = agents
        self.requireVerifiedAgent = requireVerifiedAgent
    }

    /// How this IdP's token with client `clientID` binds an `agent_id`.
    public func agentBinding(clientID: String?) -> AgentBinding {
        AgentBinding(clientID: clientID, registered: clientID.flatMap { agents[$0] } ?? [], required: requireVerifiedAgent)
    }

    /// The config, if it is safe to use; otherwise the first problem, naming the key.
    public func validated() throws(IdentityProviderConfigError) -> IdentityProviderConfig {
        guard !issuer.isEmpty else {
            throw IdentityProviderConfigError(.missingValue, issuer: issuer, key: "issuer", "issuer must not be empty")
        }
        guard !audiences.isEmpty, audiences.allSatisfy({ !$0.isEmpty }) else {
            throw IdentityProviderConfigError(.missingValue, issuer: issuer, key: "audience", "at least one non-empty audience is required")
        }
        guard !allowedAlgorithms.isEmpty else {
            throw IdentityProviderConfigError(.badAlgorithm, issuer: issuer, key: "algorithms", "at least one algorithm must be allowed")
        }
        for algorithm in allowedAlgorithms {
            guard algorithm.lowercased() != "none" else {
                throw IdentityProviderConfigError(.badAlgorithm, issuer: issuer, key: "algorithms", "alg none is never allowed: unsigned tokens prove nothing")
            }
            guard Self.supportedAlgorithms.contains(algorithm) else {
                throw IdentityProviderConfigError(.badAlgorithm, issuer: issuer, key: "algorithms",
                                                  "\(algorithm) is not one of \(Self.supportedAlgorithms.sorted().joined(separator: ", "))")
            }
            if let minimum = Self.minHMACSecretBytes[algorithm] {
                guard let hmacSecret, hmacSecret.utf8.count >= minimum else {
                    throw IdentityProviderConfigError(.badAlgorithm, issuer: issuer, key: "hmac_secret",
                                                      "\(algorithm) needs hmac_secret of at least \(minimum) bytes")
                }
            }
        }
        switch validation {
        case .jwks(let url):
            try Self.checkURL(url, issuer: issuer, key: "jwks_url")
        case .introspection(let url, let clientID, let clientSecret):
            try Self.checkURL(url, issuer: issuer, key: "introspection_url")
            guard !clientID.isEmpty, !clientSecret.isEmpty else {
                throw IdentityProviderConfigError(.missingValue, issuer: issuer, key: "client_id",
                                                  "introspection needs client_id and client_secret")
            }
        }
        return self
    }

    /// HTTPS, or plain HTTP to a loopback address (the dev IdP): keys fetched over
    /// plain HTTP from elsewhere could be swapped by anyone on the path.
    private static func checkURL(_ url: String, issuer: String, key: String) throws(IdentityProviderConfigError) {
        if url.hasPrefix("https://") { return }
        let loopback = ["http://127.0.0.1:", "http://127.0.0.1/", "http://localhost:", "http://localhost/", "http://[::1]:", "http://[::1]/"]
        guard loopback.contains(where: url.hasPrefix) else {
            throw IdentityProviderConfigError(.insecureURL, issuer: issuer, key: key, "\(url) must be https:// (plain http only to loopback)")
        }
    }
}
