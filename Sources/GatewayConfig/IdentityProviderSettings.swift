/// One `identity_providers` entry as written in the file (docs/token-exchange.md). Plain
/// values only: the gateway turns it into the token exchange's own config, whose
/// `validated()` applies the security rules (no `none`, loopback-only plain HTTP).
public struct IdentityProviderSettings: Sendable, Hashable {
    /// How the IdP's tokens are checked: exactly one of the two is configured.
    public enum Validation: Sendable, Hashable {
        case jwks(url: String)
        case introspection(url: String, clientID: String, clientSecret: String)
    }

    public var issuer: String
    public var audiences: [String]
    public var validation: Validation
    /// nil keeps the exchange's default (`RS256`, `ES256`).
    public var algorithms: [String]?
    public var hmacSecret: String?
    public var clockSkew: Duration?
    public var policyClaims: [String]?
    public var jwksCacheTTL: Duration?
    public var jwksMinRefetchInterval: Duration?
    /// `email_authoritative`: every `email` this IdP puts in a token is its user's, verified or not.
    public var emailAuthoritative: Bool
    /// `agents`: client id → the other agent ids that client's tokens may present.
    public var agents: [String: [String]]
    /// `require_verified_agent`: refuse an exchange whose agent id the token does not prove.
    public var requireVerifiedAgent: Bool

    public init(
        issuer: String, audiences: [String], validation: Validation, algorithms: [String]? = nil,
        hmacSecret: String? = nil, clockSkew: Duration? = nil, policyClaims: [String]? = nil,
        jwksCacheTTL: Duration? = nil, jwksMinRefetchInterval: Duration? = nil, emailAuthoritative: Bool = false,
        agents: [String: [String]] = [:], requireVerifiedAgent: Bool = false
    ) {
        self.issuer = issuer
        self.audiences = audiences
        self.validation = validation
        self.algorithms = algorithms
        self.hmacSecret = hmacSecret
        self.clockSkew = clockSkew
        self.policyClaims = policyClaims
        self.jwksCacheTTL = jwksCacheTTL
        self.jwksMinRefetchInterval = jwksMinRefetchInterval
        self.emailAuthoritative = emailAuthoritative
        self.agents = agents
        self.requireVerifiedAgent = requireVerifiedAgent
    }
}
