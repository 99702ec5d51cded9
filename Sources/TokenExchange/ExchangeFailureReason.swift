/// The fine-grained, stable cause of a refused exchange: what the audit record's
/// `reason` says and what tests match on. The client only sees the coarser
/// `OAuthError.Code` and the human description.
public enum ExchangeFailureReason: String, Sendable, CaseIterable {
    // Form and parameters (invalid_request / unsupported_grant_type).
    case malformedBody = "malformed_body"
    case duplicateParameter = "duplicate_parameter"
    case missingParameter = "missing_parameter"
    case emptyParameter = "empty_parameter"
    case unsupportedGrantType = "unsupported_grant_type"
    case unsupportedTokenType = "unsupported_token_type"
    case badAgentID = "bad_agent_id"
    case badAgentMeta = "bad_agent_meta"
    case badNonce = "bad_nonce"
    case badPoPKey = "bad_pop_key"
    case badScope = "bad_scope"
    case nonceReplayed = "nonce_replayed"

    // Subject token (invalid_grant).
    case malformedJWT = "malformed_jwt"
    case unknownIssuer = "unknown_issuer"
    case disallowedAlgorithm = "disallowed_algorithm"
    case disallowedTokenType = "disallowed_token_type"
    case unknownKeyID = "unknown_key_id"
    case badSignature = "bad_signature"
    case wrongIssuer = "wrong_issuer"
    case wrongAudience = "wrong_audience"
    case tokenExpired = "token_expired"
    case tokenNotYetValid = "token_not_yet_valid"
    case missingClaim = "missing_claim"
    case inactiveToken = "inactive_token"
    case opaqueTokenWithoutIntrospection = "opaque_token_without_introspection"
    case invalidParentToken = "invalid_parent_token"
    case delegationLoop = "delegation_loop"
    case delegationTooDeep = "delegation_too_deep"

    // Scope (invalid_scope).
    case scopeEscalation = "scope_escalation"

    // Subject state (access_denied).
    case subjectRevoked = "subject_revoked"
    case accountDisabled = "account_disabled"
    case agentNotVerified = "agent_not_verified"
    case subjectSessionLimit = "subject_session_limit"
    case subjectExchangeLimit = "subject_exchange_limit"

    // Ours or the IdP's (temporarily_unavailable).
    case identityProviderUnavailable = "identity_provider_unavailable"
    case sessionStoreUnavailable = "session_store_unavailable"
    case replayStoreFull = "replay_store_full"
}
