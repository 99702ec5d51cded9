/// A destination for audit lines. Only the writer's thread calls a sink, one call at
/// a time, so implementations may block (write(2), fsync(2)) without stalling
/// request handling.
public protocol AuditSink: Sendable {
    /// Appends complete lines (each ends with `\n`) in order. A line is never split
    /// across files.
    func write(lines: [[UInt8]]) throws(AuditError)
    /// Makes everything written so far durable (fsync).
    func sync() throws(AuditError)
    /// Syncs and releases the destination; no calls follow.
    func close() throws(AuditError)
}
