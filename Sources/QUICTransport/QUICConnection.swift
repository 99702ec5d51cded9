import CNgtcp2
import Logging
import NIOCore

/// One QUIC connection: an `ngtcp2_conn` plus its GnuTLS session, driven by the
/// endpoint's event loop. Packets come in through `receive`, go out through the
/// write loop in `flushStreams`, and ngtcp2's timer is an event-loop scheduled task.
///
/// Confined to `eventLoop`: every method must be called on it. It is `@unchecked
/// Sendable` only so other threads can hold a reference and hop onto the loop.
public final class QUICConnection: @unchecked Sendable {
    /// Gateway-local id, stable for the connection's life (path migration keeps it).
    public let id: UInt64
    public let eventLoop: EventLoop
    /// The peer's address on the last path ngtcp2 validated: the handshake's, then each
    /// migration's once its PATH_CHALLENGE was answered (RFC 9000 §8.2, §9). A datagram
    /// from a new address, forged or not, never changes it by itself; this is the address
    /// requests report (`context.client_ip`, `Forwarded`).
    public var remoteAddress: SocketAddress { validatedRemote.address }
    /// Strong until the connection closes; `close()` breaks the cycle.
    public var application: QUICApplication?

    let endpoint: QUICEndpoint
    let logger: Logger
    private(set) var conn: OpaquePointer?
    private var session: gnutls_session_t?
    private let connectionReference: UnsafeMutablePointer<ngtcp2_crypto_conn_ref>
    private let localSockaddr: SocketAddressStorage
    private var validatedRemote: SocketAddressStorage
    /// Source of the latest datagram, kept so its C form is built once per address change.
    private var datagramSource: SocketAddressStorage
    private var lastError = ngtcp2_connection_close_error()
    private var timer: Scheduled<Void>?
    private var timerDeadline: UInt64 = .max
    private var vectors = [ngtcp2_vec](repeating: ngtcp2_vec(), count: 16)
    private(set) var state: State = .active
    private var writeScheduled = false

    enum State { case active, closing, draining, closed }

    init(
        id: UInt64, endpoint: QUICEndpoint, header: ngtcp2_pkt_hd, local: SocketAddress, remote: SocketAddress,
        settings configuration: QUICServerConfiguration
    ) throws(QUICTransportError) {
        self.id = id
        self.endpoint = endpoint
        self.eventLoop = endpoint.eventLoop
        self.localSockaddr = SocketAddressStorage(local)
        self.validatedRemote = SocketAddressStorage(remote)
        self.datagramSource = validatedRemote
        var logger = endpoint.logger
        logger[metadataKey: "quic.conn"] = "\(id)"
        self.logger = logger
        connectionReference = .allocate(capacity: 1)
        connectionReference.initialize(to: ngtcp2_crypto_conn_ref(get_conn: { reference in
            Unmanaged<QUICConnection>.fromOpaque(reference!.pointee.user_data).takeUnretainedValue().conn
        }, user_data: nil))
        connectionReference.pointee.user_data = Unmanaged.passUnretained(self).toOpaque()

        var callbacks = QUICCallbacks.make()
        var settings = ngtcp2_settings()
        ngtcp2_settings_default_versioned(NGTCP2_SETTINGS_VERSION, &settings)
        settings.initial_ts = QUICClock.now()
        settings.max_stream_window = configuration.maxStreamWindow
        settings.max_window = configuration.maxConnectionWindow
        settings.handshake_timeout = configuration.handshakeTimeoutNanoseconds

        var params = ngtcp2_transport_params()
        ngtcp2_transport_params_default_versioned(NGTCP2_TRANSPORT_PARAMS_VERSION, &params)
        params.initial_max_stream_data_bidi_local = configuration.initialStreamWindow
        params.initial_max_stream_data_bidi_remote = configuration.initialStreamWindow
        params.initial_max_stream_data_uni = configuration.initialStreamWindow
        params.initial_max_data = configuration.initialConnectionWindow
        params.initial_max_streams_bidi = configuration.maxConcurrentStreams
        params.initial_max_streams_uni = 3
        params.max_idle_timeout = configuration.idleTimeoutNanoseconds
        params.active_connection_id_limit = 7
        params.original_dcid = header.dcid
        params.stateless_reset_token_present = 1
        SecureRandom.fill(&params.stateless_reset_token, count: Int(NGTCP2_STATELESS_RESET_TOKENLEN))

        var scid = ngtcp2_cid()
        scid.datalen = QUICEndpoint.connectionIDLength
        SecureRandom.fill(&scid.data, count: QUICEndpoint.connectionIDLength)
        var clientSCID = header.scid

        var newConn: OpaquePointer?
        let userData = Unmanaged.passUnretained(self).toOpaque()
        let rv = withPath(remote: validatedRemote) { path in
            ngtcp2_conn_server_new_versioned(
                &newConn, &clientSCID, &scid, path, header.version,
                NGTCP2_CALLBACKS_VERSION, &callbacks, NGTCP2_SETTINGS_VERSION, &settings,
                NGTCP2_TRANSPORT_PARAMS_VERSION, &params, nil, userData)
        }
        guard rv == 0, let newConn else {
            connectionReference.deallocate()
            throw .ngtcp2(operation: "ngtcp2_conn_server_new", code: rv, message: Self.describe(rv))
        }
        conn = newConn
        do {
            session = try endpoint.tls.makeSession(connectionReference: UnsafeMutableRawPointer(connectionReference))
        } catch {
            ngtcp2_conn_del(newConn)
            conn = nil
            connectionReference.deallocate()
            throw error
        }
        ngtcp2_conn_set_tls_native_handle(newConn, UnsafeMutableRawPointer(session))
        endpoint.register(ConnectionID(scid), for: self)
    }

