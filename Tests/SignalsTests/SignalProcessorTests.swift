import Foundation
import RTATokens
import SSFTransmitter
import Synchronization
@testable import Signals
import Testing
import TokenExchange

/// Each event type's effect (PROTOCOL.md §5) on a populated session store.
@Suite struct SignalProcessorTests {
    @Test(arguments: [
        SecurityEventType.sessionRevoked, SecurityEventType.credentialCompromise,
        SecurityEventType.accountCredentialChangeRequired, SecurityEventType.sessionsRevoked,
        SecurityEventType.credentialChange,
    ])
    func revokingEventsRevokeEverySessionOfTheSubjectAndItsDescendants(type: String) async throws {
        let harness = try await SignalsHarness.start()
        let payload: [String: TransmitterJSON] = switch type {
        case SecurityEventType.credentialCompromise: ["credential_type": "password"]
        case SecurityEventType.credentialChange: ["credential_type": "fido2-roaming", "change_type": "revoke"]
        default: [:]
        }
        let before = TokenClock.system.now()
        let result = try await harness.push(harness.recipe(type, payload: payload))
        #expect(result.response.status == 202)
        #expect(result.response.body.isEmpty)
        let outcome = try #require(result.outcome)
        #expect(outcome.effect == .revoked)
        #expect(Set(outcome.revokedSessions) == Set(harness.alice))
        #expect(outcome.eventType == type)
        #expect(try await harness.activeCount(harness.alice) == 0)
        #expect(try await harness.isActive(harness.bob))
        let revokedChild = try #require(try await harness.store.session(harness.alice[3]))
        guard case .revoked(let reason) = revokedChild.state else { Issue.record("child still active"); return }
        #expect(reason.cascadedFrom == harness.alice[0])
        #expect(reason.jti == outcome.jti)
        let status = await harness.revocations.status(of: .issuerSubject(issuer: idpIssuer, sub: "alice"))
        #expect(try #require(status.notBefore) >= before - 2_000)
        #expect(status.disabledAt == nil)
        #expect(await harness.revocations.status(of: .issuerEmail(issuer: idpIssuer, email: "alice@example.com")).notBefore != nil)
        await harness.shutdown()
    }

    /// The agents are told before the store is written: the gateway sends the `revoked`
    /// events from the announcement.
    @Test func aRevocationIsAnnouncedBeforeTheStoreIsWritten() async throws {
        let seen = Mutex<[(pending: PendingRevocation, activeThen: Int)]>([])
        let harness = try await SignalsHarness.start { pending, store in
            let active = pending.sessions.filter { store.session($0)?.isActive == true }.count
            seen.withLock { $0.append((pending, active)) }
        }
        let result = try await harness.push(harness.recipe(SecurityEventType.sessionRevoked))
        let outcome = try #require(result.outcome)
        let announced = try #require(seen.withLock { $0.first })
        #expect(seen.withLock { $0.count } == 1)
        #expect(Set(announced.pending.sessions) == Set(harness.alice))
        #expect(announced.activeThen == harness.alice.count, "announced while the store still had them active")
        #expect(announced.pending.reason == outcome.revocationReason && announced.pending.jti == outcome.jti)
        #expect(announced.pending.eventType == SecurityEventType.sessionRevoked)
        #expect(Set(outcome.revokedSessions) == Set(harness.alice))
        let informational = try await harness.push(harness.recipe(SecurityEventType.sessionEstablished))
        #expect(informational.response.status == 202)
        #expect(seen.withLock { $0.count } == 1, "only revocations are announced")
        await harness.shutdown()
    }

    @Test func aLargeSubjectIsAnnouncedSliceBySliceBeforeTheStoreIsWritten() async throws {
        let seen = Mutex<[(sessions: [SessionID], activeThen: Int)]>([])
        let harness = try await SignalsHarness.start { pending, store in
            let active = pending.sessions.filter { store.session($0)?.isActive == true }.count
            seen.withLock { $0.append((pending.sessions, active)) }
        }
        var many: [SessionID] = []
        for _ in 0..<100 {
            let id = SessionID.random()
            try await harness.insert(id, sub: "alice", email: nil, sid: nil, createdAt: TokenClock.system.now() - 60_000)
            many.append(id)
        }
        let outcome = try #require(try await harness.push(harness.recipe(SecurityEventType.sessionRevoked)).outcome)
        let slices = seen.withLock { $0 }
        #expect(slices.map(\.sessions.count) == [32, 72], "alice's 104 sessions: the first slice, then the rest")
        #expect(slices.allSatisfy { $0.activeThen == $0.sessions.count }, "each slice announced before the store wrote it")
        let announced = slices.flatMap(\.sessions)
        #expect(announced.count == Set(announced).count, "no session announced twice")
        #expect(Set(announced) == Set(harness.alice + many))
        #expect(Set(outcome.revokedSessions) == Set(harness.alice + many))
        await harness.shutdown()
    }

