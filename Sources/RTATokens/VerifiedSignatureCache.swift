import Sodium
import Synchronization

/// The tokens whose signatures were verified on one connection (PROTOCOL.md §1 lets
/// a gateway skip re-verifying the exact same 128 bytes). Keyed by all 128 bytes,
/// signature included, so a forged signature on a known prefix is never a hit.
///
/// Only the signature step is skipped: age, session, context and binding are checked
/// on every request. Bounded (oldest evicted first) so a client cycling tokens cannot
/// grow it. One instance per connection; streams of a connection may validate
/// concurrently, hence the lock.
///
/// A short list scanned with a constant-time compare rather than a hash set: with a
/// handful of entries (one, for an agent that keeps its token) comparing 128 bytes is
/// cheaper than hashing them on every request.
public final class VerifiedSignatureCache: Sendable {
    private struct State {
        /// Oldest first.
        var entries: [[UInt8]] = []
    }

    public let capacity: Int
    private let state = Mutex(State())

    public init(capacity: Int = 8) {
        self.capacity = max(1, capacity)
    }

    public func contains(_ token: RTAToken) -> Bool {
        state.withLock { $0.entries.contains { ConstantTime.equals($0, token.bytes) } }
    }

    public func insert(_ token: RTAToken) {
        let capacity = self.capacity
        state.withLock { state in
            guard !state.entries.contains(where: { ConstantTime.equals($0, token.bytes) }) else { return }
            state.entries.append(token.bytes)
            if state.entries.count > capacity { state.entries.removeFirst() }
        }
    }

    public var count: Int {
        state.withLock { $0.entries.count }
    }
}
