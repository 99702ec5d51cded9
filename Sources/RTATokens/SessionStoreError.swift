/// A session-store operation that could not be applied. Distinct from `TokenError`:
/// a storage failure is the gateway's problem (503), not the token's (401).
public struct SessionStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case unknownSession = "unknown_session"
        case duplicateSession = "duplicate_session"
        case parentNotActive = "parent_not_active"
        case sessionRevoked = "session_revoked"
        case revisionConflict = "revision_conflict"
        case tokenMismatch = "token_mismatch"
        case backendUnavailable = "backend_unavailable"
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
