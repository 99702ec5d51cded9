import AsyncHTTPClient
import GatewayConfig
import NIOCore
import Synchronization

/// The connection pool for one upstream and its round-robin position.
///
/// AsyncHTTPClient applies its connect timeout, read timeout and per-host connection
/// limit to a whole `HTTPClient`, so each upstream gets its own client (all sharing the
/// gateway's event loops) to honour that upstream's settings exactly.
final class UpstreamClient: Sendable {
    let config: UpstreamConfig
    let client: HTTPClient
    private let baseURLs: [String]
    private let position = Atomic<Int>(0)

    init(config: UpstreamConfig, eventLoopGroup: any EventLoopGroup) {
        self.config = config
        self.baseURLs = config.urls.map(\.description)
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: TimeAmount(config.connectTimeout), read: TimeAmount(config.responseTimeout)),
            connectionPool: .init(
                idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: config.maxConnections),
            decompression: .disabled)
        configuration.httpVersion = .http1Only
        // A refused connection should answer 502 at once, not be retried until the connect timeout.
        configuration.connectionPool.retryConnectionEstablishment = false
        self.client = HTTPClient(eventLoopGroup: eventLoopGroup, configuration: configuration)
    }

    /// The next URL in round-robin order.
    /// The next base URL, round-robin, as the text requests are built from (rendered
    /// once at start-up rather than per request).
    func nextURL() -> String {
        let index = position.wrappingAdd(1, ordering: .relaxed).oldValue
        return baseURLs[Int(UInt(bitPattern: index) % UInt(baseURLs.count))]
    }

    func shutdown() async throws {
        try await client.shutdown()
    }
}
