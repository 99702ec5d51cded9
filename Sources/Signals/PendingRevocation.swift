import RTATokens

/// A slice of the sessions a revocation SET is about to revoke, told before the store
/// is written (`SignalProcessor`'s `announce`, once per slice the subject resolver
/// reads), so the gateway can send their `revoked` events and refuse their requests
/// while the rest are read and the store records the revocation. The `202` still waits
/// for all of it (PROTOCOL.md §5); descendants the store's cascade reaches are in the
/// outcome, not here.
public struct PendingRevocation: Sendable, Equatable {
    public let sessions: [SessionID]
    /// The event type's last path segment, e.g. `session-revoked` (as in `SignalOutcome`).
    public let reason: String
    public let eventType: String
    public let jti: String
}
