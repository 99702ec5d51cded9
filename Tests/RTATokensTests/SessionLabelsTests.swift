import RTATokens
import Testing

/// The labels are made once per session, so they must follow every change of the
/// facts they spell, or upstreams and the audit log would name a stale subject or chain.
struct SessionLabelsTests {
    @Test func labelsSpellTheSessionsIdentity() throws {
        let id = try SessionID(hex: "00112233445566778899aabbccddeeff")
        let session = makeSession(id: id)
        #expect(session.labels.session == "00112233445566778899aabbccddeeff")
        #expect(session.labels.subject == "https://idp.example|alice")
        #expect(session.labels.chain == "alice,agent-1")
        #expect(session.subject.label == session.labels.subject)
    }

    @Test func labelsFollowChangesOfSubjectAndChain() {
        var session = makeSession()
        session.subject.sub = "bob"
        session.chain.append("helper")
        #expect(session.labels.subject == "https://idp.example|bob")
        #expect(session.labels.chain == "alice,agent-1,helper")
        session.agentID = "agent-2"
        #expect(session.labels.chain == "alice,agent-1,helper", "the agent id is not part of any label")
    }
}
