import Foundation

/// One key a revocation is recorded under, and an exchange checks: RFC 9493 subject
/// formats reduced to what an IdP token can prove (PROTOCOL.md §2, §5).
///
/// Keys written by a signal are scoped to an IdP issuer, because a transmitter may
/// speak only for the issuers it is bound to (`signals.transmitters[].subject_issuers`):
/// an email revoked by one IdP's transmitter must not lock out the same address at
/// another IdP. `email` without an issuer is the operator's (admin API) and covers
/// every IdP.
public enum RevokedSubject: Sendable, Hashable {
    case issuerSubject(issuer: String, sub: String)
    /// Any IdP's token that proves this address (admin API). Compared case-insensitively.
    case email(String)
    /// Tokens of `issuer` that prove this address (verified, or the IdP is authoritative).
    case issuerEmail(issuer: String, email: String)
    /// Tokens of `issuer` whose `phone_number` is verified (`phone_number_verified`).
    case issuerPhoneNumber(issuer: String, phoneNumber: String)
    /// Tokens of `issuer` carrying this IdP session id (`sid`): an `opaque` or
    /// `complex.session` SET names one IdP session, never the principal's next login.
    case identityProviderSession(issuer: String, sid: String)

    /// The normalised key: emails trimmed and lowercased, phone numbers without spaces.
    public var normalized: RevokedSubject {
        switch self {
        case .issuerSubject, .identityProviderSession: self
        case .email(let address): .email(Self.canonicalEmail(address))
        case .issuerEmail(let issuer, let address): .issuerEmail(issuer: issuer, email: Self.canonicalEmail(address))
        case .issuerPhoneNumber(let issuer, let number):
            .issuerPhoneNumber(issuer: issuer, phoneNumber: number.filter { !$0.isWhitespace })
        }
    }

    /// The address compared case-insensitively, surrounding whitespace dropped (the
    /// rule `SessionStore` email lookups and SET subjects follow).
    public static func canonicalEmail(_ address: String) -> String {
        address.trimmingCharacters(in: .whitespaces).lowercased()
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
/// `account-disabled`/`account-purged` and cleared by `account-enabled`, each under
/// every key the signal names (`RevokedSubject`).
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
