/// A session is active until revoked; revocation is final (a store never
/// re-activates a session).
public enum SessionState: Sendable, Equatable {
    case active
    case revoked(RevocationReason)
}

/// Why and when a session ended, in the words the agent sees on the event stream
/// (`revoked` event: `reason`, `event`, `jti`, PROTOCOL.md §6) and the audit log.
public struct RevocationReason: Sendable, Equatable {
    /// Short stable reason, e.g. `session-revoked`, `admin`, `idle_timeout`, `absolute_timeout`.
    public var reason: String
    /// The SET event type URI that caused it, if a signal did.
    public var event: String?
    /// The SET `jti`, if a signal did.
    public var jti: String?
    /// Set on descendants revoked because this ancestor was.
    public var cascadedFrom: SessionID?
    /// UNIX ms.
    public var at: UInt64

    public init(reason: String, event: String? = nil, jti: String? = nil, cascadedFrom: SessionID? = nil, at: UInt64) {
        self.reason = reason
        self.event = event
        self.jti = jti
        self.cascadedFrom = cascadedFrom
        self.at = at
    }

    public static let idleTimeout = "idle_timeout"
    public static let absoluteTimeout = "absolute_timeout"
}
