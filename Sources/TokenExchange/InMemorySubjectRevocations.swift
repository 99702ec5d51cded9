/// The in-process `SubjectRevocations` for a single gateway instance. Entries are
/// never dropped: a not-before time must outlive every IdP token issued before it,
/// and the set of revoked subjects is small next to the set of sessions.
public actor InMemorySubjectRevocations: SubjectRevocations {
    private var statuses: [RevokedSubject: SubjectStatus] = [:]

    public init() {}

    public func revokeTokens(of subject: RevokedSubject, issuedBefore time: UInt64) {
        let key = subject.normalized
        var status = statuses[key] ?? SubjectStatus()
        status.notBefore = max(status.notBefore ?? 0, time)
        statuses[key] = status
    }

    public func disable(_ subject: RevokedSubject, at time: UInt64) {
        let key = subject.normalized
        var status = statuses[key] ?? SubjectStatus()
        status.disabledAt = status.disabledAt ?? time
        statuses[key] = status
    }

    public func enable(_ subject: RevokedSubject) {
        statuses[subject.normalized]?.disabledAt = nil
    }

    public func status(of subject: RevokedSubject) -> SubjectStatus {
        statuses[subject.normalized] ?? SubjectStatus()
    }
}
