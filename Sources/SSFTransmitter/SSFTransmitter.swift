import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// A DEVELOPMENT/TEST-ONLY SSF transmitter (SSF 1.0) on loopback HTTP/1.1: it signs
/// SETs for any event and subject (including deliberately broken ones, see
/// `SETRecipe`), pushes them to a receiver (RFC 8935), and queues them for polling
/// (RFC 8936). No SSF/CAEP peer can be installed on this machine (SIGNALS.md §9), so
/// the gateway's receiver is tested against this real one over sockets.
///
/// Endpoints: `GET /.well-known/ssf-configuration`, `GET /jwks.json`, `POST /poll`.
public actor SSFTransmitter {
    public struct Configuration: Sendable {
        public var host: String
        /// 0 picks a free port.
        public var port: Int
        /// Default `http://<host>:<port>`.
        public var issuer: String?
        public var keyID: String
        /// PEM of an RSA private key to use instead of generating one.
        public var privateKeyPEM: String?
        /// `Authorization` value the poll endpoint requires; nil requires none.
        public var pollAuthorization: String?
        /// How long a long-poll request is held when nothing is queued.
        public var longPollTimeout: Duration

        public init(host: String = "127.0.0.1", port: Int = 0, issuer: String? = nil, keyID: String = "tx-key-1",
                    privateKeyPEM: String? = nil, pollAuthorization: String? = nil, longPollTimeout: Duration = .seconds(5)) {
            self.host = host
            self.port = port
            self.issuer = issuer
            self.keyID = keyID
            self.privateKeyPEM = privateKeyPEM
            self.pollAuthorization = pollAuthorization
            self.longPollTimeout = longPollTimeout
        }
    }

    public nonisolated let port: Int
    public nonisolated let baseURL: String
    public nonisolated let issuer: String
    public nonisolated let configuration: Configuration
    public private(set) var key: TransmitterSigningKey
    /// Keys still published after a rotation, so SETs signed before it still verify.
    private var previousKeys: [TransmitterSigningKey] = []
    /// How often `/jwks.json` was fetched: shows the receiver's caching from outside.
    public private(set) var jwksRequests = 0
    private let queue = PollQueue()
    private var serverTask: Task<Void, Never>?
    private var serverChannel: (any Channel)?

    private init(port: Int, baseURL: String, issuer: String, configuration: Configuration, key: TransmitterSigningKey) {
        self.port = port
        self.baseURL = baseURL
        self.issuer = issuer
        self.configuration = configuration
        self.key = key
    }

    /// Loads or generates the key, binds, and starts serving.
    public static func start(_ configuration: Configuration = Configuration(),
                             group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async throws -> SSFTransmitter {
        let key: TransmitterSigningKey
        if let pem = configuration.privateKeyPEM {
            key = try await TransmitterSigningKey.load(pem: pem, keyID: configuration.keyID)
        } else {
            key = try await TransmitterSigningKey.generate(keyID: configuration.keyID)
        }
        let server = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: configuration.host, port: configuration.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    return try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(wrappingChannelSynchronously: channel)
                }
            }
        guard let port = server.channel.localAddress?.port else {
            try? await server.channel.close()
            throw TransmitterError("bound channel has no local port")
        }
        let host = configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host
        let baseURL = "http://\(host):\(port)"
        let transmitter = SSFTransmitter(port: port, baseURL: baseURL, issuer: configuration.issuer ?? baseURL,
                                         configuration: configuration, key: key)
        await transmitter.serve(server)
        return transmitter
    }

    private func serve(_ server: NIOAsyncChannel<NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>, Never>) {
        serverChannel = server.channel
        serverTask = Task { [self] in
            try? await server.executeThenClose { connections in
                try await withThrowingDiscardingTaskGroup { group in
                    for try await connection in connections {
                        group.addTask { try? await self.handle(connection) }
                    }
                }
            }
        }
    }

    /// Stops accepting and closes the listener and open connections.
    public func shutdown() async {
        try? await serverChannel?.close()
        serverTask?.cancel()
        await serverTask?.value
    }

    public nonisolated var jwksURL: String { baseURL + "/jwks.json" }
    public nonisolated var pollURL: String { baseURL + "/poll" }
    public nonisolated var configurationURL: String { baseURL + "/.well-known/ssf-configuration" }

    // MARK: Signing and delivery

    /// Signs a SET from `recipe` with the current key.
    public func sign(_ recipe: SETRecipe) throws -> String {
        try recipe.sign(defaultIssuer: issuer, key: key, now: Int64(Date().timeIntervalSince1970))
    }

    /// Replaces the signing key with a fresh one under `keyID`; the old key stays in the JWKS.
    public func rotateKey(to keyID: String) async throws {
        let fresh = try await TransmitterSigningKey.generate(keyID: keyID)
        previousKeys.append(key)
        key = fresh
    }

    /// RFC 8935 push: POSTs `set` to `url` and returns the receiver's status and body.
    public nonisolated func push(_ set: String, to url: String, authorization: String? = nil,
                                 contentType: String = "application/secevent+jwt") async throws -> (status: Int, body: String) {
        try await SETPush.push(set, to: url, authorization: authorization, contentType: contentType)
    }

    /// RFC 8936: queues `set` for the poll endpoint under `jti`.
    public func enqueueForPoll(_ set: String, jti: String) async {
        await queue.enqueue(jti: jti, set: set)
    }

    /// `jti`s the receiver acknowledged through polling, in order.
    public var acknowledged: [String] { get async { await queue.acknowledged } }
    /// `setErrs` the receiver sent, by `jti`: the RFC 8935 `err` code.
    public var pollErrors: [String: String] { get async { await queue.errors.mapValues(\.err) } }
    /// How many poll requests arrived.
    public private(set) var pollRequests = 0
    public var queuedForPoll: Int { get async { await queue.count } }

    // MARK: HTTP

    private nonisolated func handle(_ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>) async throws {
        try await connection.executeThenClose { inbound, outbound in
            var head: HTTPRequestHead?
            var body: [UInt8] = []
            for try await part in inbound {
                switch part {
                case .head(let requestHead):
                    head = requestHead
                    body = []
                case .body(let buffer):
                    if body.count + buffer.readableBytes <= 1 << 20 { body += buffer.readableBytesView }
                case .end:
                    guard let requestHead = head else { continue }
                    head = nil
                    let path = String(requestHead.uri.split(separator: "?", maxSplits: 1).first ?? "")
                    let response = await respond(TransmitterRequest(method: requestHead.method, path: path,
                                                                    headers: requestHead.headers, body: body))
                    var headers = HTTPHeaders()
                    headers.add(name: "Content-Type", value: response.contentType)
                    headers.add(name: "Content-Length", value: String(response.body.count))
                    headers.add(name: "Cache-Control", value: "no-store")
                    if !requestHead.isKeepAlive { headers.add(name: "Connection", value: "close") }
                    try await outbound.write(.head(HTTPResponseHead(version: requestHead.version, status: response.status, headers: headers)))
                    try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: response.body))))
                    try await outbound.write(.end(nil))
                    if !requestHead.isKeepAlive { return }
                }
            }
        }
    }

    private func respond(_ request: TransmitterRequest) async -> TransmitterResponse {
        switch (request.method, request.path) {
        case (.GET, "/.well-known/ssf-configuration"):
            return .json(metadata)
        case (.GET, "/jwks.json"):
            jwksRequests += 1
            return .json(["keys": .array(([key] + previousKeys).map(\.publicJWK))])
        case (.POST, "/poll"):
            return await poll(request)
        default:
            return .text("no such endpoint: \(request.method) \(request.path)", status: .notFound)
        }
    }

    /// SSF §7.1 Transmitter Configuration Metadata.
    private var metadata: TransmitterJSON {
        [
            "spec_version": "1_0", "issuer": .string(issuer), "jwks_uri": .string(jwksURL),
            "delivery_methods_supported": ["urn:ietf:rfc:8935", "urn:ietf:rfc:8936"],
            "authorization_schemes": [["spec_urn": "urn:ietf:rfc:6749"]],
            "default_subjects": "ALL",
        ]
    }

    /// RFC 8936 §2: apply `ack`/`setErrs`, then answer with queued SETs, holding a
    /// long poll until one arrives or `longPollTimeout` passes.
    private func poll(_ request: TransmitterRequest) async -> TransmitterResponse {
        pollRequests += 1
        if let required = configuration.pollAuthorization, request.headers.first(name: "Authorization") != required {
            return .text("poll requires the configured Authorization", status: .unauthorized)
        }
        guard let object = (try? JSONSerialization.jsonObject(with: Data(request.body))) as? [String: Any] else {
            return .text("poll body must be a JSON object", status: .badRequest)
        }
        let ack = object["ack"] as? [String] ?? []
        var setErrs: [String: (err: String, description: String)] = [:]
        for (jti, value) in object["setErrs"] as? [String: Any] ?? [:] {
            let fields = value as? [String: Any]
            setErrs[jti] = (fields?["err"] as? String ?? "", fields?["description"] as? String ?? "")
        }
        let maxEvents = object["maxEvents"] as? Int
        let returnImmediately = object["returnImmediately"] as? Bool ?? false
        var result = await queue.poll(ack: ack, setErrs: setErrs, maxEvents: maxEvents)
        if result.sets.isEmpty && !returnImmediately && maxEvents != 0 {
            let deadline = ContinuousClock.now + configuration.longPollTimeout
            while await queue.isEmpty, ContinuousClock.now < deadline, !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(20))
            }
            result = await queue.poll(ack: [], setErrs: [:], maxEvents: maxEvents)
        }
        var sets: [String: TransmitterJSON] = [:]
        for entry in result.sets { sets[entry.jti] = .string(entry.set) }
        return .json(["sets": .object(sets), "moreAvailable": .bool(result.moreAvailable)])
    }
}

/// The test transmitter could not start or act.
public struct TransmitterError: Error, Sendable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