    deinit {
        if let conn { ngtcp2_conn_del(conn) }
        if let session { gnutls_deinit(session) }
        connectionReference.deallocate()
    }

    /// All connection IDs currently routed to this connection (for removal).
    var sourceConnectionIDs: [ConnectionID] {
        guard let conn else { return [] }
        let count = ngtcp2_conn_get_num_scid(conn)
        var cids = [ngtcp2_cid](repeating: ngtcp2_cid(), count: count)
        ngtcp2_conn_get_scid(conn, &cids)
        return cids.map(ConnectionID.init)
    }

    // MARK: Reading

    /// Feeds one datagram to ngtcp2 with the path it really arrived on; errors move the
    /// connection to closing or draining. Whether a new source address becomes the
    /// connection's address is ngtcp2's decision (`pathValidated`), not this datagram's.
    func receive(_ packet: UnsafeRawBufferPointer, from remote: SocketAddress) {
        guard let conn else { return }
        switch state {
        case .closing:
            endpoint.resendConnectionClose(self)
            return
        case .draining, .closed:
            return
        case .active:
            break
        }
        if remote != datagramSource.address {
            datagramSource = SocketAddressStorage(remote)
        }
        var info = ngtcp2_pkt_info()
        let rv = withPath(remote: datagramSource) { path in
            ngtcp2_conn_read_pkt_versioned(
                conn, path, NGTCP2_PKT_INFO_VERSION, &info,
                packet.baseAddress!.assumingMemoryBound(to: UInt8.self), packet.count, QUICClock.now())
        }
        if rv != 0 {
            handleReadError(rv)
            return
        }
        scheduleWrite()
    }

    private func handleReadError(_ rv: Int32) {
        guard let conn else { return }
        switch rv {
        case NGTCP2_ERR_DRAINING:
            enterDraining()
        case NGTCP2_ERR_DROP_CONN, NGTCP2_ERR_RETRY:
            close()
        case NGTCP2_ERR_CRYPTO:
            endpoint.metrics?.handshakeFailed(reason: "tls")
            if lastError.error_code == 0 {
                ngtcp2_connection_close_error_set_transport_error_tls_alert(&lastError, ngtcp2_conn_get_tls_alert(conn), nil, 0)
            }
            startClosing()
        default:
            if lastError.error_code == 0 && lastError.type == NGTCP2_CONNECTION_CLOSE_ERROR_CODE_TYPE_TRANSPORT {
                ngtcp2_connection_close_error_set_transport_error_liberr(&lastError, Int32(rv), nil, 0)
            }
            logger.debug("closing after read error", metadata: ["error": "\(Self.describe(rv))"])
            startClosing()
        }
    }

