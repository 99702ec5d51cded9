/// What one `SessionStore.purge(limit:)` step did.
public struct SessionPurge: Sendable, Equatable {
    /// Sessions deleted in this step (revoked or expired), sorted.
    public var deleted: [SessionID]
    /// True when this step visited the last session of the sweep.
    public var sweepFinished: Bool

    public init(deleted: [SessionID], sweepFinished: Bool) {
        self.deleted = deleted
        self.sweepFinished = sweepFinished
    }
}
