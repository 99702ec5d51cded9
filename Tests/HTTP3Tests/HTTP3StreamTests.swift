import NIOCore
import NIOPosix
import Testing

@testable import HTTP3

/// The response queue's accounting decides when writers may continue; get it wrong and
/// a download either stalls or buffers without bound.
struct HTTP3StreamTests {
    @Test func acknowledgedBytesLeaveTheQueueAcrossChunkBoundaries() {
        let stream = HTTP3Stream(id: 0)
        stream.enqueue(ByteBuffer(repeating: 1, count: 100))
        stream.enqueue(ByteBuffer(repeating: 2, count: 50))
        var vectors = [(UnsafeMutableRawPointer?, Int)](repeating: (nil, 0), count: 4)
        let offered = vectors.withUnsafeMutableBufferPointer { stream.nextVectors(into: $0) }
        #expect(offered == 2)
        #expect(vectors[0].1 == 100 && vectors[1].1 == 50)
        #expect(!stream.hasUnofferedData)
        stream.acknowledge(120, lowWater: 0)
        #expect(stream.unacknowledged == 30)
        stream.enqueue(ByteBuffer(repeating: 3, count: 10))
        let next = vectors.withUnsafeMutableBufferPointer { stream.nextVectors(into: $0) }
        #expect(next == 1)
        #expect(vectors[0].1 == 10)
        stream.acknowledge(40, lowWater: 0)
        #expect(stream.unacknowledged == 0)
    }

    @Test func writersWaitUntilAcknowledgementsDropBelowLowWater() throws {
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let stream = HTTP3Stream(id: 4)
        stream.enqueue(ByteBuffer(repeating: 0, count: 1000))
        let promise = loop.makePromise(of: Void.self)
        stream.waitForCapacity(promise)
        var vectors = [(UnsafeMutableRawPointer?, Int)](repeating: (nil, 0), count: 1)
        _ = vectors.withUnsafeMutableBufferPointer { stream.nextVectors(into: $0) }
        stream.acknowledge(100, lowWater: 500)
        #expect(stream.unacknowledged == 900)
        stream.acknowledge(500, lowWater: 500)
        try promise.futureResult.wait()
    }

    @Test func failingTheStreamFailsWaitersAndEndsTheBody() async throws {
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let stream = HTTP3Stream(id: 8)
        let source = HTTP3RequestBody.Source(onConsumed: { _ in })
        stream.body = source
        let promise = loop.makePromise(of: Void.self)
        stream.waitForCapacity(promise)
        stream.fail()
        await #expect(throws: HTTP3StreamError.streamClosed(streamID: 8)) { try await promise.futureResult.get() }
        var iterator = HTTP3RequestBody(source: source).makeAsyncIterator()
        await #expect(throws: HTTP3StreamError.streamClosed(streamID: 8)) { try await iterator.next() }
    }
}
