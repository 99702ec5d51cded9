import RTATokens
import Testing
import TokenExchange

@Suite struct SubjectExchangeQuotaTests {
    let alice = SubjectExchangeQuota.Key(Subject(issuer: "https://idp.test", sub: "alice"))
    let bob = SubjectExchangeQuota.Key(Subject(issuer: "https://idp.test", sub: "bob"))

    @Test func admissionsAreCappedPerSubjectWithinTheWindow() {
        let time = NonceReplayStoreTests.ManualClock()
        let quota = SubjectExchangeQuota(maxSessions: 10, maxExchanges: 2, window: 1_000, clock: time.clock)
        #expect(quota.admit(alice))
        time.advance(500)
        #expect(quota.admit(alice))
        #expect(!quota.admit(alice), "a third within the window")
        #expect(quota.admit(bob), "another subject has its own quota")
        time.advance(500)
        #expect(quota.admitted(alice) == 1, "the first admission expired")
        #expect(quota.admit(alice))
        time.advance(1_000)
        #expect(quota.admitted(alice) == 0 && quota.admitted(bob) == 0)
    }

    @Test func inFlightExchangesAreCountedUntilTheyLeave() {
        let quota = SubjectExchangeQuota(maxSessions: 10, maxExchanges: 10, window: 1_000)
        #expect(quota.enter(alice) == 0)
        #expect(quota.enter(alice) == 1)
        #expect(quota.enter(bob) == 0)
        quota.leave(alice)
        #expect(quota.enter(alice) == 1)
        quota.leave(alice)
        quota.leave(alice)
        #expect(quota.enter(alice) == 0)
    }
}
