import NIOCore

/// One request stream's state on the connection's event loop: the request head being
/// assembled, the request body source, and the response bytes queued for nghttp3.
///
/// Response bytes stay in `queue` until the peer acknowledges them, because nghttp3
/// sends straight from the pointers `nextVectors` hands out; `unacknowledged` is what
/// `HTTP3StreamWriter` compares with its high-water mark to apply backpressure.
final class HTTP3Stream {
    let id: Int64
    var method: String?
    var scheme: String?
    var authority: String?
    var path: String?
    var headers: [HTTP3Header] = []
    var body: HTTP3RequestBody.Source?
    var requestDispatched = false
    var requestBodyComplete = false

    var headSubmitted = false
    var bodyFinished = false
    var closed = false
    private var queue = CircularBuffer<ByteBuffer>()
    private var offeredChunks = 0
    private var ackedInFront = 0
    private(set) var unacknowledged = 0
    private var waiters: [EventLoopPromise<Void>] = []

    init(id: Int64) {
        self.id = id
    }

    func enqueue(_ chunk: ByteBuffer) {
        guard chunk.readableBytes > 0 else { return }
        queue.append(chunk)
        unacknowledged += chunk.readableBytes
    }

    /// Hands nghttp3 pointers to queued bytes it has not seen yet.
    func nextVectors(into vectors: UnsafeMutableBufferPointer<(UnsafeMutableRawPointer?, Int)>) -> Int {
        var count = 0
        while count < vectors.count, offeredChunks < queue.count {
            let chunk = queue[queue.index(queue.startIndex, offsetBy: offeredChunks)]
            chunk.withUnsafeReadableBytes { bytes in
                vectors[count] = (UnsafeMutableRawPointer(mutating: bytes.baseAddress), bytes.count)
            }
            offeredChunks += 1
            count += 1
        }
        return count
    }

    var hasUnofferedData: Bool { offeredChunks < queue.count }

    /// Drops acknowledged bytes and releases writers waiting below `lowWater`.
    func acknowledge(_ length: Int, lowWater: Int) {
        var remaining = length
        unacknowledged -= length
        while remaining > 0, let front = queue.first {
            let left = front.readableBytes - ackedInFront
            if remaining >= left {
                remaining -= left
                ackedInFront = 0
                queue.removeFirst()
                offeredChunks -= 1
            } else {
                ackedInFront += remaining
                remaining = 0
            }
        }
        if unacknowledged <= lowWater { releaseWaiters() }
    }

    func waitForCapacity(_ promise: EventLoopPromise<Void>) {
        waiters.append(promise)
    }

    func releaseWaiters() {
        let pending = waiters
        waiters.removeAll()
        for waiter in pending { waiter.succeed() }
    }

    /// The stream is gone: fail writers and end the request body with an error.
    func fail() {
        closed = true
        let pending = waiters
        waiters.removeAll()
        for waiter in pending { waiter.fail(HTTP3StreamError.streamClosed(streamID: id)) }
        body?.finish(error: HTTP3StreamError.streamClosed(streamID: id))
        queue.removeAll()
        offeredChunks = 0
    }
}
