/// Where the gateway listens and how it treats idle and draining connections.
public struct ListenConfig: Sendable, Hashable {
    /// UDP address of the QUIC (HTTP/3) listener.
    public var quic: ConfigAddress
    /// PEM certificate chain; relative paths in the file resolve against the file's folder.
    public var certificatePath: String
    public var privateKeyPath: String
    /// TCP address of the control server (health, readiness, metrics, SSF push, admin).
    /// Loopback by default: health and metrics are unauthenticated.
    public var control: ConfigAddress
    /// Serve the control listener over TLS (HTTP/1.1) with `cert`/`key`, for SSF
    /// transmitters that push from another host.
    public var controlTLS: Bool
    /// A QUIC connection with no traffic for this long is closed.
    public var idleTimeout: Duration
    /// On shutdown, in-flight requests get this long to finish before streams are reset.
    public var gracePeriod: Duration
    /// Nice value of the QUIC event-loop thread (−20 … 19; 0 leaves it as started).
    /// Below the other threads' so that the loop, once woken with answers to send, runs
    /// at once instead of waiting out another thread's time slice (docs/configuration.md).
    public var quicThreadNice: Int
    /// Peers whose `Forwarded`/`X-Forwarded-*`/`X-Real-IP` fields are kept and extended;
    /// from any other peer those fields are replaced with the gateway's own view.
    public var trustedProxies: [IPAddressRange]
    /// A control connection with no bytes in either direction for this long is closed.
    public var controlIdleTimeout: Duration
    /// Control connections open at once; one more is closed as soon as it is accepted.
    public var controlMaxConnections: Int

    public static let defaultControl = ConfigAddress(host: "127.0.0.1", port: 9180)
    public static let defaultIdleTimeout = Duration.seconds(30)
    public static let defaultGracePeriod = Duration.seconds(10)
    public static let defaultQUICThreadNice = -10
    public static let niceRange = -20...19
    public static let defaultControlIdleTimeout = Duration.seconds(30)
    public static let defaultControlMaxConnections = 256

    public init(
        quic: ConfigAddress, certificatePath: String, privateKeyPath: String,
        control: ConfigAddress = defaultControl, controlTLS: Bool = false, idleTimeout: Duration = defaultIdleTimeout,
        gracePeriod: Duration = defaultGracePeriod, quicThreadNice: Int = defaultQUICThreadNice,
        trustedProxies: [IPAddressRange] = [], controlIdleTimeout: Duration = defaultControlIdleTimeout,
        controlMaxConnections: Int = defaultControlMaxConnections
    ) {
        self.quic = quic
        self.certificatePath = certificatePath
        self.privateKeyPath = privateKeyPath
        self.control = control
        self.controlTLS = controlTLS
        self.idleTimeout = idleTimeout
        self.gracePeriod = gracePeriod
        self.quicThreadNice = quicThreadNice
        self.trustedProxies = trustedProxies
        self.controlIdleTimeout = controlIdleTimeout
        self.controlMaxConnections = controlMaxConnections
    }
}
