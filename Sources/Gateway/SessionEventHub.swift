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
        /// From the stream's own ticker: time to ping or refresh.
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
        var inFlight: [SessionID: [UInt64: any HTTP3ResponseWriter]] = [:]
        var revoked: Set<SessionID> = []
        /// Revocation order, for forgetting the oldest ids once `revokedMemory` passed.
        var revokedOrder: [(at: ContinuousClock.Instant, id: SessionID)] = []
        var revokedOrderStart = 0
    }

    private let state = Mutex(State())

    /// Number of open event streams: what a drain or a revocation must bring to zero.
    var subscriberCount: Int {
        state.withLock { $0.subscribers.values.reduce(0) { $0 + $1.count } }
    }

    func subscribe(_ session: SessionID, response: any HTTP3ResponseWriter) -> Subscription? {
        let (events, continuation) = AsyncStream.makeStream(of: Event.self, bufferingPolicy: .unbounded)
        let id: UInt64? = state.withLock { state in
            guard !state.revoked.contains(session) else { return nil }
            state.nextID += 1
            state.subscribers[session, default: [:]][state.nextID] = Subscriber(continuation: continuation, response: response)
            return state.nextID
        }
        guard let id else { return nil }
        return Subscription(session: session, id: id, events: events, continuation: continuation)
    }

    func unsubscribe(_ subscription: Subscription) {
        state.withLock { state in
            state.subscribers[subscription.session]?[subscription.id] = nil
            if state.subscribers[subscription.session]?.isEmpty == true { state.subscribers[subscription.session] = nil }
        }
        subscription.continuation.finish()
    }

    /// Registers a request about to be forwarded; nil when the session was revoked
    /// after its token was checked (answer 401 `session_revoked`).
    func beginRequest(_ session: SessionID, writer: any HTTP3ResponseWriter) -> UInt64? {
        state.withLock { state in
            guard !state.revoked.contains(session) else { return nil }
            state.nextID += 1
            state.inFlight[session, default: [:]][state.nextID] = writer
            return state.nextID
        }
    }

    /// Deregisters a finished request; false when a revocation reset it first.
    @discardableResult
    func endRequest(_ session: SessionID, id: UInt64) -> Bool {
        state.withLock { state in
            let found = state.inFlight[session]?.removeValue(forKey: id) != nil
            if state.inFlight[session]?.isEmpty == true { state.inFlight[session] = nil }
            return found
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
        let (streams, requests) = state.withLock { state in
            var streams: [Subscriber] = []
            var requests: [any HTTP3ResponseWriter] = []
            forgetOldRevocations(&state, now: now)
            for session in sessions where state.revoked.insert(session).inserted {
                state.revokedOrder.append((now, session))
                if let found = state.subscribers.removeValue(forKey: session) { streams += found.values }
                if let found = state.inFlight.removeValue(forKey: session) { requests += found.values }
            }
            return (streams, requests)
        }
        guard !streams.isEmpty || !requests.isEmpty else { return (0, 0) }
        let continuations = streams.map(\.continuation)
        HTTP3StreamBatch.end(
            finishing: streams.map(\.response), with: EventStreamFrame.revoked(notice),
            resetting: requests, errorCode: Self.requestCancelled
        ) {
            for continuation in continuations {
                continuation.yield(.revoked)
                continuation.finish()
            }
        }
        return (streams.count, requests.count)
    }

    /// Ends every event stream without a `revoked` event: the gateway is draining, and
    /// a stream left open would hold its connection for the whole grace period. Agents
    /// reconnect (to another instance) with the token they hold.
    func endAllStreams() {
        let all = state.withLock { state in
            defer { state.subscribers = [:] }
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