    // MARK: Callback entry points

    func handleHandshakeCompleted() throws(QUICApplicationError) {
        try application?.handshakeCompleted(on: self)
    }

    func handleStreamData(streamID: Int64, data: UnsafeRawBufferPointer, fin: Bool) throws(QUICApplicationError) {
        guard let application else { return }
        let consumed = try application.receivedStreamData(streamID: streamID, data: data, fin: fin)
        if consumed > 0 { extendStreamCredit(streamID: streamID, bytes: consumed) }
    }

    func handleStreamClose(streamID: Int64, appErrorCode: UInt64?) throws(QUICApplicationError) {
        try application?.streamClosed(streamID: streamID, appErrorCode: appErrorCode ?? 0x100)
    }

    func issueConnectionID(_ cid: UnsafeMutablePointer<ngtcp2_cid>, resetToken: UnsafeMutablePointer<UInt8>, length: Int) -> Bool {
        SecureRandom.fill(&cid.pointee.data, count: length)
        cid.pointee.datalen = length
        let secret = endpoint.staticSecret
        let rv = secret.withUnsafeBufferPointer {
            ngtcp2_crypto_generate_stateless_reset_token(resetToken, $0.baseAddress, $0.count, cid)
        }
        guard rv == 0 else { return false }
        endpoint.register(ConnectionID(cid.pointee), for: self)
        return true
    }

    /// ngtcp2 finished validating `path`. Only a successful validation of the path it now
    /// uses moves `remoteAddress`; a failed or aborted one leaves the old address, to which
    /// ngtcp2 has fallen back.
    func pathValidated(_ path: UnsafePointer<ngtcp2_path>, result: ngtcp2_path_validation_result) {
        guard let conn, result == NGTCP2_PATH_VALIDATION_RESULT_SUCCESS,
              ngtcp2_path_eq(path, ngtcp2_conn_get_path(conn)) != 0
        else {
            logger.debug("path validation left the peer address as it was", metadata: ["result": "\(result.rawValue)"])
            return
        }
        guard !validatedRemote.matches(path.pointee.remote), let validated = storage(for: path.pointee.remote) else { return }
        logger.info("peer address changed after path validation", metadata: [
            "from": "\(validatedRemote.address)", "to": "\(validated.address)",
        ])
        validatedRemote = validated
    }

    func retireConnectionID(_ cid: ngtcp2_cid) {
        endpoint.unregister(ConnectionID(cid))
    }

    func recordApplicationError(_ error: QUICApplicationError) {
        logger.debug("application error", metadata: ["error": "\(error)"])
        ngtcp2_connection_close_error_set_application_error(&lastError, error.code, nil, 0)
    }

    // MARK: Stream operations for the application

    /// Returns flow-control credit after the application consumed stream bytes.
    public func extendStreamCredit(streamID: Int64, bytes: Int) {
        guard let conn, state == .active else { return }
        ngtcp2_conn_extend_max_stream_offset(conn, streamID, UInt64(bytes))
        ngtcp2_conn_extend_max_offset(conn, UInt64(bytes))
    }

    /// Credits connection-level flow control only (bytes consumed outside any stream body).
    public func extendConnectionCredit(bytes: Int) {
        guard let conn, state == .active else { return }
        ngtcp2_conn_extend_max_offset(conn, UInt64(bytes))
    }

    public func openUnidirectionalStream() throws(QUICApplicationError) -> Int64 {
        guard let conn else { throw QUICApplicationError(code: 0x102, message: "connection closed") }
        var streamID: Int64 = -1
        let rv = ngtcp2_conn_open_uni_stream(conn, &streamID, nil)
        guard rv == 0 else {
            throw QUICApplicationError(code: 0x103, message: "cannot open unidirectional stream: \(Self.describe(rv))")
        }
        return streamID
    }

