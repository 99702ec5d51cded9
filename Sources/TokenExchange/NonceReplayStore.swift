import RTATokens
import Synchronization

/// The exchange nonces seen within the replay window (PROTOCOL.md §2: "a nonce seen
/// in the last `max_age` is refused"), so a captured exchange request cannot be
/// replayed to mint another session.
///
/// Memory is bounded twice: entries expire after `window`, and at most `capacity`
/// live at once. A full store refuses new nonces (fails closed) rather than forgetting
/// live ones, which would reopen the replay hole; the service claims a nonce only
/// after the subject token verified, so filling the store takes valid IdP tokens.
public final class NonceReplayStore: Sendable {
    public enum Outcome: Sendable, Equatable {
        case fresh
        case replayed
        case full
    }

    private struct State {
        var expiry: [String: UInt64] = [:]
        /// Insertion order, for cheap expiry from the front; `head` skips consumed slots.
        var order: [(nonce: String, expiresAt: UInt64)] = []
        var head = 0
    }

    /// How long a nonce is remembered (ms).
    public let window: UInt64
    public let capacity: Int
    private let clock: TokenClock
    private let state = Mutex(State())

    public init(window: UInt64, capacity: Int = 100_000, clock: TokenClock = .system) {
        self.window = window
        self.capacity = max(1, capacity)
        self.clock = clock
    }

    /// Records `nonce` if it is not live; atomic, so two concurrent requests with
    /// the same nonce cannot both be `fresh`.
    public func claim(_ nonce: String) -> Outcome {
        let now = clock.now()
        let window = self.window, capacity = self.capacity
        return state.withLock { state in
            Self.expire(&state, now: now)
            if let expiresAt = state.expiry[nonce], expiresAt > now {
                return .replayed
            }
            guard state.expiry.count < capacity else { return .full }
            let expiresAt = now &+ window
            state.expiry[nonce] = expiresAt
            state.order.append((nonce, expiresAt))
            return .fresh
        }
    }

    /// Live nonces (after expiring old ones).
    public var count: Int {
        let now = clock.now()
        return state.withLock { state in
            Self.expire(&state, now: now)
            return state.expiry.count
        }
    }

    private static func expire(_ state: inout State, now: UInt64) {
        while state.head < state.order.count, state.order[state.head].expiresAt <= now {
            let entry = state.order[state.head]
            if state.expiry[entry.nonce] == entry.expiresAt {
                state.expiry[entry.nonce] = nil
            }
            state.head += 1
        }
        // Compact once the consumed prefix dominates, keeping appends amortised O(1).
        if state.head > 1024, state.head * 2 > state.order.count {
            state.order.removeFirst(state.head)
            state.head = 0
        }
    }
}
