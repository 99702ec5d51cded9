/// The first place an audit chain fails to verify: which file, which line
/// (1-based; 0 when the file itself is unreadable) and why.
public struct AuditChainBreak: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case unreadable = "unreadable"
        case truncated = "truncated"
        case malformed = "malformed"
        case notCanonical = "not_canonical"
        case hashMismatch = "hash_mismatch"
        case prevMismatch = "prev_mismatch"
        case seqMismatch = "seq_mismatch"
    }

    public let file: String
    public let line: Int
    public let code: Code
    public let message: String

    public var description: String { "\(file):\(line): \(code.rawValue): \(message)" }
}
