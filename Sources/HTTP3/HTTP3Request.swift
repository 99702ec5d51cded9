import NIOCore

/// A validated HTTP/3 request, handed to an `HTTP3RequestHandler` once its HEADERS
/// frame is complete. The body keeps arriving afterwards through `body`; QUIC flow
/// control credit is returned only as the handler consumes it, so a slow consumer
/// slows the client instead of growing the gateway's memory.
public struct HTTP3Request: Sendable {
    public var method: String
    public var scheme: String
    public var authority: String
    /// Path and query, exactly as sent in `:path`.
    public var path: String
    public var headers: [HTTP3Header]
    public var body: HTTP3RequestBody
    public var connection: HTTP3ConnectionInfo
    public var streamID: Int64

    public init(
        method: String, scheme: String, authority: String, path: String,
        headers: [HTTP3Header], body: HTTP3RequestBody,
        connection: HTTP3ConnectionInfo, streamID: Int64
    ) {
        self.method = method
        self.scheme = scheme
        self.authority = authority
        self.path = path
        self.headers = headers
        self.body = body
        self.connection = connection
        self.streamID = streamID
    }
}

/// What a handler may know about the QUIC connection a request arrived on.
public struct HTTP3ConnectionInfo: Sendable, Hashable {
    /// Gateway-local id, stable for the connection's life (survives path migration).
    public var id: UInt64
    public var remoteAddress: SocketAddress?

    public init(id: UInt64, remoteAddress: SocketAddress?) {
        self.id = id
        self.remoteAddress = remoteAddress
    }
}
