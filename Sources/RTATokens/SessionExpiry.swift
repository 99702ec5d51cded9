/// How long a session lives without a new token exchange: `idle` since the last
/// accepted request, `absolute` since creation (both ms). Bounds the damage of a
/// session nobody revokes.
public struct SessionExpiry: Sendable, Equatable {
    public var idle: UInt64
    public var absolute: UInt64

    public init(idle: UInt64 = 30 * 60_000, absolute: UInt64 = 24 * 3_600_000) {
        self.idle = idle
        self.absolute = absolute
    }

    /// The reason the session has expired at `now`, or nil while it is alive.
    public func expiryReason(of session: Session, now: UInt64) -> String? {
        if now >= session.createdAt &+ absolute { return RevocationReason.absoluteTimeout }
        if now >= session.lastActiveAt &+ idle { return RevocationReason.idleTimeout }
        return nil
    }
}
