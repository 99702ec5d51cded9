import RTATokens
import Synchronization

/// Per-subject exchange limits (`tokens.max_sessions_per_subject`,
/// `tokens.max_exchanges_per_subject`): without them one valid IdP token could fill the
/// shared nonce store, which then refuses every user's exchange, and the session store.
///
/// Keeps, per subject (IdP issuer + `sub`; a sub-delegation counts for its root user),
/// the exchanges admitted within the nonce window and the exchanges in flight: an
/// exchange that passed the session count but has not stored its session yet is
/// invisible to the store, so concurrent requests are counted here. Memory is bounded
/// like `NonceReplayStore`: admissions expire after `window`, and a subject holds at
/// most `maxExchanges` of them.
public final class SubjectExchangeQuota: Sendable {
    public struct Key: Hashable, Sendable {
        public let issuer: String
        public let sub: String

        public init(_ subject: Subject) {
            issuer = subject.issuer
            sub = subject.sub
        }
    }

    private struct State {
        var admitted: [Key: Int] = [:]
        /// Admission order, for cheap expiry from the front; `head` skips consumed slots.
        var order: [(key: Key, expiresAt: UInt64)] = []
        var head = 0
        var inFlight: [Key: Int] = [:]
    }

    public let maxSessions: Int
    public let maxExchanges: Int
    /// How long an admission counts (ms): the nonce replay window, `tokens.max_age`.
    public let window: UInt64
    private let clock: TokenClock
    private let state = Mutex(State())

    public init(maxSessions: Int, maxExchanges: Int, window: UInt64, clock: TokenClock = .system) {
        self.maxSessions = max(1, maxSessions)
        self.maxExchanges = max(1, maxExchanges)
        self.window = window
        self.clock = clock
    }

    /// Marks an exchange of `key` in flight; returns how many others are. Pair with `leave`.
    public func enter(_ key: Key) -> Int {
        state.withLock { state in
            state.inFlight[key, default: 0] += 1
            return state.inFlight[key, default: 1] - 1
        }
    }

    public func leave(_ key: Key) {
        state.withLock { state in
            let remaining = state.inFlight[key, default: 1] - 1
            state.inFlight[key] = remaining > 0 ? remaining : nil
        }
    }

    /// Records one exchange of `key` if it has had fewer than `maxExchanges` within
    /// `window`; false (nothing recorded) otherwise.
    public func admit(_ key: Key) -> Bool {
        let now = clock.now()
        let window = self.window, limit = self.maxExchanges
        return state.withLock { state in
            Self.expire(&state, now: now)
            guard state.admitted[key, default: 0] < limit else { return false }
            state.admitted[key, default: 0] += 1
            state.order.append((key, now &+ window))
            return true
        }
    }

    /// Exchanges of `key` admitted within the window.
    public func admitted(_ key: Key) -> Int {
        let now = clock.now()
        return state.withLock { state in
            Self.expire(&state, now: now)
            return state.admitted[key, default: 0]
        }
    }

    private static func expire(_ state: inout State, now: UInt64) {
        while state.head < state.order.count, state.order[state.head].expiresAt <= now {
            let key = state.order[state.head].key
            let remaining = state.admitted[key, default: 1] - 1
            state.admitted[key] = remaining > 0 ? remaining : nil
            state.head += 1
        }
        // Compact once the consumed prefix dominates, keeping appends amortised O(1).
        if state.head > 1024, state.head * 2 > state.order.count {
            state.order.removeFirst(state.head)
            state.head = 0
        }
    }
}
