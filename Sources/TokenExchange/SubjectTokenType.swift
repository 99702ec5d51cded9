/// The `subject_token_type` values PROTOCOL.md §2 accepts (RFC 8693 §3 URIs).
public enum SubjectTokenType: String, Sendable, CaseIterable {
    /// An IdP access token: a JWT (verified locally) or an opaque token (introspected).
    case accessToken = "urn:ietf:params:oauth:token-type:access_token"
    /// An IdP token that must be a JWT.
    case jwt = "urn:ietf:params:oauth:token-type:jwt"
    /// An RTAToken of a session on this connection: sub-delegation.
    case rta = "urn:ietf:params:oauth:token-type:rta"
}
