import DemoUpstream
import Foundation
import NIOCore
import Synchronization
import Testing

@testable import Gateway
@testable import HTTP3

/// 64 MiB each way through the proxy with a real upstream, checking every byte and
/// sampling how many bytes are inside the proxy at once (sent by one side, not yet
/// received by the other). A proxy that collected bodies would reach 64 MiB; a
/// streaming one stays near its buffers plus the kernel's loopback socket buffers.
@Suite(.serialized) struct ReverseProxyStreamingTests {
    static let size = 64 << 20
    static let allowedInFlight = 16 << 20

    @Test func downloadToASlowClientIsStreamedWithBoundedBuffering() async throws {
        try await ProxyHarness.run { harness in
            let mismatch = Mutex<Int?>(nil)
            let writer = CollectingResponseWriter(retainLimit: 0, chunkDelay: .microseconds(500)) { chunk, offset in
                if !chunk.withUnsafeReadableBytes({ BytePattern.matches($0, at: offset) }) {
                    mismatch.withLock { $0 = $0 ?? offset }
                }
            }
            let sentBefore = harness.echo.traffic.sentBodyBytes
            let inFlight = try await PeakSampler.peak(
                of: { harness.echo.traffic.sentBodyBytes - sentBefore - writer.recorded.bodyBytes }
            ) {
                _ = try await harness.send("GET", "/bytes/\(Self.size)", into: writer)
            }
            #expect(writer.recorded.status == 200)
            #expect(writer.recorded.finished)
            #expect(writer.recorded.bodyBytes == Self.size)
            #expect(mismatch.withLock { $0 } == nil)
            #expect(inFlight < Self.allowedInFlight, "\(inFlight >> 10) KiB were in flight at once")
        }
    }

    @Test func uploadIsStreamedWithBoundedBuffering() async throws {
        try await ProxyHarness.run { harness in
            let body = FlowControlledBody(total: Self.size, window: 1 << 20)
            let receivedBefore = harness.echo.traffic.receivedBodyBytes
            var seen: EchoReport?
            let inFlight = try await PeakSampler.peak(
                of: { body.produced - (harness.echo.traffic.receivedBodyBytes - receivedBefore) }
            ) {
                async let feeding: Void = body.feed()
                let writer = try await harness.send("POST", "/upload", body: body.body)
                await feeding
                seen = try JSONDecoder().decode(EchoReport.self, from: Data(writer.recorded.body))
            }
            #expect(seen?.bodyBytes == Self.size)
            #expect(seen?.bodySHA256 == BytePattern.sha256Hex(count: Self.size))
            #expect(inFlight < Self.allowedInFlight, "\(inFlight >> 10) KiB were in flight at once")
        }
    }
}

/// A request body fed the way the HTTP/3 layer feeds one: never more than `window`
/// bytes handed over and not yet consumed (QUIC flow control).
struct FlowControlledBody: Sendable {
    let total: Int
    let window: Int
    let body: HTTP3RequestBody
    private let source: HTTP3RequestBody.Source
    private let credits: AsyncStream<Int>
    private let producedBytes = SharedCount()

    init(total: Int, window: Int) {
        let (credits, credit) = AsyncStream<Int>.makeStream()
        let source = HTTP3RequestBody.Source(onConsumed: { credit.yield($0) })
        self.total = total
        self.window = window
        self.source = source
        self.credits = credits
        self.body = HTTP3RequestBody(source: source)
    }

    /// Bytes handed to the body so far.
    var produced: Int { producedBytes.value }

    func feed() async {
        let chunkSize = 32 * 1024
        var iterator = credits.makeAsyncIterator()
        var outstanding = 0
        var offset = 0
        while offset < total {
            while outstanding + chunkSize > window, let consumed = await iterator.next() {
                outstanding -= consumed
            }
            let size = min(chunkSize, total - offset)
            producedBytes.add(size)
            source.yield(ByteBuffer(bytes: BytePattern.bytes(at: offset, count: size)))
            outstanding += size
            offset += size
        }
        source.finish()
    }
}

final class SharedCount: Sendable {
    private let count = Atomic<Int>(0)
    var value: Int { count.load(ordering: .relaxed) }
    func add(_ amount: Int) { count.add(amount, ordering: .relaxed) }
}

/// The largest value `measure` returned while `body` ran, sampled every millisecond.
enum PeakSampler {
    static func peak(of measure: @escaping @Sendable () -> Int, while body: () async throws -> Void) async throws -> Int {
        let peak = Mutex(measure())
        let sampler = Task {
            while !Task.isCancelled {
                let now = measure()
                peak.withLock { $0 = max($0, now) }
                try? await Task.sleep(for: .milliseconds(1))
            }
        }
        defer { sampler.cancel() }
        try await body()
        let now = measure()
        return peak.withLock { max($0, now) }
    }
}
