/// A failure of the audit writer or one of its sinks. The gateway treats any of
/// these as "cannot audit" and fails closed: an unaudited decision is not made.
public struct AuditError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case closed = "closed"
        case openFailed = "open_failed"
        case writeFailed = "write_failed"
        case syncFailed = "sync_failed"
        case resumeFailed = "resume_failed"
        /// Retention could not delete expired files; they are kept (nothing is lost).
        case pruneFailed = "prune_failed"
        /// At start-up, a complete line of the file the writer would continue does not
        /// verify (edited, removed or inserted records): tamper evidence is not repaired.
        case chainBroken = "chain_broken"
    }

    public let code: Code
    public let message: String
    /// For `chainBroken`: the file and line that fail, as `rta-gateway audit verify` reports them.
    public let chainBreak: AuditChainBreak?

    public init(_ code: Code, _ message: String, chainBreak: AuditChainBreak? = nil) {
        self.code = code
        self.message = message
        self.chainBreak = chainBreak
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
