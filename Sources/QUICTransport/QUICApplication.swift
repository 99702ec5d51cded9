/// The protocol that runs on top of a QUIC connection (HTTP/3 here). The transport
/// owns packets, crypto and timers; the application owns stream semantics.
///
/// Every call happens on the connection's event loop, from inside ngtcp2 callbacks or
/// the transport's write loop, so implementations need no locking but must not block.
public protocol QUICApplication: AnyObject {
    /// The TLS handshake finished; the application may now open its own streams.
    func handshakeCompleted(on connection: QUICConnection) throws(QUICApplicationError)

    /// Stream bytes arrived in order. Returns how many bytes the application consumed
    /// at once; the rest is credited later through `QUICConnection.extendStreamCredit`.
    func receivedStreamData(streamID: Int64, data: UnsafeRawBufferPointer, fin: Bool) throws(QUICApplicationError) -> Int

    /// The peer acknowledged `length` more bytes of a stream we sent.
    func ackedStreamData(streamID: Int64, length: UInt64) throws(QUICApplicationError)

    /// Both directions of a stream are done (or it was reset); forget it.
    func streamClosed(streamID: Int64, appErrorCode: UInt64) throws(QUICApplicationError)

    /// The peer reset its sending side (RESET_STREAM).
    func peerResetStream(streamID: Int64) throws(QUICApplicationError)

    /// The peer asked us to stop sending (STOP_SENDING).
    func peerStoppedSending(streamID: Int64) throws(QUICApplicationError)

    /// The peer may now open bidirectional streams up to `maxStreams`.
    func remoteBidiStreamLimitRaised(to maxStreams: UInt64)

    /// Flow control opened again for a stream the transport reported blocked.
    func streamUnblocked(streamID: Int64) throws(QUICApplicationError)

    /// Fills up to `capacity` iovec-layout entries (`{base pointer, length}`) at `vectors`
    /// with the next stream data to send. nil when nothing is ready.
    func nextStreamData(vectors: UnsafeMutableRawPointer, capacity: Int) throws(QUICApplicationError) -> QUICStreamChunk?

    /// `bytes` of the last offered stream data were packed into packets; `fin` when the
    /// offered FIN went with them (all offered bytes written).
    func didWrite(streamID: Int64, bytes: Int, fin: Bool) throws(QUICApplicationError)

    /// The stream is blocked by flow control; stop offering it until `streamUnblocked`.
    func streamBlocked(streamID: Int64)

    /// The stream's sending side was shut; stop offering it.
    func streamWriteShut(streamID: Int64)

    /// The connection is gone (closed, drained, timed out). Release everything.
    func connectionClosed()
}

/// What the application offers the write loop: `count` vectors of one stream.
public struct QUICStreamChunk: Sendable {
    public var streamID: Int64
    public var count: Int
    public var fin: Bool

    public init(streamID: Int64, count: Int, fin: Bool) {
        self.streamID = streamID
        self.count = count
        self.fin = fin
    }
}

/// An application-level failure that closes the connection with `code` (an HTTP/3 error code).
public struct QUICApplicationError: Error, Sendable, CustomStringConvertible {
    public var code: UInt64
    public var message: String

    public init(code: UInt64, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "application error 0x\(String(code, radix: 16)): \(message)" }
}
