import RTATokens

/// The exchange's own settings (`gateway.yaml` `tokens:` and `token_exchange:`).
public struct TokenExchangeConfiguration: Sendable, Equatable {
    /// `tokens.max_age` / `tokens.clock_skew`: token lifetime (`expires_in`), the
    /// nonce replay window, and sub-delegation token validation.
    public var limits: TokenLimits
    /// The `events` member of the response (PROTOCOL.md §6).
    public var eventsPath: String
    /// Most agents a chain may hold (user excluded); bounds delegation fan-out depth.
    public var maxDelegationDepth: Int
    /// Most live nonces remembered at once.
    public var nonceCapacity: Int
    /// Most active sessions one subject (IdP issuer + `sub`) may hold, delegated ones included.
    public var maxSessionsPerSubject: Int
    /// Most exchanges one subject may make within `limits.maxAge` (the nonce window),
    /// so no subject can take more than its share of `nonceCapacity`.
    public var maxExchangesPerSubject: Int

    public static let defaultMaxSessionsPerSubject = 100
    public static let defaultMaxExchangesPerSubject = 300

    public init(
        limits: TokenLimits = TokenLimits(), eventsPath: String = "/.well-known/rta/events", maxDelegationDepth: Int = 8,
        nonceCapacity: Int = 100_000, maxSessionsPerSubject: Int = defaultMaxSessionsPerSubject,
        maxExchangesPerSubject: Int = defaultMaxExchangesPerSubject
    ) {
        self.limits = limits
        self.eventsPath = eventsPath
        self.maxDelegationDepth = maxDelegationDepth
        self.nonceCapacity = nonceCapacity
        self.maxSessionsPerSubject = maxSessionsPerSubject
        self.maxExchangesPerSubject = maxExchangesPerSubject
    }
}
