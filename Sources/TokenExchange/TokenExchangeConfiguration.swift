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

    public init(
        limits: TokenLimits = TokenLimits(), eventsPath: String = "/.well-known/rta/events", maxDelegationDepth: Int = 8,
        nonceCapacity: Int = 100_000
    ) {
        self.limits = limits
        self.eventsPath = eventsPath
        self.maxDelegationDepth = maxDelegationDepth
        self.nonceCapacity = nonceCapacity
    }
}
