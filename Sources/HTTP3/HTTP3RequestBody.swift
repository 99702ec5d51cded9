import NIOConcurrencyHelpers
import NIOCore

/// A request body as an async sequence of chunks. Each chunk handed to the consumer
/// is reported back through `onConsumed`, which is where the HTTP/3 layer returns
/// QUIC flow-control credit: the client can only send as fast as the body is read.
///
/// There is one consumer: every iterator reads from the same source, so a second
/// iterator continues where the first stopped (peeking at the first chunk and then
/// streaming the rest works). A handler that answers without reading the body may
/// leave it: finishing the response stops the client's upload (STOP_SENDING).
public struct HTTP3RequestBody: AsyncSequence, Sendable {
    public typealias Element = ByteBuffer

    let source: Source

    /// A body that is already complete (tests, and requests with no body).
    public init(_ chunks: [ByteBuffer] = []) {
        self.source = Source(onConsumed: { _ in })
        for chunk in chunks { source.yield(chunk) }
        source.finish()
    }

    init(source: Source) {
        self.source = source
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(source: source)
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let source: Source
        public mutating func next() async throws -> ByteBuffer? {
            try await source.next()
        }
    }

    /// Producer side, fed by the HTTP/3 stream on its event loop.
    final class Source: Sendable {
        private struct State {
            var chunks: CircularBuffer<ByteBuffer> = []
            var finished = false
            var failure: (any Error)?
            var waiter: CheckedContinuation<ByteBuffer?, any Error>?
        }
        private let state = NIOLockedValueBox(State())
        private let onConsumed: @Sendable (Int) -> Void

        init(onConsumed: @escaping @Sendable (Int) -> Void) {
            self.onConsumed = onConsumed
        }

        func yield(_ chunk: ByteBuffer) {
            let waiter: CheckedContinuation<ByteBuffer?, any Error>? = state.withLockedValue { state in
                if state.finished { return nil }
                if let waiter = state.waiter {
                    state.waiter = nil
                    return waiter
                }
                state.chunks.append(chunk)
                return nil
            }
            if let waiter {
                onConsumed(chunk.readableBytes)
                waiter.resume(returning: chunk)
            }
        }

        func finish(error: (any Error)? = nil) {
            let waiter: CheckedContinuation<ByteBuffer?, any Error>? = state.withLockedValue { state in
                if state.finished { return nil }
                state.finished = true
                state.failure = error
                defer { state.waiter = nil }
                return state.waiter
            }
            if let waiter {
                if let error { waiter.resume(throwing: error) } else { waiter.resume(returning: nil) }
            }
        }

        func next() async throws -> ByteBuffer? {
            try await withCheckedThrowingContinuation { continuation in
                enum Outcome { case chunk(ByteBuffer), end, fail(any Error), wait }
                let outcome: Outcome = state.withLockedValue { state in
                    if let chunk = state.chunks.popFirst() { return .chunk(chunk) }
                    if state.finished {
                        if let failure = state.failure { return .fail(failure) }
                        return .end
                    }
                    state.waiter = continuation
                    return .wait
                }
                switch outcome {
                case .chunk(let chunk):
                    onConsumed(chunk.readableBytes)
                    continuation.resume(returning: chunk)
                case .end: continuation.resume(returning: nil)
                case .fail(let error): continuation.resume(throwing: error)
                case .wait: break
                }
            }
        }
    }
}
