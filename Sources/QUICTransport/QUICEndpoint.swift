import CNgtcp2
import Logging
import NIOCore

/// The listener's state on its event loop: the connection-ID routing table, the UDP
/// channel packets go out on, and the queue of connections with data to write.
///
/// Confined to `eventLoop`.
final class QUICEndpoint: @unchecked Sendable {
    /// Length of the connection IDs this server issues.
    static let connectionIDLength = 18

    let eventLoop: EventLoop
    let logger: Logger
    let tls: TLSServerContext
    let configuration: QUICServerConfiguration
    let metrics: QUICMetricsSink?
    let allocator = ByteBufferAllocator()
    /// Secret for stateless reset tokens; random per process.
    let staticSecret: [UInt8] = SecureRandom.bytes(32)
    let makeApplication: (QUICConnection) -> QUICApplication

    var channel: Channel?
    var localAddress: SocketAddress?
    /// False once a drain began: new connection attempts are ignored so the drain ends.
    var acceptingConnections = true
    private var routes: [ConnectionID: QUICConnection] = [:]
    private(set) var connections: [UInt64: QUICConnection] = [:]
    private var pendingWrites: [QUICConnection] = []
    private var writeTickScheduled = false
    private var nextConnectionID: UInt64 = 1
    private var needsFlush = false

    init(
        eventLoop: EventLoop, tls: TLSServerContext, configuration: QUICServerConfiguration,
        metrics: QUICMetricsSink?, logger: Logger, makeApplication: @escaping (QUICConnection) -> QUICApplication
    ) {
        self.eventLoop = eventLoop
        self.tls = tls
        self.configuration = configuration
        self.metrics = metrics
        self.logger = logger
        self.makeApplication = makeApplication
    }

    // MARK: Datagrams in

    func receive(_ datagram: ByteBuffer, from remote: SocketAddress) {
        datagram.withUnsafeReadableBytes { packet in
            guard let base = packet.baseAddress?.assumingMemoryBound(to: UInt8.self), packet.count > 0 else { return }
            var header = ngtcp2_version_cid()
            let rv = ngtcp2_pkt_decode_version_cid(&header, base, packet.count, Self.connectionIDLength)
            if rv == NGTCP2_ERR_VERSION_NEGOTIATION {
                sendVersionNegotiation(header, to: remote)
                return
            }
            guard rv == 0 else { return }
            let key = ConnectionID(header.dcid, count: header.dcidlen)
            if let connection = routes[key] {
                connection.receive(packet, from: remote)
                return
            }
            accept(packet, base: base, from: remote, originalDCID: key)
        }
    }

    private func accept(_ packet: UnsafeRawBufferPointer, base: UnsafePointer<UInt8>, from remote: SocketAddress, originalDCID: ConnectionID) {
        guard acceptingConnections else { return }
        var header = ngtcp2_pkt_hd()
        guard ngtcp2_accept(&header, base, packet.count) == 0, let localAddress else { return }
        let id = nextConnectionID
        nextConnectionID += 1
        do {
            let connection = try QUICConnection(
                id: id, endpoint: self, header: header, local: localAddress, remote: remote, settings: configuration)
            connection.application = makeApplication(connection)
            connections[id] = connection
            routes[originalDCID] = connection
            metrics?.connectionOpened()
            connection.receive(packet, from: remote)
        } catch {
            metrics?.handshakeFailed(reason: "setup")
            logger.warning("refused QUIC connection", metadata: ["remote": "\(remote)", "error": "\(error)"])
        }
    }

    // MARK: Routing table

    func register(_ id: ConnectionID, for connection: QUICConnection) {
        routes[id] = connection
    }

    func unregister(_ id: ConnectionID) {
        routes.removeValue(forKey: id)
    }

    func remove(_ connection: QUICConnection) {
        guard connections.removeValue(forKey: connection.id) != nil else { return }
        routes = routes.filter { $0.value !== connection }
        metrics?.connectionClosed()
    }

    // MARK: Datagrams out

    func enqueueWrite(_ connection: QUICConnection) {
        pendingWrites.append(connection)
        guard !writeTickScheduled else { return }
        writeTickScheduled = true
        eventLoop.execute { self.runPendingWrites() }
    }

    private func runPendingWrites() {
        writeTickScheduled = false
        let batch = pendingWrites
        pendingWrites.removeAll(keepingCapacity: true)
        for connection in batch { connection.flushStreams() }
        flush()
    }

    func send(_ packet: ByteBuffer, to remote: SocketAddress) {
        guard let channel else { return }
        channel.write(AddressedEnvelope(remoteAddress: remote, data: packet), promise: nil)
        needsFlush = true
    }

    func flush() {
        guard needsFlush, let channel else { return }
        needsFlush = false
        channel.flush()
    }

    func resendConnectionClose(_ connection: QUICConnection) {
        guard let close = connection.closePacket else { return }
        send(close.packet, to: close.remote)
        flush()
    }

    private func sendVersionNegotiation(_ header: ngtcp2_version_cid, to remote: SocketAddress) {
        var buffer = allocator.buffer(capacity: Int(NGTCP2_MAX_UDP_PAYLOAD_SIZE))
        var versions: [UInt32] = [0x1a2a_3a4a, UInt32(NGTCP2_PROTO_VER_V1)]
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: Int(NGTCP2_MAX_UDP_PAYLOAD_SIZE)) { out in
            let n = ngtcp2_pkt_write_version_negotiation(
                out.baseAddress!.assumingMemoryBound(to: UInt8.self), out.count, UInt8.random(in: 0...255),
                header.scid, header.scidlen, header.dcid, header.dcidlen, &versions, versions.count)
            return max(0, Int(n))
        }
        guard buffer.readableBytes > 0 else { return }
        send(buffer, to: remote)
        flush()
    }
}
