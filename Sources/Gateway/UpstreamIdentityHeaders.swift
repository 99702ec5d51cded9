import RTATokens

/// The `RTA-*` fields an allowed request carries upstream (PROTOCOL.md §7), so the
/// upstream learns who is calling without ever seeing the token.
enum UpstreamIdentityHeaders {
    static func fields(for session: Session, decisionID: String) -> [(name: String, value: String)] {
        [
            ("rta-subject", session.labels.subject),
            ("rta-agent", session.agentID),
            ("rta-session", session.labels.session),
            ("rta-chain", session.labels.chain),
            ("rta-decision", decisionID),
        ]
    }
}
