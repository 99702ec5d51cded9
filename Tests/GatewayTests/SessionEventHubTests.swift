import HTTP3
import NIOCore
import RTATokens
import Synchronization
import Testing

@testable import Gateway

/// The hub's guarantees, in process: a revocation reaches every stream and in-flight
/// request of the session once, other sessions are untouched, and a request that
/// registers after the sweep is refused.
@Suite struct SessionEventHubTests {
    /// Records resets and the final frame the hub writes itself.
    final class ResetRecorder: HTTP3ResponseWriter {
        let codes = Mutex<[UInt64]>([])
        let finalFrames = Mutex<[String]>([])
        func writeHead(status: Int, headers: [HTTP3Header]) async throws {}
        func writeBody(_ chunk: ByteBuffer) async throws {}
        func finish() async throws {}
        func finish(with chunk: ByteBuffer) { finalFrames.withLock { $0.append(String(buffer: chunk)) } }
        func reset(errorCode: UInt64) { codes.withLock { $0.append(errorCode) } }
    }

    /// Counts the ticks a subscription receives until it ends.
    private static func countTicks(_ subscription: SessionEventHub.Subscription) -> Task<Int, Never> {
        Task {
            var ticks = 0
            for await event in subscription.events { if case .tick = event { ticks += 1 } }
            return ticks
        }
    }

    @Test func oneTickerReachesEveryStreamAndStopsWithTheLastOne() async throws {
        let hub = SessionEventHub(tickInterval: .milliseconds(200))  // 2 slots, 100 ms apart
        let streams = try (0..<5).map { _ in try #require(hub.subscribe(.random(), response: ResetRecorder())) }
        let counters = streams.map(Self.countTicks)
        try await Task.sleep(for: .milliseconds(1_000))
        #expect(hub.isTicking)
        for stream in streams { hub.unsubscribe(stream) }
        for counter in counters {
            let ticks = await counter.value
            #expect((2...6).contains(ticks), "about one tick per 200 ms over 1 s, got \(ticks)")
        }
        try await Task.sleep(for: .milliseconds(300))
        #expect(!hub.isTicking, "no stream left: the ticker stopped")

        let again = try #require(hub.subscribe(.random(), response: ResetRecorder()))
        let counter = Self.countTicks(again)
        try await Task.sleep(for: .milliseconds(500))
        hub.unsubscribe(again)
        #expect(await counter.value >= 1, "a new stream restarts the ticker")
    }

    @Test func revokedStreamsLeaveTheTickerToTheOthers() async throws {
        let hub = SessionEventHub(tickInterval: .milliseconds(100))
        let session = SessionID.random()
        let stream = try #require(hub.subscribe(session, response: ResetRecorder()))
        let other = try #require(hub.subscribe(.random(), response: ResetRecorder()))
        _ = hub.publishRevoked([session], notice: .init(reason: "session-revoked"))
        var events: [SessionEventHub.Event] = []
        for await event in stream.events { events.append(event) }
        #expect(events.count == 1)
        try await Task.sleep(for: .milliseconds(300))
        #expect(hub.isTicking, "the other stream keeps the ticker going")
        hub.unsubscribe(other)
    }

    @Test func revocationEndsStreamsResetsRequestsAndSparesOthers() async throws {
        let hub = SessionEventHub()
        let alice = SessionID.random(), bob = SessionID.random()
        let aliceResponse = ResetRecorder()
        let aliceStream = try #require(hub.subscribe(alice, response: aliceResponse))
        let bobStream = try #require(hub.subscribe(bob, response: ResetRecorder()))
        let aliceRequest = ResetRecorder(), bobRequest = ResetRecorder()
        let aliceFlight = try #require(hub.beginRequest(alice, writer: aliceRequest))
        let bobFlight = try #require(hub.beginRequest(bob, writer: bobRequest))

        let reached = hub.publishRevoked([alice], notice: .init(reason: "session-revoked", event: "urn:e", jti: "j1"))
        #expect(reached.streams == 1 && reached.requests == 1)

        var received: [SessionEventHub.Event] = []
        for await event in aliceStream.events { received.append(event) }
        guard case .revoked? = received.first, received.count == 1 else {
            Issue.record("expected exactly one revoked event, got \(received)")
            return
        }
        #expect(aliceResponse.finalFrames.withLock { $0 }
            == ["event: revoked\ndata: {\"event\":\"urn:e\",\"jti\":\"j1\",\"reason\":\"session-revoked\"}\n\n"])
        #expect(aliceRequest.codes.withLock { $0 } == [SessionEventHub.requestCancelled])
        #expect(bobRequest.codes.withLock { $0 }.isEmpty)

        #expect(hub.beginRequest(alice, writer: ResetRecorder()) == nil, "a late request of a revoked session is refused")
        #expect(hub.subscribe(alice, response: ResetRecorder()) == nil)
        #expect(hub.publishRevoked([alice], notice: .init(reason: "again")) == (0, 0), "a second revocation reaches nothing")
        #expect(!hub.endRequest(aliceFlight), "the revocation reset it before it ended")
        #expect(hub.endRequest(bobFlight), "bob's request was still registered")
        #expect(!hub.endRequest(bobFlight), "and is registered once")

        hub.publishToken(bob, token: try Self.token(bob), reason: "refresh")
        hub.endAllStreams()
        var bobEvents: [SessionEventHub.Event] = []
        for await event in bobStream.events { bobEvents.append(event) }
        guard case .token(_, let reason)? = bobEvents.first, bobEvents.count == 1 else {
            Issue.record("expected one token event then the end, got \(bobEvents)")
            return
        }
        #expect(reason == "refresh")
        #expect(hub.subscriberCount == 0)
    }

    @Test func revokingManyStreamsEndsEachOnceEvenAcrossSlices() async throws {
        let hub = SessionEventHub()
        let sessions = (0..<200).map { _ in SessionID.random() }
        let streams = try sessions.map { try #require(hub.subscribe($0, response: ResetRecorder())) }
        #expect(hub.publishRevoked(sessions, notice: .init(reason: "session-revoked")) == (200, 0))
        #expect(hub.subscriberCount == 0, "the hub forgets the streams at once; only their tasks' wake-up is paced")
        for stream in streams {
            var events: [SessionEventHub.Event] = []
            for await event in stream.events { events.append(event) }
            guard case .revoked? = events.first, events.count == 1 else {
                Issue.record("expected exactly one revoked event, got \(events)")
                return
            }
        }
    }

    @Test func theWakeUpIsPacedSliceBySlice() async throws {
        let pairs = (0..<3).map { _ in AsyncStream.makeStream(of: SessionEventHub.Event.self) }
        let started = ContinuousClock.now
        SessionEventHub.wakeInSlices(pairs.map(\.continuation), slice: 2, pause: .milliseconds(200), after: .milliseconds(100))
        var endedAfter: [Duration] = []
        for (events, _) in pairs {
            for await _ in events {}
            endedAfter.append(started.duration(to: .now))
        }
        #expect(endedAfter[0] >= .milliseconds(100), "the first slice waits for the delay: \(endedAfter)")
        #expect(endedAfter[2] >= .milliseconds(300), "the second slice waits one pause more: \(endedAfter)")
    }

    static func token(_ session: SessionID) throws -> RTAToken {
        let key = try SigningKey.generate(keyID: 1)
        return RTAToken.issue(flags: [], sessionID: session, contextHash: try ContextHash(bytes: [UInt8](repeating: 1, count: 32)),
                              issuedAt: 1_000, key: key)
    }
}
