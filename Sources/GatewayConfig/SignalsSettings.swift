/// The `signals` section: the SSF receiver (PROTOCOL.md §5, docs/signals.md). Its
/// absence turns the receiver off: `/ssf/events` answers 404 and no transmitter is polled.
///
/// Durations and secrets stay in configuration terms here; the gateway turns them into
/// the `Signals` module's `ReceiverConfiguration`, which re-checks cross-field rules.
public struct SignalsSettings: Sendable, Hashable {
    /// Values of a SET's `aud` that name this receiver (`receiver_audience`, string or list).
    public var audiences: [String]
    public var replayWindow: Duration
    public var replayCapacity: Int
    public var clockSkew: Duration
    public var jwksTTL: Duration
    public var jwksMinRefetchInterval: Duration
    public var transmitters: [TransmitterSettings]

    public static let defaultReplayWindow = Duration.seconds(86_400)
    public static let defaultReplayCapacity = 100_000
    public static let defaultClockSkew = Duration.seconds(5)
    public static let defaultJWKSTTL = Duration.seconds(600)
    public static let defaultJWKSMinRefetchInterval = Duration.seconds(30)

    public init(
        audiences: [String], transmitters: [TransmitterSettings], replayWindow: Duration = defaultReplayWindow,
        replayCapacity: Int = defaultReplayCapacity, clockSkew: Duration = defaultClockSkew,
        jwksTTL: Duration = defaultJWKSTTL, jwksMinRefetchInterval: Duration = defaultJWKSMinRefetchInterval
    ) {
        self.audiences = audiences
        self.transmitters = transmitters
        self.replayWindow = replayWindow
        self.replayCapacity = replayCapacity
        self.clockSkew = clockSkew
        self.jwksTTL = jwksTTL
        self.jwksMinRefetchInterval = jwksMinRefetchInterval
    }
}

/// One `signals.transmitters[]` entry: a trusted SSF transmitter.
public struct TransmitterSettings: Sendable, Hashable {
    public var issuer: String
    public var jwksURL: String?
    /// `RS256`, `PS256`, `ES256`, `HS256`; nil means the receiver's default (RS256).
    public var algorithms: [String]?
    /// Bytes of `hmac_secret_file` (read at parse time, so a missing file is a config error).
    public var hmacSecret: [UInt8]?
    /// Push must carry `Authorization: Bearer <this>`.
    public var bearerToken: String?
    /// Poll this transmitter (RFC 8936) at this endpoint.
    public var pollURL: String?
    /// `Authorization` value sent with each poll request.
    public var pollAuthorization: String?
    /// Poll: hold requests open at the transmitter (`true`, default) or poll every `pollInterval`.
    public var longPoll: Bool
    public var pollInterval: Duration
    /// `subject_issuers`: the identity provider issuers whose subjects this transmitter's
    /// SETs may affect; nil means its own issuer, which must then be a configured IdP.
    public var subjectIssuers: [String]?

    public static let defaultPollInterval = Duration.seconds(5)

    public init(
        issuer: String, jwksURL: String? = nil, algorithms: [String]? = nil, hmacSecret: [UInt8]? = nil,
        bearerToken: String? = nil, pollURL: String? = nil, pollAuthorization: String? = nil, longPoll: Bool = true,
        pollInterval: Duration = defaultPollInterval, subjectIssuers: [String]? = nil
    ) {
        self.issuer = issuer
        self.jwksURL = jwksURL
        self.algorithms = algorithms
        self.hmacSecret = hmacSecret
        self.bearerToken = bearerToken
        self.pollURL = pollURL
        self.pollAuthorization = pollAuthorization
        self.longPoll = longPoll
        self.pollInterval = pollInterval
        self.subjectIssuers = subjectIssuers
    }
}
