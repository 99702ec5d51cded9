import NIOCore

/// `HTTP3ResponseWriter` for one request stream. Each call hops onto the connection's
/// event loop; `writeBody` completes only once the stream's unacknowledged bytes are
/// under the high-water mark, so a slow client slows the upstream read.
struct HTTP3StreamWriter: HTTP3ResponseWriter, @unchecked Sendable {
    // The connection is only touched inside eventLoop.execute / submit blocks.
    let connection: HTTP3Connection
    let streamID: Int64

    func writeHead(status: Int, headers: [HTTP3Header]) async throws {
        let connection = self.connection
        let streamID = self.streamID
        if connection.eventLoop.inEventLoop {
            return try connection.submitResponse(streamID: streamID, status: status, headers: headers)
        }
        try await connection.eventLoop.submit {
            try connection.submitResponse(streamID: streamID, status: status, headers: headers)
        }.get()
    }

    func writeBody(_ chunk: ByteBuffer) async throws {
        let connection = self.connection
        let streamID = self.streamID
        let promise = connection.eventLoop.makePromise(of: Void.self)
        if connection.eventLoop.inEventLoop {
            connection.enqueueBody(streamID: streamID, chunk: chunk, promise: promise)
        } else {
            connection.eventLoop.execute {
                connection.enqueueBody(streamID: streamID, chunk: chunk, promise: promise)
            }
        }
        try await promise.futureResult.get()
    }

    func finish() async throws {
        let connection = self.connection
        let streamID = self.streamID
        if connection.eventLoop.inEventLoop {
            return try connection.finishBody(streamID: streamID)
        }
        try await connection.eventLoop.submit {
            try connection.finishBody(streamID: streamID)
        }.get()
    }

    func writeResponse(status: Int, headers: [HTTP3Header], body: ByteBuffer) async throws {
        let connection = self.connection
        let streamID = self.streamID
        if connection.eventLoop.inEventLoop {
            return try connection.submitWholeResponse(streamID: streamID, status: status, headers: headers, body: body)
        }
        try await connection.eventLoop.submit {
            try connection.submitWholeResponse(streamID: streamID, status: status, headers: headers, body: body)
        }.get()
    }

    func finish(with chunk: ByteBuffer) {
        let connection = self.connection
        let streamID = self.streamID
        connection.eventLoop.execute { connection.finish(streamID: streamID, with: chunk) }
    }

    func reset(errorCode: UInt64) {
        let connection = self.connection
        let streamID = self.streamID
        connection.eventLoop.execute { connection.abort(streamID: streamID, code: errorCode) }
    }
}
