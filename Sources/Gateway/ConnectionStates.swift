import Synchronization

/// One `ConnectionState` per QUIC connection, created on its first checked request.
///
/// Bounded, oldest connection evicted first: the map cannot grow with connection churn,
/// and an evicted connection merely verifies its next signature and looks up its next
/// decision again.
final class ConnectionStates: Sendable {
    private struct State {
        var states: [UInt64: ConnectionState] = [:]
        var order: [UInt64] = []
    }

    let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int = 1_024) {
        self.capacity = max(1, capacity)
    }

    /// The connection's state, created on first use.
    func state(for connectionID: UInt64) -> ConnectionState {
        let capacity = self.capacity
        return state.withLock { state in
            if let existing = state.states[connectionID] { return existing }
            let created = ConnectionState()
            state.states[connectionID] = created
            state.order.append(connectionID)
            if state.order.count > capacity {
                state.states[state.order.removeFirst()] = nil
            }
            return created
        }
    }
}
