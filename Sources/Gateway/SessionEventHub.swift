import HTTP3
import RTATokens
import Synchronization

/// Per-session fan-out of PROTOCOL.md §6: the agents' event streams subscribe here,
/// in-flight requests register here, and a revocation reaches both in one pass.
///
/// Revocation must not lose a race with a request that passed its token check a
/// moment before the session was revoked: the hub remembers revoked ids for
/// `revokedMemory`, and `beginRequest`/`subscribe` refuse them, so a request either
/// registered before the sweep (and is reset by it) or is refused after it.
final class SessionEventHub: Sendable {
    enum Event: Sendable {
        case token(RTAToken, reason: String)
        /// The hub already wrote the `revoked` event and ended the response.
        case revoked
        /// From the hub's ticker, every `tickInterval`: time to ping or refresh.
        case tick
    }

    /// What the `revoked` event says (PROTOCOL.md §6).
    struct RevocationNotice: Sendable, Equatable {
        var reason: String
        var event: String?
        var jti: String?
    }

    /// A live subscription; pass it back to `unsubscribe`.
    struct Subscription: Sendable {
        let session: SessionID
        let id: UInt64
        let events: AsyncStream<Event>
        let continuation: AsyncStream<Event>.Continuation
    }

    /// What the hub keeps per event stream: how to wake its task, and its response,
    /// so a revocation can end the stream without waiting for that task.
    private struct Subscriber {
        let continuation: AsyncStream<Event>.Continuation
        let response: any HTTP3ResponseWriter
    }

    /// HTTP/3 `H3_REQUEST_CANCELLED`: the stream ends because the session did.
    static let requestCancelled: UInt64 = 0x10c
    static let revokedMemory = Duration.seconds(300)

    private struct State {
        var nextID: UInt64 = 0
        var subscribers: [SessionID: [UInt64: Subscriber]] = [:]
        /// By request id, not nested per session: registering a request then costs no
        /// allocation, and a revocation scans only the requests in flight.
        var inFlight: [UInt64: (session: SessionID, writer: any HTTP3ResponseWriter)] = [:]
        var revoked: Set<SessionID> = []
        /// Revocation order, for forgetting the oldest ids once `revokedMemory` passed.
        var revokedOrder: [(at: ContinuousClock.Instant, id: SessionID)] = []
        var revokedOrderStart = 0
        /// Open streams by tick slot (subscription id modulo the slot count).
        var slots: [[UInt64: AsyncStream<Event>.Continuation]]
        var nextSlot = 0
        var ticking = false
    }

    private let state: Mutex<State>
    /// `state.revoked.count`, readable without the lock (`remembersRevocations`).
    private let revokedCount = Atomic<Int>(0)
    /// How often each event stream gets `.tick`.
    let tickInterval: Duration
    private let slotCount: Int

    /// One ticker for all streams instead of a timer task per stream: a revocation
    /// that ends 1,000 streams then wakes 1,000 tasks, not 2,000 (each stream's timer
    /// had to be cancelled, which resumes it). The streams are spread over up to 64
    /// slots, one slot ticked per `tickInterval / slots` (at least 100 ms apart), so
    /// they do not all wake at once; the ticker runs only while a stream is open.
    init(tickInterval: Duration = .seconds(15)) {
        self.tickInterval = tickInterval
        let slotCount = min(64, max(1, Int(tickInterval / .milliseconds(100))))
        self.slotCount = slotCount
        self.state = Mutex(State(slots: Array(repeating: [:], count: slotCount)))
    }

    /// Whether the ticker is running (it stops when the last stream ends).
    var isTicking: Bool { state.withLock { $0.ticking } }

    /// Number of open event streams: what a drain or a revocation must bring to zero.
    var subscriberCount: Int {
        state.withLock { $0.subscribers.values.reduce(0) { $0 + $1.count } }
    }

