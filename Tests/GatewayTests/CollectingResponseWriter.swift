import HTTP3
import NIOCore
import Synchronization

/// A real `HTTP3ResponseWriter` that records what a handler wrote, enforcing the
/// protocol's call order, and optionally applying backpressure (a per-chunk delay, the
/// way a full QUIC send buffer suspends `writeBody`). Bodies above `retainLimit` bytes
/// are counted and passed to `onChunk` but not kept, so huge transfers stay small.
final class CollectingResponseWriter: HTTP3ResponseWriter {
    struct Recorded: Sendable {
        var status: Int?
        var headers: [HTTP3Header] = []
        var body: [UInt8] = []
        var bodyBytes = 0
        var chunks = 0
        var finished = false
        var resetCode: UInt64?
        /// Head, body and end came in one `writeResponse` call.
        var whole = false
    }

    private let state = Mutex(Recorded())
    private let retainLimit: Int
    private let chunkDelay: Duration?
    private let onChunk: @Sendable (ByteBuffer, _ offset: Int) -> Void

    init(retainLimit: Int = 1 << 20, chunkDelay: Duration? = nil,
         onChunk: @escaping @Sendable (ByteBuffer, Int) -> Void = { _, _ in }) {
        self.retainLimit = retainLimit
        self.chunkDelay = chunkDelay
        self.onChunk = onChunk
    }

    var recorded: Recorded { state.withLock { $0 } }

    func header(_ name: String) -> String? { recorded.headers.first(named: name) }
    func headers(named name: String) -> [String] { recorded.headers.filter { $0.name == name }.map(\.value) }
    var bodyString: String { String(decoding: recorded.body, as: UTF8.self) }

    func writeHead(status: Int, headers: [HTTP3Header]) async throws {
        try state.withLock { state in
            guard state.status == nil else { throw HTTP3StreamError.outOfOrder("head written twice") }
            state.status = status
            state.headers = headers
        }
    }

    func writeBody(_ chunk: ByteBuffer) async throws {
        let offset = try state.withLock { state in
            guard state.status != nil, !state.finished else { throw HTTP3StreamError.outOfOrder("body outside head…finish") }
            let offset = state.bodyBytes
            state.bodyBytes += chunk.readableBytes
            state.chunks += 1
            if state.bodyBytes <= retainLimit { state.body += chunk.readableBytesView }
            return offset
        }
        onChunk(chunk, offset)
        if let chunkDelay { try await Task.sleep(for: chunkDelay) }
    }

    func finish() async throws {
        try state.withLock { state in
            guard state.status != nil, !state.finished else { throw HTTP3StreamError.outOfOrder("finish before head") }
            state.finished = true
        }
    }

    func writeResponse(status: Int, headers: [HTTP3Header], body: ByteBuffer) async throws {
        try await writeHead(status: status, headers: headers)
        if body.readableBytes > 0 { try await writeBody(body) }
        try await finish()
        state.withLock { $0.whole = true }
    }

    func finish(with chunk: ByteBuffer) {
        state.withLock { state in
            guard state.status != nil, !state.finished else { return }
            state.bodyBytes += chunk.readableBytes
            state.chunks += 1
            if state.bodyBytes <= retainLimit { state.body += chunk.readableBytesView }
            state.finished = true
        }
    }

    func reset(errorCode: UInt64) {
        state.withLock { $0.resetCode = errorCode }
    }
}
