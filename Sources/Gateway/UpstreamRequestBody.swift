import AsyncHTTPClient
import HTTP3
import NIOCore

/// Chooses how a request body is sent upstream without ever holding more than one chunk.
///
/// With a `content-length` the length is known up front. Without one (HTTP/3 does not
/// require it) the first chunk is awaited: an empty body is sent as no body at all, so a
/// GET is not turned into a chunked upload, and otherwise the first chunk is replayed in
/// front of the rest. `HTTP3RequestBody` is a single-consumer channel, so iterating it
/// again continues after the chunk already taken.
///
/// A body that grows past `limit` ends the upload with `RequestBodyTooLarge` (a declared
/// `content-length` over it is refused by the pipeline before this runs).
enum UpstreamRequestBody {
    static func make(for request: HTTP3Request, limit: Int, eventLoops: any EventLoopGroup) async throws
        -> HTTPClientRequest.Body?
    {
        if let declared = request.headers.first(named: "content-length"), let length = Int64(declared), length >= 0 {
            guard length > 0 else { return nil }
            return .stream(Paced(first: nil, rest: request.body, limit: limit, eventLoops: eventLoops), length: .known(length))
        }
        var iterator = request.body.makeAsyncIterator()
        guard let first = try await iterator.next() else { return nil }
        return .stream(Paced(first: first, rest: request.body, limit: limit, eventLoops: eventLoops), length: .unknown)
    }

    /// `first` (if any), then whatever `rest` still has, pulling the next chunk only
    /// after a round trip through every event loop once `pacingInterval` bytes went out.
    ///
    /// AsyncHTTPClient queues each body part onto its connection's event loop without
    /// waiting and stops pulling only once that loop has reported the socket unwritable.
    /// Pulling straight from a fast source lets megabytes queue up before that report
    /// lands. Event-loop tasks run in order, so after the round trip every queued write
    /// has been handed to the socket and any pause is in effect: the queue stays under
    /// `pacingInterval` plus one chunk, and QUIC flow control pushes back on the client.
    struct Paced: AsyncSequence, Sendable {
        typealias Element = ByteBuffer
        /// Bytes between two round trips: small against memory, large against the
        /// cost of a round trip (a few microseconds per loop).
        static let pacingInterval = 256 * 1024
        let first: ByteBuffer?
        let rest: HTTP3RequestBody
        let limit: Int
        let eventLoops: any EventLoopGroup

        func makeAsyncIterator() -> Iterator {
            Iterator(first: first, rest: rest.makeAsyncIterator(), limit: limit, eventLoops: eventLoops)
        }

        struct Iterator: AsyncIteratorProtocol {
            var first: ByteBuffer?
            var rest: HTTP3RequestBody.AsyncIterator
            let limit: Int
            let eventLoops: any EventLoopGroup
            var sinceRoundTrip = 0
            var total = 0

            mutating func next() async throws -> ByteBuffer? {
                if sinceRoundTrip >= Paced.pacingInterval {
                    for loop in eventLoops.makeIterator() {
                        try await loop.submit {}.get()
                    }
                    sinceRoundTrip = 0
                }
                let chunk: ByteBuffer?
                if let pending = first {
                    first = nil
                    chunk = pending
                } else {
                    chunk = try await rest.next()
                }
                sinceRoundTrip += chunk?.readableBytes ?? 0
                total += chunk?.readableBytes ?? 0
                if total > limit { throw RequestBodyTooLarge(limit: limit) }
                return chunk
            }
        }
    }
}

/// The client's body grew past the route's `max_body_bytes`: the upload is cut off and
/// the client answered 413 (`UpstreamFailure`).
struct RequestBodyTooLarge: Error, Sendable {
    var limit: Int
}
