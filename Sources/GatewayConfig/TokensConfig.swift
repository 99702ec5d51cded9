/// The top-level `tokens` section: the gateway's signing keys and token lifetimes
/// (PROTOCOL.md §1). Its absence turns token enforcement off, which start-up logs loudly.
public struct TokensConfig: Sendable, Hashable {
    /// Key files (`fixtures/dev-signing-key-*.json` shape), resolved against the file's folder.
    public var keyPaths: [String]
    /// When set, start-up refuses a key ring whose current (unretired) key is another one,
    /// so a key file swapped by mistake cannot silently start signing.
    public var currentKeyID: UInt32?
    public var maxAge: Duration
    public var clockSkew: Duration
    /// A session with no accepted request for this long ends (`idle_timeout`).
    public var sessionIdleTimeout: Duration
    /// A session ends this long after its exchange, whatever its activity (`absolute_timeout`).
    public var sessionLifetime: Duration
    /// Exchange nonces remembered within `maxAge` (replay refusal). A full store answers
    /// 503, so this caps sustained session creation at capacity / `maxAge` per second.
    public var exchangeNonceCapacity: Int
    /// Most active sessions one subject (IdP issuer + `sub`) may hold; delegated ones count.
    public var maxSessionsPerSubject: Int
    /// Most exchanges one subject may make within `maxAge`: its share of the nonce store.
    public var maxExchangesPerSubject: Int

    public static let defaultMaxAge = Duration.seconds(300)
    public static let defaultClockSkew = Duration.seconds(5)
    public static let defaultSessionIdleTimeout = Duration.seconds(30 * 60)
    public static let defaultSessionLifetime = Duration.seconds(24 * 3_600)
    public static let defaultExchangeNonceCapacity = 100_000
    public static let defaultMaxSessionsPerSubject = 100
    public static let defaultMaxExchangesPerSubject = 300

    public init(keyPaths: [String], currentKeyID: UInt32? = nil, maxAge: Duration = defaultMaxAge,
                clockSkew: Duration = defaultClockSkew, sessionIdleTimeout: Duration = defaultSessionIdleTimeout,
                sessionLifetime: Duration = defaultSessionLifetime,
                exchangeNonceCapacity: Int = defaultExchangeNonceCapacity,
                maxSessionsPerSubject: Int = defaultMaxSessionsPerSubject,
                maxExchangesPerSubject: Int = defaultMaxExchangesPerSubject) {
        self.keyPaths = keyPaths
        self.currentKeyID = currentKeyID
        self.maxAge = maxAge
        self.clockSkew = clockSkew
        self.sessionIdleTimeout = sessionIdleTimeout
        self.sessionLifetime = sessionLifetime
        self.exchangeNonceCapacity = exchangeNonceCapacity
        self.maxSessionsPerSubject = maxSessionsPerSubject
        self.maxExchangesPerSubject = maxExchangesPerSubject
    }
}
