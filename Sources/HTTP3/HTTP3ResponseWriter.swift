import NIOCore

/// The response side of one request stream. Calls must be made in order:
/// `writeHead` once, `writeBody` any number of times, then `finish`.
/// `writeBody` suspends while the stream's send buffer is full (the peer has not
/// acknowledged enough), which is how upstream bodies are streamed with bounded memory.
public protocol HTTP3ResponseWriter: Sendable {
    func writeHead(status: Int, headers: [HTTP3Header]) async throws
    func writeBody(_ chunk: ByteBuffer) async throws
    func finish() async throws
    /// Head, whole body and end in one step: for answers the server builds itself
    /// (errors, token responses), one hop onto the connection's loop instead of three.
    func writeResponse(status: Int, headers: [HTTP3Header], body: ByteBuffer) async throws
    /// Queues `chunk` as the last body bytes and ends the stream, without waiting:
    /// for a server that must end many streams at once (a revoked session's event
    /// streams) without one task wake-up and two loop hops per stream. Ignored when
    /// the stream is already finished or closed.
    func finish(with chunk: ByteBuffer)
    /// Abandons the stream (RESET_STREAM + STOP_SENDING) with an HTTP/3 error code.
    func reset(errorCode: UInt64)
}

extension HTTP3ResponseWriter {
    public func writeResponse(status: Int, headers: [HTTP3Header], body: ByteBuffer) async throws {
        try await writeHead(status: status, headers: headers)
        if body.readableBytes > 0 { try await writeBody(body) }
        try await finish()
    }
}

/// Serves requests; called once per request stream, concurrently for many streams.
public protocol HTTP3RequestHandler: Sendable {
    func handle(_ request: HTTP3Request, response: HTTP3ResponseWriter) async
    /// Where the request's handler task runs; nil (the default): Swift's global
    /// executor. A handler that mostly drives NIO channels is cheapest on one of
    /// their event loops (`EventLoopTaskExecutor`): its channel work then needs no
    /// wake-up of another thread. The QUIC loop's own (`request.connection.loopExecutor`)
    /// only for an answer that is short, cheap and urgent: it then goes out in the turn
    /// that read the request, with no hop to another thread and back; anything longer
    /// makes packets wait for handlers. Asked on the QUIC loop for every request, so it
    /// must cost next to nothing.
    func executor(for request: HTTP3Request) -> (any TaskExecutor)?
}

extension HTTP3RequestHandler {
    public func executor(for request: HTTP3Request) -> (any TaskExecutor)? { nil }
}

/// Errors a response writer reports to the handler.
public enum HTTP3StreamError: Error, Sendable, Equatable {
    /// The peer reset or stopped the stream, or the connection closed.
    case streamClosed(streamID: Int64)
    /// `writeHead` after the head was sent, or body before head.
    case outOfOrder(String)
}