    func subscribe(_ session: SessionID, response: any HTTP3ResponseWriter) -> Subscription? {
        let (events, continuation) = AsyncStream.makeStream(of: Event.self, bufferingPolicy: .unbounded)
        let slotCount = self.slotCount
        let added: (id: UInt64, startTicker: Bool)? = state.withLock { state in
            guard !state.revoked.contains(session) else { return nil }
            state.nextID += 1
            state.subscribers[session, default: [:]][state.nextID] = Subscriber(continuation: continuation, response: response)
            state.slots[Int(state.nextID % UInt64(slotCount))][state.nextID] = continuation
            defer { state.ticking = true }
            return (state.nextID, !state.ticking)
        }
        guard let added else { return nil }
        if added.startTicker { startTicker() }
        return Subscription(session: session, id: added.id, events: events, continuation: continuation)
    }

    func unsubscribe(_ subscription: Subscription) {
        let slotCount = self.slotCount
        state.withLock { state in
            state.subscribers[subscription.session]?[subscription.id] = nil
            if state.subscribers[subscription.session]?.isEmpty == true { state.subscribers[subscription.session] = nil }
            state.slots[Int(subscription.id % UInt64(slotCount))][subscription.id] = nil
        }
        subscription.continuation.finish()
    }

    private func startTicker() {
        let pause = tickInterval / slotCount
        Task { [weak self] in
            while true {
                try? await Task.sleep(for: pause)
                guard let self, self.tickNextSlot() else { return }
            }
        }
    }

    /// Yields `.tick` to the next slot's streams; false (the ticker stops) once no
    /// stream is open, decided under the lock `subscribe` takes to restart it.
    private func tickNextSlot() -> Bool {
        let slotCount = self.slotCount
        let due: [AsyncStream<Event>.Continuation]? = state.withLock { state in
            guard !state.subscribers.isEmpty else {
                state.ticking = false
                return nil
            }
            defer { state.nextSlot = (state.nextSlot + 1) % slotCount }
            return Array(state.slots[state.nextSlot].values)
        }
        guard let due else { return false }
        for continuation in due { continuation.yield(.tick) }
        return true
    }

    /// Whether any session was revoked here in the last `revokedMemory` (roughly: old
    /// ids are forgotten at the next revocation). Lock-free, for the QUIC loop.
    var remembersRevocations: Bool { revokedCount.load(ordering: .relaxed) > 0 }

    /// Whether this session was revoked here in the last `revokedMemory`, if that can be
    /// told without waiting for the lock (nil while a revocation holds it): the QUIC
    /// loop asks, and must not stall behind a sweep of a thousand sessions.
    func wasRevokedIfKnown(_ session: SessionID) -> Bool? {
        state.withLockIfAvailable { $0.revoked.contains(session) }
    }

    /// Registers a request about to be forwarded; nil when the session was revoked
    /// after its token was checked (answer 401 `session_revoked`).
    func beginRequest(_ session: SessionID, writer: any HTTP3ResponseWriter) -> UInt64? {
        state.withLock { state in
            guard !state.revoked.contains(session) else { return nil }
            state.nextID += 1
            state.inFlight[state.nextID] = (session, writer)
            return state.nextID
        }
    }

    /// Deregisters a finished request; false when a revocation reset it first.
    @discardableResult
    func endRequest(_ id: UInt64) -> Bool {
        state.withLock { state in
            state.inFlight.removeValue(forKey: id) != nil
        }
    }

    func publishToken(_ session: SessionID, token: RTAToken, reason: String) {
        let targets = state.withLock { Array(($0.subscribers[session] ?? [:]).values) }
        for target in targets { target.continuation.yield(.token(token, reason: reason)) }
    }

