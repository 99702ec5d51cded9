import NIOCore
import NIOHTTP1
import NIOPosix

/// A DEVELOPMENT-ONLY OpenID provider on loopback HTTP/1.1, for the README demo and
/// the token-exchange tests: it issues RFC 9068 access tokens to anyone who asks,
/// including deliberately broken ones (`alg=none`, wrong `kid`, past `exp`). Never
/// point a production gateway at it.
///
/// Endpoints: `GET /.well-known/openid-configuration`, `GET /jwks.json`,
/// `POST /token`, `POST /introspect` (see `DevIssuer` for the form knobs).
public final class DevIdentityProvider: Sendable {
    public struct Configuration: Sendable {
        /// Loopback by default: the IdP mints tokens without authenticating anyone.
        public var host: String
        /// 0 picks a free port (read `port` after `start`).
        public var port: Int
        public var algorithm: DevSigningKey.Algorithm
        /// PEM private key: loaded if present, written after generation if not; nil keeps the key in memory.
        public var keyFile: String?
        public var keyID: String
        /// Default `http://<host>:<port>`.
        public var issuer: String?
        public var introspectionClientID: String
        public var introspectionClientSecret: String

        public init(
            host: String = "127.0.0.1", port: Int = 0, algorithm: DevSigningKey.Algorithm = .rs256, keyFile: String? = nil,
            keyID: String = "dev-key-1", issuer: String? = nil, introspectionClientID: String = "rta-gateway",
            introspectionClientSecret: String = "dev-introspection-secret"
        ) {
            self.host = host
            self.port = port
            self.algorithm = algorithm
            self.keyFile = keyFile
            self.keyID = keyID
            self.issuer = issuer
            self.introspectionClientID = introspectionClientID
            self.introspectionClientSecret = introspectionClientSecret
        }
    }

    public let port: Int
    /// `http://<host>:<port>`, where the endpoints are.
    public let baseURL: String
    public let issuer: String
    public let configuration: Configuration
    private let channel: any Channel
    private let logic: DevIssuer

    private init(port: Int, baseURL: String, issuer: String, configuration: Configuration, channel: any Channel, logic: DevIssuer) {
        self.port = port
        self.baseURL = baseURL
        self.issuer = issuer
        self.configuration = configuration
        self.channel = channel
        self.logic = logic
    }

    /// Loads or generates the key, binds, and starts serving.
    public static func start(
        _ configuration: Configuration = Configuration(), group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> DevIdentityProvider {
        let key: DevSigningKey
        if let keyFile = configuration.keyFile {
            key = try await DevSigningKey.loadOrGenerate(pemFile: keyFile, algorithm: configuration.algorithm, keyID: configuration.keyID)
        } else {
            key = try await DevSigningKey.generate(configuration.algorithm, keyID: configuration.keyID)
        }
        let logic = DevIssuer(key: key, introspectionClientID: configuration.introspectionClientID,
                              introspectionClientSecret: configuration.introspectionClientSecret)
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(DevHTTPHandler(issuer: logic))
                }
            }
            .bind(host: configuration.host, port: configuration.port)
            .get()
        guard let port = channel.localAddress?.port else {
            try? await channel.close()
            throw DevIdentityProviderError(message: "bound channel has no local port")
        }
        let host = configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host
        let baseURL = "http://\(host):\(port)"
        let issuer = configuration.issuer ?? baseURL
        logic.configure(issuer: issuer, baseURL: baseURL)
        return DevIdentityProvider(port: port, baseURL: baseURL, issuer: issuer, configuration: configuration, channel: channel,
                                   logic: logic)
    }

    /// Stops accepting and closes the listener.
    public func shutdown() async throws {
        try await channel.close()
    }

    public var jwksURL: String { baseURL + "/jwks.json" }
    public var tokenURL: String { baseURL + "/token" }
    public var introspectionURL: String { baseURL + "/introspect" }
    public var keyID: String { logic.key.keyID }
    public var algorithm: DevSigningKey.Algorithm { logic.key.algorithm }

    /// How many times `/jwks.json` was fetched: lets tests see the gateway's caching
    /// and its single refetch on an unknown `kid` from the outside.
    public var jwksRequestCount: Int { logic.jwksRequests }
    public var introspectionCount: Int { logic.introspections }
}
