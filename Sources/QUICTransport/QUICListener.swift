import Logging
import NIOCore
import NIOPosix

/// A bound QUIC server socket. Each accepted connection gets its own application
/// (HTTP/3) object from `makeApplication`; all connections of one listener share one
/// event loop, so ngtcp2 state needs no locks.
public final class QUICListener: Sendable {
    public let localAddress: SocketAddress
    public let eventLoop: EventLoop
    private let channel: Channel
    private let endpoint: QUICEndpoint

    public static func bind(
        host: String, port: Int, group: EventLoopGroup, tls: TLSServerContext,
        configuration: QUICServerConfiguration = QUICServerConfiguration(),
        metrics: QUICMetricsSink? = nil, logger: Logger,
        makeApplication: @escaping @Sendable (QUICConnection) -> QUICApplication
    ) async throws -> QUICListener {
        let eventLoop = group.next()
        let endpoint = QUICEndpoint(
            eventLoop: eventLoop, tls: tls, configuration: configuration, metrics: metrics, logger: logger,
            makeApplication: makeApplication)
        let channel = try await DatagramBootstrap(group: eventLoop)
            .channelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .channelOption(ChannelOptions.socketOption(.so_rcvbuf), value: 4 * 1024 * 1024)
            .channelOption(ChannelOptions.socketOption(.so_sndbuf), value: 4 * 1024 * 1024)
            .channelOption(ChannelOptions.maxMessagesPerRead, value: 32)
            .channelOption(ChannelOptions.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 65_536))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(QUICDatagramHandler(endpoint: endpoint))
                }
            }
            .bind(host: host, port: port)
            .get()
        guard let localAddress = channel.localAddress else {
            try await channel.close()
            throw QUICTransportError.tls("UDP socket has no local address")
        }
        try await eventLoop.submit {
            endpoint.channel = channel
            endpoint.localAddress = localAddress
        }.get()
        return QUICListener(localAddress: localAddress, eventLoop: eventLoop, channel: channel, endpoint: endpoint)
    }

    private init(localAddress: SocketAddress, eventLoop: EventLoop, channel: Channel, endpoint: QUICEndpoint) {
        self.localAddress = localAddress
        self.eventLoop = eventLoop
        self.channel = channel
        self.endpoint = endpoint
    }

    /// Stops accepting new connections (existing ones continue), then runs `body` on the
    /// loop with every live connection: the start of a drain.
    public func stopAccepting(then body: @escaping @Sendable ([QUICConnection]) -> Void) {
        eventLoop.execute {
            self.endpoint.acceptingConnections = false
            body(Array(self.endpoint.connections.values))
        }
    }

    /// Runs `body` on the listener's loop with every live connection.
    public func withConnections(_ body: @escaping @Sendable ([QUICConnection]) -> Void) {
        eventLoop.execute { body(Array(self.endpoint.connections.values)) }
    }

    /// Number of live connections (closing ones included), read on the loop.
    public func connectionCount() async -> Int {
        (try? await eventLoop.submit { self.endpoint.connections.count }.get()) ?? 0
    }

    /// Closes the UDP socket. Connections should have been closed gracefully first.
    public func close() async {
        try? await channel.close()
    }
}
