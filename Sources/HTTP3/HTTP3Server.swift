import Logging
import NIOCore
import QUICTransport

/// An HTTP/3 server: a QUIC listener whose connections speak HTTP/3 and hand each
/// request to one `HTTP3RequestHandler`.
public final class HTTP3Server: Sendable {
    public let listener: QUICListener
    public var localAddress: SocketAddress { listener.localAddress }

    public static func start(
        host: String, port: Int, group: EventLoopGroup, tls: TLSServerContext,
        configuration: QUICServerConfiguration = QUICServerConfiguration(),
        handler: HTTP3RequestHandler, metrics: (any QUICMetricsSink & HTTP3MetricsSink)? = nil, logger: Logger
    ) async throws -> HTTP3Server {
        let listener = try await QUICListener.bind(
            host: host, port: port, group: group, tls: tls, configuration: configuration, metrics: metrics,
            logger: logger
        ) { quic in
            HTTP3Connection(quic: quic, handler: handler, metrics: metrics, logger: logger)
        }
        return HTTP3Server(listener: listener)
    }

    private init(listener: QUICListener) {
        self.listener = listener
    }

    /// Graceful shutdown: new connections are no longer accepted, every connection gets
    /// GOAWAY and closes with H3_NO_ERROR once its in-flight requests finish; after
    /// `gracePeriod` the rest are closed anyway.
    public func shutdown(gracePeriod: Duration) async {
        listener.stopAccepting { connections in
            for connection in connections {
                (connection.application as? HTTP3Connection)?.beginShutdown()
            }
        }
        let deadline = ContinuousClock.now + gracePeriod
        while ContinuousClock.now < deadline, await listener.connectionCount() > 0 {
            try? await Task.sleep(for: .milliseconds(20))
        }
        listener.withConnections { connections in
            for connection in connections { connection.close(applicationErrorCode: 0x100) }
        }
        try? await Task.sleep(for: .milliseconds(50))
        await listener.close()
    }
}
