/// Who the session acts for: the IdP issuer and subject, plus the identifiers that
/// SSF events may name instead (RFC 9493 `email`, the IdP session id `sid`).
public struct Subject: Sendable, Hashable {
    public var issuer: String
    public var sub: String
    public var email: String?
    public var sid: String?

    public init(issuer: String, sub: String, email: String? = nil, sid: String? = nil) {
        self.issuer = issuer
        self.sub = sub
        self.email = email
        self.sid = sid
    }

    /// `issuer|sub`: how the audit log (docs/audit.md) and `RTA-Subject` (PROTOCOL.md §7)
    /// name a subject.
    public var label: String {
        issuer + "|" + sub
    }
}
