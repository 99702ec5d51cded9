/// A failure of the audit writer or one of its sinks. The gateway treats any of
/// these as "cannot audit" and fails closed: an unaudited decision is not made.
public struct AuditError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case closed = "closed"
        case openFailed = "open_failed"
        case writeFailed = "write_failed"
        case syncFailed = "sync_failed"
        case resumeFailed = "resume_failed"
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
