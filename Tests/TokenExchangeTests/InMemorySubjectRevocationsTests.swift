import Testing
import TokenExchange

@Suite struct InMemorySubjectRevocationsTests {
    @Test func notBeforeKeepsTheLatestTime() async {
        let store = InMemorySubjectRevocations()
        let alice = RevokedSubject.issuerSubject(issuer: "https://idp", sub: "alice")
        await store.revokeTokens(of: alice, issuedBefore: 2_000)
        await store.revokeTokens(of: alice, issuedBefore: 1_000)
        #expect(await store.status(of: alice) == SubjectStatus(notBefore: 2_000))
        #expect(await store.status(of: .issuerSubject(issuer: "https://other", sub: "alice")) == SubjectStatus())
    }

    @Test func disableLastsUntilEnableAndKeepsNotBefore() async {
        let store = InMemorySubjectRevocations()
        await store.revokeTokens(of: .email("Alice@Example.com"), issuedBefore: 5)
        await store.disable(.email("alice@example.COM"), at: 7)
        #expect(await store.status(of: .email("ALICE@example.com")) == SubjectStatus(notBefore: 5, disabledAt: 7))
        await store.enable(.email("alice@example.com"))
        #expect(await store.status(of: .email("alice@example.com")) == SubjectStatus(notBefore: 5))
    }
}