    @Test func sessionsCreatedAfterTheEventSurvive() async throws {
        let harness = try await SignalsHarness.start()
        let late = SessionID.random()
        try await harness.insert(late, sub: "alice", email: nil, sid: nil, createdAt: TokenClock.system.now())
        let eventTime = Int64(Date().timeIntervalSince1970) - 30
        let result = try await harness.push(harness.recipe(SecurityEventType.sessionRevoked, payload: ["event_timestamp": .integer(eventTime)]))
        #expect(result.outcome?.revokedSessions.count == 4)
        #expect(try await harness.isActive(late))
        await harness.shutdown()
    }

    @Test func complexSubjectWithSessionRevokesOnlyThatIdPSession() async throws {
        let harness = try await SignalsHarness.start()
        let subject = TransmitterJSON.complex(["user": .issSub(idpIssuer, "alice"), "session": .opaque("sid-alice-1")])
        let outcome = try #require(try await harness.push(harness.recipe(SecurityEventType.sessionRevoked, subject: subject)).outcome)
        #expect(Set(outcome.revokedSessions) == [harness.alice[0], harness.alice[1], harness.alice[3]])
        #expect(try await harness.isActive(harness.alice[2]))
        #expect(try await harness.isActive(harness.bob))
        // Session-scoped: alice may still log in again with an older IdP token, but not
        // with one of the revoked IdP session.
        #expect(await harness.revocations.status(of: .issuerSubject(issuer: idpIssuer, sub: "alice")).notBefore == nil)
        #expect(await harness.revocations.status(of: .issuerEmail(issuer: idpIssuer, email: "alice@example.com")).notBefore == nil)
        #expect(await harness.revocations.status(of: .identityProviderSession(issuer: idpIssuer, sid: "sid-alice-1")).notBefore != nil)
        await harness.shutdown()
    }

    @Test func complexSubjectOfAnotherUserMatchesNothing() async throws {
        let harness = try await SignalsHarness.start()
        let subject = TransmitterJSON.complex(["user": .issSub(idpIssuer, "bob"), "session": .opaque("sid-alice-1")])
        let outcome = try #require(try await harness.push(harness.recipe(SecurityEventType.sessionRevoked, subject: subject)).outcome)
        #expect(outcome.revokedSessions.isEmpty)
        #expect(try await harness.activeCount(harness.alice + [harness.bob]) == 5)
        await harness.shutdown()
    }

    @Test func accountDisabledRevokesAndBlocksUntilEnabled() async throws {
        let harness = try await SignalsHarness.start()
        let disabled = try await harness.push(harness.recipe(SecurityEventType.accountDisabled, payload: ["reason": "hijacking"],
                                                             subject: .email("ALICE@example.COM")))
        #expect(disabled.outcome?.effect == .accountDisabled)
        #expect(try await harness.activeCount(harness.alice) == 0)
        #expect(try await harness.isActive(harness.bob))
        #expect(await harness.revocations.status(of: .issuerEmail(issuer: idpIssuer, email: "alice@example.com")).disabledAt != nil)
        #expect(await harness.revocations.status(of: .issuerSubject(issuer: idpIssuer, sub: "alice")).disabledAt != nil)
        let enabled = try await harness.push(harness.recipe(SecurityEventType.accountEnabled, subject: .email("alice@example.com")))
        #expect(enabled.outcome?.effect == .accountEnabled)
        #expect(await harness.revocations.status(of: .issuerEmail(issuer: idpIssuer, email: "alice@example.com")).disabledAt == nil)
        #expect(await harness.revocations.status(of: .issuerSubject(issuer: idpIssuer, sub: "alice")).disabledAt == nil)
        #expect(try await harness.activeCount(harness.alice) == 0)
        await harness.shutdown()
    }

    @Test func accountPurgedRevokesAndDisables() async throws {
        let harness = try await SignalsHarness.start()
        let outcome = try #require(try await harness.push(harness.recipe(SecurityEventType.accountPurged)).outcome)
        #expect(outcome.effect == .accountDisabled)
        #expect(outcome.revokedSessions.count == 4)
        #expect(await harness.revocations.status(of: .issuerSubject(issuer: idpIssuer, sub: "alice")).disabledAt != nil)
        await harness.shutdown()
    }

