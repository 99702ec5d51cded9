import RTATokens

/// Remembers which `(iss, jti)` pairs were applied, so a transmitter's retry (RFC 8935
/// §2: delivery is at-least-once) is answered 202 again but has no second effect.
///
/// An entry lives for `window` past the later of its receipt and its `iat`; the
/// verifier refuses SETs whose `iat` is older than the window, so a SET can never
/// outlive its entry and apply twice. When `capacity` is reached the entries closest
/// to expiry go first. A pair is `pending` while its effect is applied: a concurrent
/// duplicate then waits for the transmitter's next retry instead of being
/// acknowledged for an effect that may still fail.
public actor ReplayStore {
    public enum Claim: Sendable, Equatable {
        /// First delivery: the caller applies the effect, then calls `complete` or `abandon`.
        case fresh
        /// Already applied: acknowledge, do nothing.
        case duplicate
        /// Another delivery is applying it right now.
        case pending
    }

    private struct Key: Hashable {
        let issuer: String
        let jti: String
    }

    private enum State {
        case pending
        case applied(expiresAt: UInt64)
    }

    private let window: UInt64
    private let capacity: Int
    private let clock: TokenClock
    private var entries: [Key: State] = [:]

    public init(window: UInt64, capacity: Int, clock: TokenClock = .system) {
        self.window = window
        self.capacity = capacity
        self.clock = clock
    }

    public func claim(issuer: String, jti: String) -> Claim {
        let key = Key(issuer: issuer, jti: jti)
        switch entries[key] {
        case .pending?:
            return .pending
        case .applied(let expiresAt)? where expiresAt > clock.now():
            return .duplicate
        default:
            entries[key] = .pending
            return .fresh
        }
    }

    /// The effect was applied: remember the pair until `window` after `max(now, issuedAt)`.
    public func complete(issuer: String, jti: String, issuedAt: UInt64) {
        let now = clock.now()
        entries[Key(issuer: issuer, jti: jti)] = .applied(expiresAt: max(now, issuedAt) &+ window)
        if entries.count > capacity { evict(now: now) }
    }

    /// The effect failed: forget the claim so the next delivery tries again.
    public func abandon(issuer: String, jti: String) {
        let key = Key(issuer: issuer, jti: jti)
        if case .pending? = entries[key] { entries[key] = nil }
    }

    public var count: Int { entries.count }

    /// Drops expired entries, then (still full) the soonest-expiring tenth, so a full
    /// store sorts once per `capacity / 10` inserts rather than on every insert.
    private func evict(now: UInt64) {
        entries = entries.filter { _, state in
            if case .applied(let expiresAt) = state { return expiresAt > now }
            return true
        }
        guard entries.count > capacity else { return }
        let oldest = entries.compactMap { key, state -> (Key, UInt64)? in
            if case .applied(let expiresAt) = state { return (key, expiresAt) }
            return nil
        }.sorted { $0.1 < $1.1 }.prefix(entries.count - capacity * 9 / 10)
        for (key, _) in oldest { entries[key] = nil }
    }
}