    public var localUnidirectionalStreamsAllowed: UInt64 {
        guard let conn else { return 0 }
        return ngtcp2_conn_get_max_local_streams_uni(conn)
    }

    public var initialMaxBidiStreams: UInt64 {
        guard let conn else { return 0 }
        return ngtcp2_conn_get_local_transport_params(conn).pointee.initial_max_streams_bidi
    }

    public func shutdownStreamRead(streamID: Int64, appErrorCode: UInt64) {
        guard let conn, state == .active else { return }
        ngtcp2_conn_shutdown_stream_read(conn, streamID, appErrorCode)
    }

    public func shutdownStreamWrite(streamID: Int64, appErrorCode: UInt64) {
        guard let conn, state == .active else { return }
        ngtcp2_conn_shutdown_stream_write(conn, streamID, appErrorCode)
    }

    /// Lets the peer open one more bidirectional stream (after one finished).
    public func allowAnotherRemoteBidiStream() {
        guard let conn, state == .active else { return }
        ngtcp2_conn_extend_max_streams_bidi(conn, 1)
    }

    /// Exports keying material from this connection's TLS session (RFC 5705 / RFC 8446 §7.5),
    /// e.g. for binding a token to this connection.
    public func exportKeyingMaterial(label: String, context: [UInt8]?, length: Int) -> [UInt8]? {
        guard let session else { return nil }
        var output = [UInt8](repeating: 0, count: length)
        let rv: Int32 = output.withUnsafeMutableBytes { out in
            label.withCString { labelPointer in
                if let context {
                    return context.withUnsafeBytes {
                        gnutls_prf_rfc5705(session, label.utf8.count, labelPointer, context.count,
                                           $0.baseAddress?.assumingMemoryBound(to: CChar.self), length,
                                           out.baseAddress!.assumingMemoryBound(to: CChar.self))
                    }
                }
                return gnutls_prf_rfc5705(session, label.utf8.count, labelPointer, 0, nil, length,
                                          out.baseAddress!.assumingMemoryBound(to: CChar.self))
            }
        }
        return rv == 0 ? output : nil
    }

    /// Asks for the write loop to run soon (once per event-loop tick, however many callers).
    public func scheduleWrite() {
        guard !writeScheduled else { return }
        writeScheduled = true
        endpoint.enqueueWrite(self)
    }

    /// Closes with an application error code (H3_NO_ERROR = 0x100 for a graceful close).
    public func close(applicationErrorCode: UInt64, reason: String = "") {
        guard state == .active else { return }
        ngtcp2_connection_close_error_set_application_error(&lastError, applicationErrorCode, nil, 0)
        startClosing()
    }

    // MARK: Writing

