import CNghttp3
import Logging
import NIOCore
import QUICTransport

/// HTTP/3 on one QUIC connection: the only file that calls nghttp3. It turns QPACK
/// header blocks into `HTTP3Request`s for the handler, feeds request bodies through
/// flow-controlled sources, and gives nghttp3 the response bytes writers queue.
///
/// Confined to the QUIC connection's event loop. nghttp3 reaches this object through
/// `conn_user_data`, an unretained pointer; the QUIC connection holds this object
/// strongly until it closes, and `connectionClosed` deletes the nghttp3 connection.
final class HTTP3Connection: QUICApplication, @unchecked Sendable {
    let quic: QUICConnection
    let handler: HTTP3RequestHandler
    let logger: Logger
    let metrics: HTTP3MetricsSink?
    let eventLoop: EventLoop
    let exporter: HTTP3KeyingMaterialExporter
    /// Handed to the handler with each request (`HTTP3ConnectionInfo.loopExecutor`).
    private lazy var loopExecutor = EventLoopTaskExecutor(eventLoop: eventLoop)
    private var http: OpaquePointer?
    private var streams: [Int64: HTTP3Stream] = [:]
    /// Streams whose FIN nghttp3 handed out that is not yet in a packet, and the
    /// acknowledged bytes held back meanwhile (see `ackedStreamData`).
    private var unwrittenFin: Set<Int64> = []
    private var heldAcks: [Int64: UInt64] = [:]
    private(set) var shuttingDown = false
    static let highWater = 256 * 1024
    static let lowWater = 64 * 1024

    init(quic: QUICConnection, handler: HTTP3RequestHandler, metrics: HTTP3MetricsSink?, logger: Logger) {
        self.quic = quic
        self.handler = handler
        self.metrics = metrics
        self.logger = logger
        self.eventLoop = quic.eventLoop
        let eventLoop = quic.eventLoop
        self.exporter = HTTP3KeyingMaterialExporter { [weak quic] label, length in
            try? await eventLoop.submit { quic?.exportKeyingMaterial(label: label, context: nil, length: length) }.get()
        }
    }

    var activeRequestCount: Int { streams.count }

    // MARK: QUICApplication

    func handshakeCompleted(on connection: QUICConnection) throws(QUICApplicationError) {
        guard http == nil else { return }
        guard connection.localUnidirectionalStreamsAllowed >= 3 else {
            throw QUICApplicationError(code: 0x0101, message: "peer allows fewer than 3 unidirectional streams")
        }
        var callbacks = HTTP3Callbacks.make()
        var settings = nghttp3_settings()
        nghttp3_settings_default_versioned(NGHTTP3_SETTINGS_VERSION, &settings)
        settings.qpack_max_dtable_capacity = 4096
        settings.qpack_blocked_streams = 100
        var conn: OpaquePointer?
        let rv = nghttp3_conn_server_new_versioned(
            &conn, NGHTTP3_CALLBACKS_VERSION, &callbacks, NGHTTP3_SETTINGS_VERSION, &settings, nil,
            Unmanaged.passUnretained(self).toOpaque())
        guard rv == 0, let conn else { throw Self.error(rv, "nghttp3_conn_server_new") }
        http = conn
        nghttp3_conn_set_max_client_streams_bidi(conn, connection.initialMaxBidiStreams)
        let control = try connection.openUnidirectionalStream()
        try check(nghttp3_conn_bind_control_stream(conn, control), "bind control stream")
        let encoder = try connection.openUnidirectionalStream()
        let decoder = try connection.openUnidirectionalStream()
        try check(nghttp3_conn_bind_qpack_streams(conn, encoder, decoder), "bind QPACK streams")
    }

    func receivedStreamData(streamID: Int64, data: UnsafeRawBufferPointer, fin: Bool) throws(QUICApplicationError) -> Int {
        guard let http else { return data.count }
        let consumed = nghttp3_conn_read_stream(
            http, streamID, data.baseAddress?.assumingMemoryBound(to: UInt8.self), data.count, fin ? 1 : 0)
        guard consumed >= 0 else { throw Self.error(Int32(consumed), "nghttp3_conn_read_stream") }
        return Int(consumed)
    }

