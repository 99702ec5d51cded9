import Synchronization

/// The tokens whose signatures were verified on one connection (PROTOCOL.md §1 lets
/// a gateway skip re-verifying the exact same 128 bytes). Keyed by all 128 bytes,
/// signature included, so a forged signature on a known prefix is never a hit.
///
/// Only the signature step is skipped: age, session, context and binding are checked
/// on every request. Bounded (oldest evicted first) so a client cycling tokens cannot
/// grow it. One instance per connection; streams of a connection may validate
/// concurrently, hence the lock.
public final class VerifiedSignatureCache: Sendable {
    private struct State {
        var entries: Set<[UInt8]> = []
        var order: [[UInt8]] = []
    }

    public let capacity: Int
    private let state = Mutex(State())

    public init(capacity: Int = 8) {
        self.capacity = max(1, capacity)
    }

    public func contains(_ token: RTAToken) -> Bool {
        state.withLock { $0.entries.contains(token.bytes) }
    }

    public func insert(_ token: RTAToken) {
        let capacity = self.capacity
        state.withLock { state in
            guard state.entries.insert(token.bytes).inserted else { return }
            state.order.append(token.bytes)
            if state.order.count > capacity {
                state.entries.remove(state.order.removeFirst())
            }
        }
    }

    public var count: Int {
        state.withLock { $0.entries.count }
    }
}
