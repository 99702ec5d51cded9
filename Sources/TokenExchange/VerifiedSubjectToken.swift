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
    /// The OAuth client the token was issued to (RFC 9068 `client_id`, else `azp`): what
    /// an `agent_id` is checked against (`AgentBinding`).
    public var clientID: String?
    /// `email` when the token proves it (verified, or the IdP is authoritative for email):
    /// only then does an email-keyed revocation apply to the token.
    public var provenEmail: String?
    /// `phone_number` when `phone_number_verified` is true.
    public var provenPhoneNumber: String?

    public init(
        subject: Subject, scopes: [String], claims: [String: ClaimValue], issuedAt: UInt64?, clientID: String? = nil,
        provenEmail: String? = nil, provenPhoneNumber: String? = nil
    ) {
        self.subject = subject
        self.scopes = scopes
        self.claims = claims
        self.issuedAt = issuedAt
        self.clientID = clientID
        self.provenEmail = provenEmail
        self.provenPhoneNumber = provenPhoneNumber
    }
}
