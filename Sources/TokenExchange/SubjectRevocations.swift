/// Who a revocation names: RFC 9493 `iss_sub` or `email` (PROTOCOL.md §5 subject
/// formats). An exchange checks both the token's issuer+subject and its email.
public enum RevokedSubject: Sendable, Hashable {
    case issuerSubject(issuer: String, sub: String)
    /// Compared case-insensitively (stored lowercased), like `SessionStore` email lookups.
    case email(String)

    /// The normalised key: emails lowercased.
    public var normalized: RevokedSubject {
        switch self {
        case .issuerSubject: self
        case .email(let address): .email(address.lowercased())
        }
    }
}

/// What the revocation state says about one subject.
public struct SubjectStatus: Sendable, Equatable {
    /// UNIX ms: IdP tokens issued before this must not buy a session.
    public var notBefore: UInt64?
    /// UNIX ms when RISC `account-disabled`/`account-purged` arrived; nil when enabled.
    public var disabledAt: UInt64?

    public init(notBefore: UInt64? = nil, disabledAt: UInt64? = nil) {
        self.notBefore = notBefore
        self.disabledAt = disabledAt
    }
}

/// Subject-level revocation state (PROTOCOL.md §2, §5): a not-before time per
/// subject, recorded by every revoking signal, and an account-disabled flag set by
/// `account-disabled`/`account-purged` and cleared by `account-enabled`.
///
/// Session revocation alone is not enough: an IdP access token lives up to an hour,
/// and without this a revoked user would exchange it again for a fresh session.
/// The signal handler writes; the token exchange reads.
public protocol SubjectRevocations: Sendable {
    /// Records that tokens issued before `time` (UNIX ms) are dead. Keeps the later
    /// of the stored and the new time, so a delayed signal never shortens a revocation.
    func revokeTokens(of subject: RevokedSubject, issuedBefore time: UInt64) async

    /// Refuses new exchanges for the subject until `enable`.
    func disable(_ subject: RevokedSubject, at time: UInt64) async

    /// Clears the disabled flag (the not-before time stays).
    func enable(_ subject: RevokedSubject) async

    func status(of subject: RevokedSubject) async -> SubjectStatus
}
