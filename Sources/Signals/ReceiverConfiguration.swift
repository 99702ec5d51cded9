/// The `signals:` section of gateway.yaml: who we are to transmitters (`aud`), whom
/// we trust, and the timing rules of signal processing.
public struct ReceiverConfiguration: Sendable {
    /// Values of `aud` that name this receiver; a SET must name at least one.
    public let audiences: Set<String>
    public let transmitters: [String: TransmitterConfiguration]
    /// How long a `(iss, jti)` is remembered, in ms; SETs with an older `iat` are
    /// refused, so a SET can never be applied twice (default 24 h).
    public let replayWindow: UInt64
    /// Most `(iss, jti)` pairs remembered at once (memory bound).
    public let replayCapacity: Int
    /// Clock difference allowed between the transmitter and us, in ms: a session
    /// created up to this long after `event_timestamp` is still revoked, because the
    /// IdP's clock may lag ours (default 5 s, like `tokens.clock_skew`).
    public let clockSkew: UInt64
    /// JWKS cache lifetime in ms (default 10 min).
    public let jwksTTL: UInt64
    /// Minimum time between two JWKS refetches caused by unknown `kid`s, in ms (default 30 s):
    /// bounds the fetches an attacker can trigger with made-up `kid`s.
    public let jwksMinRefetchInterval: UInt64

    public init(
        audiences: Set<String>, transmitters: [TransmitterConfiguration], replayWindow: UInt64 = 86_400_000,
        replayCapacity: Int = 100_000, clockSkew: UInt64 = 5_000, jwksTTL: UInt64 = 600_000,
        jwksMinRefetchInterval: UInt64 = 30_000
    ) throws(SignalsConfigurationError) {
        guard !audiences.isEmpty, !audiences.contains("") else {
            throw SignalsConfigurationError(key: "receiver_audience", "the receiver needs a non-empty audience")
        }
        var byIssuer: [String: TransmitterConfiguration] = [:]
        for transmitter in transmitters {
            guard byIssuer.updateValue(transmitter, forKey: transmitter.issuer) == nil else {
                throw SignalsConfigurationError(key: "transmitters", "issuer \(transmitter.issuer) is configured twice")
            }
        }
        guard replayCapacity > 0 else {
            throw SignalsConfigurationError(key: "replay_capacity", "must be positive")
        }
        self.audiences = audiences
        self.transmitters = byIssuer
        self.replayWindow = replayWindow
        self.replayCapacity = replayCapacity
        self.clockSkew = clockSkew
        self.jwksTTL = jwksTTL
        self.jwksMinRefetchInterval = jwksMinRefetchInterval
    }
}
