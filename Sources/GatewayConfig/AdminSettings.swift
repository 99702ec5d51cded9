/// The `admin` section: the operator API on the control listener (sessions by subject,
/// revoke, recent signals; docs/admin.md). Its absence turns the API off (404), so a
/// control port exposed by mistake never offers revocation to anonymous callers.
public struct AdminSettings: Sendable, Hashable {
    /// Every admin request must send `Authorization: Bearer <token>`; read from
    /// `token_file` (trailing newline removed) or given inline as `token`.
    public var token: String
    /// How many recent signal outcomes `GET /admin/signals` keeps.
    public var recentSignals: Int

    public static let defaultRecentSignals = 1_000

    public init(token: String, recentSignals: Int = defaultRecentSignals) {
        self.token = token
        self.recentSignals = recentSignals
    }
}
