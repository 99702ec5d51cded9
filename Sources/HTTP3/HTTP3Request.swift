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
    /// Exports TLS keying material of this connection (RFC 8446 §7.5, empty context):
    /// the channel binding that proves a token is used on the connection it was bound to.
    public var exporter: HTTP3KeyingMaterialExporter
    /// The connection's QUIC loop as a task executor, for the rare request a handler
    /// answers there (see `HTTP3RequestHandler.executor(for:)`); nil outside a server.
    public var loopExecutor: EventLoopTaskExecutor?

    public init(
        id: UInt64, remoteAddress: SocketAddress?, exporter: HTTP3KeyingMaterialExporter = .unavailable,
        loopExecutor: EventLoopTaskExecutor? = nil
    ) {
        self.id = id
        self.remoteAddress = remoteAddress
        self.exporter = exporter
        self.loopExecutor = loopExecutor
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.id == rhs.id && lhs.remoteAddress == rhs.remoteAddress }
    public func hash(into hasher: inout Hasher) { hasher.combine(id) }
}

/// Reads keying material from the connection's TLS session on its event loop.
public struct HTTP3KeyingMaterialExporter: Sendable {
    private let export: @Sendable (String, Int) async -> [UInt8]?

    public init(_ export: @escaping @Sendable (String, Int) async -> [UInt8]?) {
        self.export = export
    }

    /// `length` bytes for `label`, or nil when the connection is gone or TLS refuses.
    public func keyingMaterial(label: String, length: Int) async -> [UInt8]? {
        await export(label, length)
    }

    /// For requests not carried by a TLS connection (tests that build requests in memory).
    public static let unavailable = HTTP3KeyingMaterialExporter { _, _ in nil }
}
