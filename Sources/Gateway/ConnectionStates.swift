import RTATokens
import Synchronization

/// One `VerifiedSignatureCache` per QUIC connection (PROTOCOL.md §1 lets a connection
/// skip re-verifying the exact token bytes it already verified).
///
/// Bounded, oldest connection evicted first: the map cannot grow with connection churn,
/// and an evicted connection merely verifies its next signature again.
final class ConnectionSignatureCaches: Sendable {
    private struct State {
        var caches: [UInt64: VerifiedSignatureCache] = [:]
        var order: [UInt64] = []
    }

    let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int = 1_024) {
        self.capacity = max(1, capacity)
    }

    /// The connection's cache, created on first use.
    func cache(for connectionID: UInt64) -> VerifiedSignatureCache {
        let capacity = self.capacity
        return state.withLock { state in
            if let existing = state.caches[connectionID] { return existing }
            let created = VerifiedSignatureCache()
            state.caches[connectionID] = created
            state.order.append(connectionID)
            if state.order.count > capacity {
                state.caches[state.order.removeFirst()] = nil
            }
            return created
        }
    }
}