    /// The write loop: packs application stream data and ngtcp2's own frames into
    /// packets until there is nothing left or congestion control says stop.
    func flushStreams() {
        writeScheduled = false
        guard let conn, state == .active else { return }
        let now = QUICClock.now()
        let maxPayload = ngtcp2_conn_get_max_tx_udp_payload_size(conn)
        var packets = 0
        let maxPackets = max(1, ngtcp2_conn_get_send_quantum(conn) / maxPayload)
        var path = ngtcp2_path_storage()
        ngtcp2_path_storage_zero(&path)
        var info = ngtcp2_pkt_info()
        var buffer = endpoint.allocator.buffer(capacity: maxPayload)

        loop: while true {
            var streamID: Int64 = -1
            var fin = false
            var vectorCount = 0
            if let application, ngtcp2_conn_get_max_data_left(conn) > 0 {
                do throws(QUICApplicationError) {
                    let offered = try vectors.withUnsafeMutableBufferPointer { vectors throws(QUICApplicationError) in
                        try application.nextStreamData(vectors: UnsafeMutableRawPointer(vectors.baseAddress!), capacity: vectors.count)
                    }
                    if let offered {
                        streamID = offered.streamID
                        fin = offered.fin
                        vectorCount = offered.count
                    }
                } catch {
                    recordApplicationError(error)
                    startClosing()
                    return
                }
            }
            var flags = UInt32(NGTCP2_WRITE_STREAM_FLAG_MORE)
            if fin { flags |= UInt32(NGTCP2_WRITE_STREAM_FLAG_FIN) }
            var written: ngtcp2_ssize = -1
            var failure: Int?
            let nwrite = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: maxPayload) { out -> Int in
                vectors.withUnsafeBufferPointer { vectors in
                    Int(ngtcp2_conn_writev_stream_versioned(
                        conn, &path.path, NGTCP2_PKT_INFO_VERSION, &info,
                        out.baseAddress!.assumingMemoryBound(to: UInt8.self), maxPayload, &written, flags,
                        streamID, vectorCount > 0 ? vectors.baseAddress : nil, vectorCount, now))
                }.clampedToZero(storeErrorIn: &failure)
            }
            if let error = failure {
                switch Int32(error) {
                case NGTCP2_ERR_STREAM_DATA_BLOCKED:
                    application?.streamBlocked(streamID: streamID)
                    continue loop
                case NGTCP2_ERR_STREAM_SHUT_WR:
                    application?.streamWriteShut(streamID: streamID)
                    continue loop
                case NGTCP2_ERR_WRITE_MORE:
                    if !reportWritten(streamID: streamID, bytes: Int(written), fin: fin && written == offeredBytes(vectorCount)) {
                        return
                    }
                    continue loop
                default:
                    ngtcp2_connection_close_error_set_transport_error_liberr(&lastError, Int32(error), nil, 0)
                    logger.debug("write failed", metadata: ["error": "\(Self.describe(Int32(error)))"])
                    startClosing()
                    return
                }
            }
            if written >= 0, streamID >= 0 {
                if !reportWritten(streamID: streamID, bytes: Int(written), fin: fin && written == offeredBytes(vectorCount)) {
                    return
                }
            }
            if nwrite == 0 { break loop }
            // The packet goes where ngtcp2 wrote it for: while a new path is validated that
            // is the new address, within ngtcp2's anti-amplification limit (RFC 9000 §8).
            guard let target = storage(for: path.path.remote) else { break loop }
            endpoint.send(buffer, to: target.address)
            packets += 1
            if packets >= maxPackets {
                // Pacing: let other connections and reads run, then continue.
                scheduleWrite()
                break loop
            }
            buffer = endpoint.allocator.buffer(capacity: maxPayload)
        }
        ngtcp2_conn_update_pkt_tx_time(conn, now)
        endpoint.flush()
        rearmTimer()
    }

    /// Total length of the first `count` offered vectors.
    private func offeredBytes(_ count: Int) -> Int {
        vectors.prefix(count).reduce(0) { $0 + $1.len }
    }

    private func reportWritten(streamID: Int64, bytes: Int, fin: Bool) -> Bool {
        do throws(QUICApplicationError) {
            try application?.didWrite(streamID: streamID, bytes: bytes, fin: fin)
            return true
        } catch {
            recordApplicationError(error)
            startClosing()
            return false
        }
    }

    // MARK: Timers and closing

    /// Keeps one scheduled task per connection and moves it only when ngtcp2 wants to
    /// wake up *earlier*: a timer that fires early costs one no-op `handle_expiry`, while
    /// cancelling and rescheduling after every write would cost a heap update each time.
    private func rearmTimer() {
        guard let conn, state == .active else { return }
        let expiry = ngtcp2_conn_get_expiry(conn)
        if timer != nil, timerDeadline <= expiry { return }
        timer?.cancel()
        timerDeadline = expiry
        guard expiry != .max else { timer = nil; return }
        let now = QUICClock.now()
        let delay = expiry > now ? Int64(expiry - now) : 0
        timer = eventLoop.scheduleTask(in: .nanoseconds(delay)) { [weak self] in
            self?.timerFired()
        }
    }

    private func timerFired() {
        timer = nil
        timerDeadline = .max
        guard let conn, state == .active else { return }
        let now = QUICClock.now()
        if ngtcp2_conn_get_expiry(conn) > now {
            rearmTimer()
            return
        }
        let rv = ngtcp2_conn_handle_expiry(conn, now)
        if rv != 0 {
            if rv == NGTCP2_ERR_IDLE_CLOSE || rv == NGTCP2_ERR_HANDSHAKE_TIMEOUT {
                if rv == NGTCP2_ERR_HANDSHAKE_TIMEOUT { endpoint.metrics?.handshakeFailed(reason: "timeout") }
                close()
                return
            }
            ngtcp2_connection_close_error_set_transport_error_liberr(&lastError, rv, nil, 0)
            startClosing()
            return
        }
        flushStreams()
    }

    /// The CONNECTION_CLOSE packet and where it went, kept to answer any further packet in
    /// the closing period.
    private(set) var closePacket: (packet: ByteBuffer, remote: SocketAddress)?

    private func startClosing() {
        guard let conn, state == .active else { return }
        if ngtcp2_conn_is_in_draining_period(conn) != 0 {
            enterDraining()
            return
        }
        state = .closing
        var path = ngtcp2_path_storage()
        ngtcp2_path_storage_zero(&path)
        var info = ngtcp2_pkt_info()
        var buffer = endpoint.allocator.buffer(capacity: Int(NGTCP2_MAX_UDP_PAYLOAD_SIZE))
        var failure: Int?
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: Int(NGTCP2_MAX_UDP_PAYLOAD_SIZE)) { out in
            Int(ngtcp2_conn_write_connection_close_versioned(
                conn, &path.path, NGTCP2_PKT_INFO_VERSION, &info,
                out.baseAddress!.assumingMemoryBound(to: UInt8.self), out.count, &lastError, QUICClock.now()))
                .clampedToZero(storeErrorIn: &failure)
        }
        if buffer.readableBytes > 0, let target = storage(for: path.path.remote) {
            closePacket = (buffer, target.address)
            endpoint.send(buffer, to: target.address)
            endpoint.flush()
        }
        finishAfterClosePeriod()
    }

    private func enterDraining() {
        guard state == .active || state == .closing else { return }
        state = .draining
        finishAfterClosePeriod()
    }

    private func finishAfterClosePeriod() {
        timer?.cancel()
        guard let conn else { close(); return }
        let pto = ngtcp2_conn_get_pto(conn)
        timer = eventLoop.scheduleTask(in: .nanoseconds(Int64(min(pto * 3, 3_000_000_000)))) { [weak self] in
            self?.close()
        }
        application?.connectionClosed()
    }

    /// Removes the connection at once (after the closing/draining period, or silently on idle timeout).
    func close() {
        guard state != .closed else { return }
        state = .closed
        timer?.cancel()
        timer = nil
        application?.connectionClosed()
        application = nil
        endpoint.remove(self)
    }

    // MARK: Helpers

    /// The address ngtcp2 put in a path, reusing the known ones so the write loop builds a
    /// `SocketAddress` only when the path really is new.
    private func storage(for address: ngtcp2_addr) -> SocketAddressStorage? {
        if validatedRemote.matches(address) { return validatedRemote }
        if datagramSource.matches(address) { return datagramSource }
        return SocketAddressStorage(address)
    }

    private func withPath<R>(remote: SocketAddressStorage, _ body: (UnsafePointer<ngtcp2_path>) -> R) -> R {
        localSockaddr.withSockaddr { local, localLength in
            remote.withSockaddr { remote, remoteLength in
                var path = ngtcp2_path(
                    local: ngtcp2_addr(addr: local, addrlen: localLength),
                    remote: ngtcp2_addr(addr: remote, addrlen: remoteLength),
                    user_data: nil)
                return body(&path)
            }
        }
    }

    static func describe(_ code: Int32) -> String {
        String(cString: ngtcp2_strerror(code))
    }
}

extension Int {
    /// ngtcp2 returns negative error codes where NIO expects a byte count: record the
    /// error and report zero bytes written.
    fileprivate func clampedToZero(storeErrorIn error: inout Int?) -> Int {
        if self < 0 {
            error = self
            return 0
        }
        return self
    }
}