    @Test func assuranceLevelChangeReissuesTokensForEverySession() async throws {
        let harness = try await SignalsHarness.start()
        let oldToken = try #require(try await harness.store.currentToken(harness.alice[0]))
        let outcome = try #require(try await harness.push(harness.recipe(SecurityEventType.assuranceLevelChange, payload: [
            "namespace": "NIST-AAL", "current_level": "nist-aal1", "previous_level": "nist-aal2", "change_direction": "decrease",
        ])).outcome)
        #expect(outcome.effect == .contextUpdated)
        #expect(Set(outcome.updatedSessions.map(\.session)) == Set(harness.alice))
        for update in outcome.updatedSessions {
            let session = try #require(try await harness.store.session(update.session))
            #expect(session.isActive)
            #expect(session.signals.assuranceLevel == "nist-aal1")
            #expect(update.token.contextHash == session.contextHash)
            #expect(try await harness.store.currentToken(update.session) == update.token)
        }
        #expect(try await harness.store.session(harness.alice[0])?.contextHash != oldToken.contextHash)
        #expect(try await harness.store.session(harness.bob)?.signals.assuranceLevel == "nist-aal2")
        await harness.shutdown()
    }

    @Test func deviceComplianceRiskAndClaimsChangesUpdateTheContext() async throws {
        let harness = try await SignalsHarness.start()
        _ = try await harness.push(harness.recipe(SecurityEventType.deviceComplianceChange,
                                                  payload: ["previous_status": "compliant", "current_status": "not-compliant"]))
        _ = try await harness.push(harness.recipe(SecurityEventType.riskLevelChange,
                                                  payload: ["principal": "USER", "current_level": "HIGH", "previous_level": "LOW"]))
        let claims = try await harness.push(harness.recipe(SecurityEventType.tokenClaimsChange,
                                                           payload: ["claims": ["role": "ro-admin", "groups": ["audit"]]]))
        #expect(claims.outcome?.updatedSessions.count == 4)
        let session = try #require(try await harness.store.session(harness.alice[2]))
        #expect(session.signals.deviceCompliance == .notCompliant)
        #expect(session.signals.riskLevel == .high)
        #expect(session.claims["role"] == .string("ro-admin"))
        #expect(session.claims["groups"] == .list([.string("audit")]))
        #expect(try await harness.activeCount(harness.alice) == 4)
        let bob = try #require(try await harness.store.session(harness.bob))
        #expect(bob.signals.riskLevel == .low && bob.signals.deviceCompliance == .compliant)
        await harness.shutdown()
    }

    @Test func repeatedContextChangeDoesNotReissue() async throws {
        let harness = try await SignalsHarness.start()
        let payload: [String: TransmitterJSON] = ["principal": "USER", "current_level": "HIGH"]
        #expect(try await harness.push(harness.recipe(SecurityEventType.riskLevelChange, payload: payload)).outcome?.updatedSessions.count == 4)
        let again = try await harness.push(harness.recipe(SecurityEventType.riskLevelChange, payload: payload))
        #expect(again.outcome?.updatedSessions.isEmpty == true)
        #expect(again.outcome?.effect == SignalOutcome.Effect.none)
        await harness.shutdown()
    }

    @Test(arguments: [
        "https://example.test/secevent/private/event-type/whatever", SecurityEventType.sessionEstablished,
        SecurityEventType.riscBase + "opt-in", SecurityEventType.verification,
    ])
    func unknownAndInformationalEventsAreAcceptedWithoutEffect(type: String) async throws {
        let harness = try await SignalsHarness.start()
        let result = try await harness.push(harness.recipe(type, payload: ["state": "abc"]))
        #expect(result.response.status == 202)
        #expect(result.outcome?.effect == SignalOutcome.Effect.none)
        #expect(try await harness.untouched())
        await harness.shutdown()
    }

    @Test func eventsForUnknownSubjectsAreAccepted() async throws {
        let harness = try await SignalsHarness.start()
        let result = try await harness.push(harness.recipe(SecurityEventType.sessionRevoked, subject: .email("nobody@example.com")))
        #expect(result.response.status == 202)
        #expect(result.outcome?.revokedSessions.isEmpty == true)
        #expect(try await harness.activeCount(harness.alice + [harness.bob]) == 5)
        await harness.shutdown()
    }

    /// Issue 20 item 3: a revocation of a user with no live session still records a
    /// not-before under every identifier the SET names, in every format, so an older
    /// IdP token of that user cannot buy a session afterwards.
    @Test(arguments: [
        (TransmitterJSON.email("Carol@Example.com"), RevokedSubject.issuerEmail(issuer: idpIssuer, email: "carol@example.com")),
        (.issSub(idpIssuer, "carol"), .issuerSubject(issuer: idpIssuer, sub: "carol")),
        (.object(["format": "account", "uri": "acct:carol@example.com"]), .issuerEmail(issuer: idpIssuer, email: "carol@example.com")),
        (.object(["format": "phone_number", "phone_number": "+12065550100"]),
         .issuerPhoneNumber(issuer: idpIssuer, phoneNumber: "+12065550100")),
        (.object(["format": "aliases", "identifiers": .array([.issSub(idpIssuer, "carol-2"), .email("c2@example.com")])]),
         .issuerSubject(issuer: idpIssuer, sub: "carol-2")),
        (.object(["format": "aliases", "identifiers": .array([.issSub(idpIssuer, "carol-2"), .email("c2@example.com")])]),
         .issuerEmail(issuer: idpIssuer, email: "c2@example.com")),
        (.complex(["user": .email("carol@example.com"), "tenant": .opaque("t1")]),
         .issuerEmail(issuer: idpIssuer, email: "carol@example.com")),
        (.opaque("idp-session-9"), .identityProviderSession(issuer: idpIssuer, sid: "idp-session-9")),
    ])
    func aRevocationWithoutLiveSessionsRecordsEveryNamedIdentifier(subject: TransmitterJSON, key: RevokedSubject) async throws {
        let harness = try await SignalsHarness.start()
        let result = try await harness.push(harness.recipe(SecurityEventType.sessionRevoked, subject: subject))
        #expect(result.response.status == 202)
        #expect(result.outcome?.revokedSessions.isEmpty == true)
        #expect(await harness.revocations.status(of: key).notBefore != nil, "\(key)")
        #expect(result.outcome?.subjectChanges.contains(key) == true)
        #expect(try await harness.activeCount(harness.alice + [harness.bob]) == 5)
        await harness.shutdown()
    }

    @Test func accountDisabledByEmailWithoutLiveSessionsDisablesTheEmail() async throws {
        let harness = try await SignalsHarness.start()
        let key = RevokedSubject.issuerEmail(issuer: idpIssuer, email: "dave@example.com")
        _ = try await harness.push(harness.recipe(SecurityEventType.accountDisabled, subject: .email("DAVE@example.com")))
        #expect(await harness.revocations.status(of: key).disabledAt != nil)
        _ = try await harness.push(harness.recipe(SecurityEventType.accountEnabled, subject: .email("dave@example.com")))
        #expect(await harness.revocations.status(of: key).disabledAt == nil)
        await harness.shutdown()
    }

    /// Issue 20 item 5.1: a transmitter speaks only for its `subject_issuers`.
    @Test(arguments: [
        TransmitterJSON.issSub("https://other-idp.test", "alice"),
        .object(["format": "aliases", "identifiers": .array([.email("alice@example.com"), .issSub("https://other-idp.test", "x")])]),
        .complex(["user": .issSub("https://other-idp.test", "alice"), "session": .opaque("sid-alice-1")]),
    ])
    func aSETNamingAnotherIssuersSubjectIsRefused(subject: TransmitterJSON) async throws {
        let harness = try await SignalsHarness.start()
        for type in [SecurityEventType.sessionRevoked, SecurityEventType.accountDisabled, SecurityEventType.accountEnabled] {
            let result = try await harness.push(harness.recipe(type, subject: subject))
            #expect(result.response.status == 400)
            #expect(String(decoding: result.response.body, as: UTF8.self).contains(#""err":"access_denied""#))
            guard case .rejected(let error)? = result.failure else { Issue.record("not rejected: \(result)"); continue }
            #expect(error.code == .accessDenied)
            #expect(error.message.contains("https://other-idp.test"))
        }
        #expect(try await harness.untouched())
        #expect(await harness.revocations.status(of: .issuerSubject(issuer: "https://other-idp.test", sub: "alice")) == SubjectStatus())
        await harness.shutdown()
    }

    @Test func emailAndContextSignalsReachOnlyThePermittedIssuersSessions() async throws {
        let harness = try await SignalsHarness.start()
        let stranger = SessionID.random()
        try await harness.insert(stranger, sub: "alice", email: "alice@example.com", sid: "sid-alice-1",
                                 createdAt: TokenClock.system.now() - 60_000, issuer: "https://other-idp.test")
        let revoked = try #require(try await harness.push(harness.recipe(SecurityEventType.sessionRevoked,
                                                                         subject: .email("alice@example.com"))).outcome)
        #expect(Set(revoked.revokedSessions) == Set(harness.alice))
        #expect(try await harness.isActive(stranger), "another IdP's session with the same email")
        #expect(!revoked.subjectChanges.contains { key in
            if case .issuerEmail(let issuer, _) = key { return issuer != idpIssuer }
            if case .issuerSubject(let issuer, _) = key { return issuer != idpIssuer }
            return false
        })
        let opaque = try #require(try await harness.push(harness.recipe(SecurityEventType.riskLevelChange,
                                                                        payload: ["principal": "USER", "current_level": "HIGH"],
                                                                        subject: .opaque("sid-alice-1"))).outcome)
        #expect(opaque.updatedSessions.isEmpty, "alice's own sessions are revoked; the stranger's is not hers to change")
        #expect(try await harness.store.session(stranger)?.signals.riskLevel != .high)
        await harness.shutdown()
    }
}