    /// Writes `revoked` to every event stream of these sessions and ends it, and
    /// resets their in-flight requests, all from here: one hop per QUIC event loop
    /// (`HTTP3StreamBatch`), with the frame encoded once. Returns how many streams and requests it reached.
    @discardableResult
    func publishRevoked(_ sessions: [SessionID], notice: RevocationNotice) -> (streams: Int, requests: Int) {
        let now = ContinuousClock.now
        let slotCount = self.slotCount
        let (streams, requests) = state.withLock { state in
            var streams: [Subscriber] = []
            var requests: [any HTTP3ResponseWriter] = []
            forgetOldRevocations(&state, now: now)
            streams.reserveCapacity(sessions.count)
            for session in sessions where state.revoked.insert(session).inserted {
                state.revokedOrder.append((now, session))
                if let found = state.subscribers.removeValue(forKey: session) {
                    for (id, subscriber) in found {
                        streams.append(subscriber)
                        state.slots[Int(id % UInt64(slotCount))][id] = nil
                    }
                }
            }
            revokedCount.store(state.revoked.count, ordering: .relaxed)
            // Sessions revoked before this call have nothing in flight (`beginRequest`
            // refuses them), so matching against every revoked id finds this call's.
            let reset = state.inFlight.isEmpty ? [:] : state.inFlight.filter { state.revoked.contains($0.value.session) }
            for (id, request) in reset {
                state.inFlight[id] = nil
                requests.append(request.writer)
            }
            return (streams, requests)
        }
        guard !streams.isEmpty || !requests.isEmpty else { return (0, 0) }
        let continuations = streams.map(\.continuation)
        HTTP3StreamBatch.end(
            finishing: streams.map(\.response), with: EventStreamFrame.revoked(notice),
            resetting: requests, errorCode: Self.requestCancelled
        ) {
            Self.wakeInSlices(continuations)
        }
        return (streams.count, requests.count)
    }

    /// Wakes the ended streams' tasks a slice at a time, `pause` apart, starting `after`
    /// the revocation. Their responses are already finished on the wire; what is left is
    /// each task's teardown (a few µs each on Swift's shared executor), which is cleanup
    /// and can wait. Queued all at once, 1,000 of them sat in front of every request
    /// arriving just after a revocation (an agent's next request waited ~10 ms for them);
    /// woken back to back, with only a yield between slices, they still kept both cores
    /// of a small machine busy for milliseconds after the `202`, and the revoked agents'
    /// next requests (answered 401 on the client loops) waited for a core. Paced, 1,000
    /// teardowns take ~30 ms and a fraction of one core; started at once, that ~30 ms
    /// still overlapped the `202` and the requests right after it (≈1 ms of the slowest
    /// requests' wait in a scheduler trace), so they start once those are answered.
    static func wakeInSlices(
        _ continuations: [AsyncStream<Event>.Continuation], slice: Int = 32, pause: Duration = .milliseconds(1),
        after delay: Duration = .milliseconds(100)
    ) {
        guard !continuations.isEmpty else { return }
        Task {
            try? await Task.sleep(for: delay)
            var start = 0
            while start < continuations.count {
                for continuation in continuations[start..<min(start + slice, continuations.count)] {
                    continuation.yield(.revoked)
                    continuation.finish()
                }
                start += slice
                if start < continuations.count { try? await Task.sleep(for: pause) }
            }
        }
    }

    /// Ends every event stream without a `revoked` event: the gateway is draining, and
    /// a stream left open would hold its connection for the whole grace period. Agents
    /// reconnect (to another instance) with the token they hold.
    func endAllStreams() {
        let slotCount = self.slotCount
        let all = state.withLock { state in
            defer {
                state.subscribers = [:]
                state.slots = Array(repeating: [:], count: slotCount)
            }
            return state.subscribers.values.flatMap(\.values)
        }
        for subscriber in all { subscriber.continuation.finish() }
    }

    private func forgetOldRevocations(_ state: inout State, now: ContinuousClock.Instant) {
        while state.revokedOrderStart < state.revokedOrder.count,
              state.revokedOrder[state.revokedOrderStart].at.duration(to: now) > Self.revokedMemory {
            state.revoked.remove(state.revokedOrder[state.revokedOrderStart].id)
            state.revokedOrderStart += 1
        }
        if state.revokedOrderStart > 1024, state.revokedOrderStart * 2 > state.revokedOrder.count {
            state.revokedOrder.removeFirst(state.revokedOrderStart)
            state.revokedOrderStart = 0
        }
    }
}
