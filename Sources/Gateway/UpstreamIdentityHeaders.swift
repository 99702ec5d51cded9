import RTATokens

/// The `RTA-*` fields an allowed request carries upstream (PROTOCOL.md §7), so the
/// upstream learns who is calling without ever seeing the token.
enum UpstreamIdentityHeaders {
    static func fields(for session: Session, decisionID: String) -> [(name: String, value: String)] {
        [
            ("rta-subject", AuditTrail.subjectLabel(session.subject)),
            ("rta-agent", session.agentID),
            ("rta-session", session.id.hex),
            ("rta-chain", session.chain.joined(separator: ",")),
            ("rta-decision", decisionID),
        ]
    }
}
