/// When the writer fsyncs its sinks: a trade between throughput and how many
/// records a power loss may take with it.
public enum AuditSyncPolicy: Sendable, Equatable {
    /// Leave it to the OS (records survive a process crash, not a power loss).
    case never
    /// After every batch the writer takes from the queue, before the next: no record
    /// stays unsynced while the writer is idle (group commit: one fsync may cover
    /// several records that arrived together).
    case everyRecord
    /// At most this many milliseconds after a record is written.
    case interval(milliseconds: UInt64)
}
