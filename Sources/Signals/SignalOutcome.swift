import RTATokens
import TokenExchange

/// What one SET did, for the lead's three follow-ups: one audit record per SET
/// (PROTOCOL.md §8, kind `signal`), an SSE `revoked` event plus a stream reset for
/// every id in `revokedSessions`, and an SSE `token` event for every `updatedSessions`
/// entry (after policy re-evaluation, which may turn it into a revocation).
public struct SignalOutcome: Sendable, Equatable {
    /// The effect class, for audit `decision` and metrics.
    public enum Effect: Sendable, Equatable {
        /// Matching sessions revoked and the subject's not-before recorded.
        case revoked
        /// As `revoked`, and new exchanges refused until `account-enabled`.
        case accountDisabled
        case accountEnabled
        /// Session contexts changed; fresh tokens issued.
        case contextUpdated
        /// Accepted, nothing to do (unknown or informational type, control event).
        case none
        /// A resent SET: acknowledged again, nothing applied the second time.
        case duplicate
    }

    /// The SET event-type URI (SSE `revoked` `event`).
    public let eventType: String
    public let jti: String
    public let issuer: String
    public let transaction: String?
    public let subject: SubjectIdentifier
    public let effect: Effect
    /// Every session that went from active to revoked, descendants included.
    public let revokedSessions: [SessionID]
    /// Short stable reason for the SSE `revoked` event and the audit log, e.g. `session-revoked`.
    public let revocationReason: String?
    /// Sessions whose context changed, each with the token now current for it.
    public let updatedSessions: [SessionTokenUpdate]
    /// Subjects whose not-before, disabled or enabled state was written.
    public let subjectChanges: [RevokedSubject]
    /// One line for operators: what was done and why.
    public let effectDescription: String
    /// The sessions a revocation matched, as read before it: the audit records are
    /// built from them instead of reading 1,000 sessions again before the `202`
    /// (descendants revoked with them are not in it).
    public var matchedSessions: [Session] = []
}

/// A session whose context hash changed and the token to push for it (SSE `token`).
public struct SessionTokenUpdate: Sendable, Equatable {
    public let session: SessionID
    public let token: RTAToken
}
