/// A SET whose signature, issuer, audience, typing and shape all checked out: the
/// only form in which a signal reaches the session store.
public struct VerifiedSET: Sendable, Equatable {
    public let issuer: String
    public let jti: String
    /// UNIX ms.
    public let issuedAt: UInt64
    public let audience: [String]
    /// SSF §4.1.9 transaction id, for correlating SETs with one cause in the audit log.
    public let transaction: String?
    public let algorithm: SETAlgorithm
    public let subject: SubjectIdentifier
    public let event: SecurityEvent
}
