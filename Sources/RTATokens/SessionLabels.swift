/// The text forms of a session's identity, made once per session instead of once per
/// request: every allowed request sends them upstream as `RTA-Session`, `RTA-Subject`
/// and `RTA-Chain` (PROTOCOL.md §7) and writes them to its audit record (§8).
public struct SessionLabels: Sendable, Equatable {
    /// The session id as 32 lowercase hex digits.
    public let session: String
    /// `issuer|sub` (`Subject.label`).
    public let subject: String
    /// The delegation chain, comma-separated.
    public let chain: String

    init(id: SessionID, subject: Subject, chain: [String]) {
        self.session = id.hex
        self.subject = subject.label
        self.chain = chain.joined(separator: ",")
    }
}