    /// Acknowledgements are held back while a stream's FIN has been handed out by
    /// nghttp3 but not yet written: nghttp3 0.8 (Debian 12) drops the empty
    /// end-of-stream entry when an acknowledgement reaches its offset before it was
    /// written, and the FIN is then never sent (fixed upstream in nghttp3 1.9,
    /// "Do not ack 0-byte vector with fin which has not been handed out").
    func ackedStreamData(streamID: Int64, length: UInt64) throws(QUICApplicationError) {
        guard let http else { return }
        if unwrittenFin.contains(streamID) {
            heldAcks[streamID, default: 0] += length
            return
        }
        try check(nghttp3_conn_add_ack_offset(http, streamID, length), "add ack offset")
    }

    func streamClosed(streamID: Int64, appErrorCode: UInt64) throws(QUICApplicationError) {
        unwrittenFin.remove(streamID)
        heldAcks[streamID] = nil
        guard let http else { return }
        let rv = nghttp3_conn_close_stream(http, streamID, appErrorCode)
        if rv == NGHTTP3_ERR_STREAM_NOT_FOUND {
            if Self.isClientBidi(streamID) { quic.allowAnotherRemoteBidiStream() }
            return
        }
        try check(rv, "close stream")
    }

    func peerResetStream(streamID: Int64) throws(QUICApplicationError) {
        guard let http else { return }
        try check(nghttp3_conn_shutdown_stream_read(http, streamID), "shutdown stream read")
    }

    func peerStoppedSending(streamID: Int64) throws(QUICApplicationError) {
        try peerResetStream(streamID: streamID)
    }

    func remoteBidiStreamLimitRaised(to maxStreams: UInt64) {
        guard let http else { return }
        nghttp3_conn_set_max_client_streams_bidi(http, maxStreams)
    }

    func streamUnblocked(streamID: Int64) throws(QUICApplicationError) {
        guard let http else { return }
        try check(nghttp3_conn_unblock_stream(http, streamID), "unblock stream")
    }

    func nextStreamData(vectors: UnsafeMutableRawPointer, capacity: Int) throws(QUICApplicationError) -> QUICStreamChunk? {
        guard let http else { return nil }
        var streamID: Int64 = -1
        var fin: Int32 = 0
        let count = nghttp3_conn_writev_stream(
            http, &streamID, &fin, vectors.assumingMemoryBound(to: nghttp3_vec.self), capacity)
        guard count >= 0 else { throw Self.error(Int32(count), "nghttp3_conn_writev_stream") }
        if streamID < 0 { return nil }
        if fin != 0 { unwrittenFin.insert(streamID) }
        return QUICStreamChunk(streamID: streamID, count: Int(count), fin: fin != 0)
    }

    func didWrite(streamID: Int64, bytes: Int, fin: Bool) throws(QUICApplicationError) {
        guard let http else { return }
        try check(nghttp3_conn_add_write_offset(http, streamID, bytes), "add write offset")
        guard fin, unwrittenFin.remove(streamID) != nil, let held = heldAcks.removeValue(forKey: streamID) else { return }
        try check(nghttp3_conn_add_ack_offset(http, streamID, held), "add ack offset")
    }

    func streamBlocked(streamID: Int64) {
        guard let http else { return }
        nghttp3_conn_block_stream(http, streamID)
    }

    func streamWriteShut(streamID: Int64) {
        guard let http else { return }
        nghttp3_conn_shutdown_stream_write(http, streamID)
    }

    func connectionClosed() {
        for stream in streams.values { stream.fail() }
        for _ in streams { metrics?.streamClosed() }
        streams.removeAll()
        if let http { nghttp3_conn_del(http) }
        http = nil
    }

    // MARK: nghttp3 callback entry points

    func beginHeaders(streamID: Int64) {
        guard streams[streamID] == nil else { return }
        streams[streamID] = HTTP3Stream(id: streamID)
        metrics?.streamOpened()
    }

    func header(streamID: Int64, name: String, value: String) {
        guard let stream = streams[streamID] else { return }
        switch name {
        case ":method": stream.method = value
        case ":scheme": stream.scheme = value
        case ":authority": stream.authority = value
        case ":path": stream.path = value
        case ":protocol": break
        default: stream.headers.append(HTTP3Header(name, value))
        }
    }

