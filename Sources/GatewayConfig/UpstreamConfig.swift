/// A named HTTP/1.1 backend. Requests are spread round-robin over `urls`.
public struct UpstreamConfig: Sendable, Hashable {
    public var name: String
    public var urls: [UpstreamURL]
    /// Time allowed to open a TCP (and TLS) connection to one URL.
    public var connectTimeout: Duration
    /// Time allowed from sending the request until the response head arrives, and
    /// between two reads of the response body.
    public var responseTimeout: Duration
    /// Connection pool limit, per URL of this upstream.
    public var maxConnections: Int

    public static let defaultConnectTimeout = Duration.seconds(2)
    public static let defaultResponseTimeout = Duration.seconds(30)
    public static let defaultMaxConnections = 64

    public init(
        name: String, urls: [UpstreamURL], connectTimeout: Duration = defaultConnectTimeout,
        responseTimeout: Duration = defaultResponseTimeout, maxConnections: Int = defaultMaxConnections
    ) {
        self.name = name
        self.urls = urls
        self.connectTimeout = connectTimeout
        self.responseTimeout = responseTimeout
        self.maxConnections = maxConnections
    }
}
