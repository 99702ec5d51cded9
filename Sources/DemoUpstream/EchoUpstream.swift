import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A small HTTP/1.1 server that reports what it received (`EchoReport` JSON), used as
/// the upstream in proxy tests and local demos. Paths select behaviours:
/// `/bytes/N` streams N pattern bytes, `/slow/MS` answers after MS milliseconds,
/// `/status/CODE` answers with that status, `/response-headers?k=v` sets response fields.
/// Request bodies are hashed as they stream in, never buffered.
public final class EchoUpstream: Sendable {
    private let host: String
    private let requestedPort: Int
    private let eventLoopGroup: any EventLoopGroup
    private let channel = Mutex<(any Channel)?>(nil)
    /// Body bytes received and sent so far, for tests that bound a proxy's buffering.
    public let traffic = EchoTraffic()

    private let socketBufferSize: Int?

    /// `port` 0 asks the system for a free port; `start()` returns the one bound.
    /// `socketBufferSize` fixes SO_RCVBUF/SO_SNDBUF of accepted connections, turning off
    /// the kernel's buffer autotuning (up to 32 MiB on loopback) so tests that count bytes
    /// in flight measure the proxy, not the kernel.
    public init(host: String = "127.0.0.1", port: Int = 0, socketBufferSize: Int? = nil, eventLoopGroup: any EventLoopGroup) {
        self.host = host
        self.requestedPort = port
        self.socketBufferSize = socketBufferSize
        self.eventLoopGroup = eventLoopGroup
    }

    @discardableResult
    public func start() async throws -> Int {
        let traffic = self.traffic
        var bootstrap = ServerBootstrap(group: eventLoopGroup)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
        if let size = socketBufferSize.map({ SocketOptionValue(clamping: $0) }) {
            bootstrap = bootstrap.childChannelOption(.socketOption(.so_rcvbuf), value: size)
                .childChannelOption(.socketOption(.so_sndbuf), value: size)
        }
        let bound = try await bootstrap
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(EchoHandler(traffic: traffic))
                }
            }
            .bind(host: host, port: requestedPort)
            .get()
        channel.withLock { $0 = bound }
        return bound.localAddress?.port ?? requestedPort
    }

    /// The bound port, or nil before `start()` and after `shutdown()`.
    public var port: Int? {
        channel.withLock { $0?.localAddress?.port }
    }

    /// Stops accepting connections. Open connections finish their current response.
    public func shutdown() async throws {
        let bound = channel.withLock { current in
            defer { current = nil }
            return current
        }
        try await bound?.close()
    }
}
