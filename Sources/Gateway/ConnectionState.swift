import GatewayPolicy
import RTATokens
import Synchronization

/// What the gateway keeps per QUIC connection between its requests: the token
/// signatures already verified on it (PROTOCOL.md §1 lets a connection skip
/// re-verifying the same bytes) and the last policy decision it was given.
///
/// Why the last decision: an agent mostly repeats one call on its connection, and
/// comparing a request's `DecisionCache.Key` with the previous one costs less than
/// hashing it into the shared cache. Sound for the same reason the shared cache is: a
/// decision is a function of its key. Streams of a connection run concurrently, hence
/// the lock.
final class ConnectionState: Sendable {
    let signatures = VerifiedSignatureCache()
    private let lastDecision = Mutex<(key: DecisionCache.Key, decision: PolicyDecision)?>(nil)

    /// The decision last remembered here, if it was for `key`.
    func decision(for key: DecisionCache.Key) -> PolicyDecision? {
        lastDecision.withLock { last in
            guard let last, last.key == key else { return nil }
            return last.decision
        }
    }

    func remember(_ decision: PolicyDecision, for key: DecisionCache.Key) {
        lastDecision.withLock { $0 = (key, decision) }
    }
}
