import RTATokens

/// What a verified IdP access token says, reduced to what the session needs.
public struct VerifiedSubjectToken: Sendable, Equatable {
    public var subject: Subject
    /// From `scope` (space-separated) or `scp` (array), deduplicated, order kept.
    public var scopes: [String]
    /// The configured policy claims the token carried.
    public var claims: [String: ClaimValue]
    /// `iat` in UNIX ms, if the token (or introspection) stated it; compared with
    /// the subject's not-before time.
    public var issuedAt: UInt64?

    public init(subject: Subject, scopes: [String], claims: [String: ClaimValue], issuedAt: UInt64?) {
        self.subject = subject
        self.scopes = scopes
        self.claims = claims
        self.issuedAt = issuedAt
    }
}