    func endHeaders(streamID: Int64, fin: Bool) {
        guard let stream = streams[streamID], !stream.requestDispatched else { return }
        stream.requestDispatched = true
        let quic = self.quic
        let source = HTTP3RequestBody.Source { [eventLoop] consumed in
            if eventLoop.inEventLoop {
                quic.extendStreamCredit(streamID: streamID, bytes: consumed)
                quic.scheduleWrite()
            } else {
                eventLoop.execute {
                    quic.extendStreamCredit(streamID: streamID, bytes: consumed)
                    quic.scheduleWrite()
                }
            }
        }
        stream.body = source
        if fin {
            source.finish()
            stream.requestBodyComplete = true
        }
        if stream.authority == nil, let host = stream.headers.first(named: "host") { stream.authority = host }
        let request = HTTP3Request(
            method: stream.method ?? "GET", scheme: stream.scheme ?? "https", authority: stream.authority ?? "",
            path: stream.path ?? "/", headers: stream.headers, body: HTTP3RequestBody(source: source),
            connection: HTTP3ConnectionInfo(
                id: quic.id, remoteAddress: quic.remoteAddress, exporter: exporter, loopExecutor: loopExecutor),
            streamID: streamID)
        stream.headers = []
        let writer = HTTP3StreamWriter(connection: self, streamID: streamID)
        let handler = self.handler
        // Handlers run where the handler says (the gateway: its upstream client's
        // loops, or this loop for a revoked session's 401; see `executor(for:)`).
        Task(executorPreference: handler.executor(for: request)) { await handler.handle(request, response: writer) }
    }

    func receivedBody(streamID: Int64, data: UnsafeRawBufferPointer) {
        guard let stream = streams[streamID], let body = stream.body else {
            quic.extendStreamCredit(streamID: streamID, bytes: data.count)
            return
        }
        var chunk = ByteBufferAllocator().buffer(capacity: data.count)
        chunk.writeBytes(data)
        body.yield(chunk)
    }

    func endStream(streamID: Int64) {
        guard let stream = streams[streamID] else { return }
        stream.body?.finish()
        stream.requestBodyComplete = true
    }

    func consumed(streamID: Int64, bytes: Int) {
        quic.extendStreamCredit(streamID: streamID, bytes: bytes)
    }

    func acknowledged(streamID: Int64, bytes: Int) {
        streams[streamID]?.acknowledge(bytes, lowWater: Self.lowWater)
    }

    func httpStreamClosed(streamID: Int64) {
        if let stream = streams.removeValue(forKey: streamID) {
            stream.fail()
            metrics?.streamClosed()
        }
        if Self.isClientBidi(streamID) { quic.allowAnotherRemoteBidiStream() }
        if shuttingDown && streams.isEmpty {
            // This runs inside an nghttp3 callback (itself inside ngtcp2_conn_read_pkt):
            // closing here would delete both connections under their own feet.
            let quic = self.quic
            eventLoop.execute { quic.close(applicationErrorCode: UInt64(NGHTTP3_H3_NO_ERROR)) }
        }
    }

    func stopSending(streamID: Int64, code: UInt64) {
        quic.shutdownStreamRead(streamID: streamID, appErrorCode: code)
    }

    func resetStream(streamID: Int64, code: UInt64) {
        quic.shutdownStreamWrite(streamID: streamID, appErrorCode: code)
    }

    /// nghttp3 asks for response body bytes of one stream.
    func readResponseData(streamID: Int64, vectors: UnsafeMutablePointer<nghttp3_vec>, capacity: Int, flags: UnsafeMutablePointer<UInt32>) -> Int {
        guard let stream = streams[streamID] else { return Int(NGHTTP3_ERR_CALLBACK_FAILURE) }
        let count = vectors.withMemoryRebound(to: (UnsafeMutableRawPointer?, Int).self, capacity: capacity) {
            stream.nextVectors(into: UnsafeMutableBufferPointer(start: $0, count: capacity))
        }
        if stream.bodyFinished && !stream.hasUnofferedData {
            flags.pointee |= UInt32(NGHTTP3_DATA_FLAG_EOF)
            return count
        }
        return count == 0 ? Int(NGHTTP3_ERR_WOULDBLOCK) : count
    }

    // MARK: Operations for writers (on the loop)

