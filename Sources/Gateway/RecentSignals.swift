import Foundation
import Synchronization

/// The last N signals handled, newest last, for `GET /admin/signals` (operators ask
/// "did the IdP's revocation arrive, and what did it do?" without grepping the audit log).
final class RecentSignals: Sendable {
    struct Summary: Sendable, Codable, Equatable {
        var ts: UInt64
        /// `push-control`, `push-quic` or `poll`.
        var via: String
        var issuer: String?
        var jti: String?
        var event: String?
        var subject: String?
        /// `revoked`, `account_disabled`, `context_updated`, `duplicate`, `none`, `rejected`, `unavailable`…
        var effect: String
        var status: Int?
        var revokedSessions: Int
        var updatedSessions: Int
        var description: String
    }

    private let capacity: Int
    private let items = Mutex<[Summary]>([])

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    func append(_ summary: Summary) {
        items.withLock { items in
            items.append(summary)
            if items.count > capacity { items.removeFirst(items.count - capacity) }
        }
    }

    /// Up to `limit` newest summaries, oldest first.
    func latest(_ limit: Int) -> [Summary] {
        items.withLock { Array($0.suffix(max(0, limit))) }
    }
}
