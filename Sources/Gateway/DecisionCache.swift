import GatewayPolicy
import NIOCore
import RTATokens
import Synchronization

/// Policy decisions reused for a session's repeated requests.
///
/// Why: mapping a request to Cedar and evaluating it is the largest share of what
/// enforcement costs a request in the running gateway (docs/benchmarks.md), and an
/// agent typically repeats the same calls.
///
/// Sound because a decision is a function of its key: the session id fixes the
/// principal, agent metadata, chain and scopes (never changed after the exchange); the
/// context hash covers every signal and claim policy reads and the policy epoch; the
/// epoch also fixes the static entities; route, method and path fix action, resource
/// and the request's context fields; the client's address is in the key because QUIC
/// migration can change it (the socket address itself, port included: its text form is
/// only made when a decision is evaluated). The one input left out, `context.time`, is why the caller
/// only uses the cache when the snapshot's policies cannot read it
/// (`PolicySnapshot.readsTime`).
///
/// Bounded: at `capacity` entries the cache is emptied and refilled, which costs one
/// evaluation per live key and needs no bookkeeping per hit.
final class DecisionCache: Sendable {
    struct Key: Hashable, Sendable {
        var session: SessionID
        var contextHash: ContextHash
        var epoch: UInt64
        var route: String
        var method: String
        var path: String
        var clientAddress: SocketAddress?
    }

    let capacity: Int
    private let entries: Mutex<[Key: PolicyDecision]>

    init(capacity: Int = 4_096) {
        self.capacity = max(1, capacity)
        self.entries = Mutex([:])
    }

    func decision(for key: Key) -> PolicyDecision? {
        entries.withLock { $0[key] }
    }

    func store(_ decision: PolicyDecision, for key: Key) {
        let capacity = self.capacity
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = decision
        }
    }

    var count: Int { entries.withLock { $0.count } }
}