    func submitResponse(streamID: Int64, status: Int, headers: [HTTP3Header]) throws {
        guard let http, let stream = streams[streamID], !stream.closed else {
            throw HTTP3StreamError.streamClosed(streamID: streamID)
        }
        guard !stream.headSubmitted else { throw HTTP3StreamError.outOfOrder("response head already sent") }
        stream.headSubmitted = true
        var fields: [(String, String)] = [(":status", String(status))]
        for header in headers { fields.append((header.name.lowercased(), header.value)) }
        var reader = nghttp3_data_reader(read_data: HTTP3Callbacks.readData)
        let rv = HTTP3HeaderList.withNV(fields) { nva, count in
            nghttp3_conn_submit_response(http, streamID, nva, count, &reader)
        }
        guard rv == 0 else { throw HTTP3StreamError.streamClosed(streamID: streamID) }
        quic.scheduleWrite()
    }

    /// `promise` completes once the stream is under the high-water mark again (flow
    /// control for a writer that streams). nil for a last chunk nobody waits on — the
    /// gateway's own answers and the `revoked` frames a revocation writes to a thousand
    /// streams at once, where a promise per stream is pure allocation.
    func enqueueBody(streamID: Int64, chunk: ByteBuffer, promise: EventLoopPromise<Void>?) {
        guard let http, let stream = streams[streamID], !stream.closed else {
            promise?.fail(HTTP3StreamError.streamClosed(streamID: streamID))
            return
        }
        guard stream.headSubmitted, !stream.bodyFinished else {
            promise?.fail(HTTP3StreamError.outOfOrder("body written before head or after finish"))
            return
        }
        stream.enqueue(chunk)
        nghttp3_conn_resume_stream(http, streamID)
        quic.scheduleWrite()
        guard let promise else { return }
        if stream.unacknowledged > Self.highWater {
            stream.waitForCapacity(promise)
        } else {
            promise.succeed()
        }
    }

    func finishBody(streamID: Int64) throws {
        guard let http, let stream = streams[streamID], !stream.closed else {
            throw HTTP3StreamError.streamClosed(streamID: streamID)
        }
        guard stream.headSubmitted else { throw HTTP3StreamError.outOfOrder("finish before head") }
        stream.bodyFinished = true
        if !stream.requestBodyComplete {
            // RFC 9114 §4.1: a complete response may end the request early; H3_NO_ERROR
            // tells the client to stop uploading without treating it as a failure.
            quic.shutdownStreamRead(streamID: streamID, appErrorCode: UInt64(NGHTTP3_H3_NO_ERROR))
        }
        nghttp3_conn_resume_stream(http, streamID)
        quic.scheduleWrite()
    }

    /// A complete small response: head, body (fits under the high-water mark by
    /// construction: the server's own answers) and FIN.
    func submitWholeResponse(streamID: Int64, status: Int, headers: [HTTP3Header], body: ByteBuffer) throws {
        try submitResponse(streamID: streamID, status: status, headers: headers)
        if body.readableBytes > 0 {
            enqueueBody(streamID: streamID, chunk: body, promise: nil)
        }
        try finishBody(streamID: streamID)
    }

    /// `chunk` as the last body bytes, then FIN; nothing when the stream is gone.
    func finish(streamID: Int64, with chunk: ByteBuffer) {
        enqueueBody(streamID: streamID, chunk: chunk, promise: nil)
        try? finishBody(streamID: streamID)
    }

    func abort(streamID: Int64, code: UInt64) {
        if let stream = streams[streamID] { stream.fail() }
        quic.shutdownStreamRead(streamID: streamID, appErrorCode: code)
        quic.shutdownStreamWrite(streamID: streamID, appErrorCode: code)
        quic.scheduleWrite()
    }

    /// Starts a graceful shutdown: GOAWAY, then close once in-flight requests finish.
    func beginShutdown() {
        guard let http, !shuttingDown else { return }
        shuttingDown = true
        nghttp3_conn_submit_shutdown_notice(http)
        nghttp3_conn_shutdown(http)
        quic.scheduleWrite()
        if streams.isEmpty { quic.close(applicationErrorCode: UInt64(NGHTTP3_H3_NO_ERROR)) }
    }

    // MARK: Helpers

    static func isClientBidi(_ streamID: Int64) -> Bool { streamID & 0x3 == 0 }

    private func check(_ rv: Int32, _ operation: String) throws(QUICApplicationError) {
        guard rv == 0 else { throw Self.error(rv, operation) }
    }

    static func error(_ rv: Int32, _ operation: String) -> QUICApplicationError {
        QUICApplicationError(
            code: nghttp3_err_infer_quic_app_error_code(rv),
            message: "\(operation): \(String(cString: nghttp3_strerror(rv)))")
    }
}
