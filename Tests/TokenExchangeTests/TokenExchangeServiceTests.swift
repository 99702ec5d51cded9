import Foundation
import RTATokens
import Sodium
import Testing
import TokenExchange

@Suite struct TokenExchangeServiceTests {
    @Test func exchangeCreatesABoundSessionWhoseTokenValidates() async throws {
        let fixture = try await ExchangeFixture.start()
        let idpToken = try await fixture.mint(["sub": "alice", "email": "alice@example.com", "sid": "idp-s1",
                                               "scope": "orders:read orders:write", "groups": "ops admins"])
        var request = fixture.request(token: idpToken)
        request.agentMeta = ["name": .string("bot")]
        request.popKey = try Ed25519PublicKey(bytes: Array(repeating: 9, count: 32))
        let response = try #require(await fixture.exchange(request, connection: 42).success)

        let json = try #require(try JSONSerialization.jsonObject(with: response.jsonBody) as? [String: Any])
        #expect(Set(json.keys) == ["access_token", "issued_token_type", "token_type", "expires_in", "session_id", "events"])
        #expect(json["issued_token_type"] as? String == "urn:ietf:params:oauth:token-type:rta")
        #expect(json["token_type"] as? String == "RTA")
        #expect(json["expires_in"] as? Int == 300)
        #expect(json["events"] as? String == "/.well-known/rta/events")
        #expect(json["session_id"] as? String == response.session.id.hex)
        let accessToken = try #require(json["access_token"] as? String)
        #expect(accessToken.count == 171)

        let session = try #require(try await fixture.sessions.session(response.session.id))
        #expect(session.subject == Subject(issuer: fixture.idp.issuer, sub: "alice", email: "alice@example.com", sid: "idp-s1"))
        #expect(session.chain == ["alice", "agent-1"])
        #expect(session.scopes == ["orders:read", "orders:write"])
        #expect(session.claims["groups"] == .list([.string("ops"), .string("admins")]))
        #expect(session.agentMeta == ["name": .string("bot")])
        #expect(session.boundConnection == 42)
        #expect(session.parent == nil)
        #expect(try await fixture.sessions.currentToken(session.id) == response.token)
        #expect(response.audit.subjectLabel == "\(fixture.idp.issuer)|alice")

        let validator = TokenValidator(keyRing: fixture.keyRing)
        let validated = try await validator.validate(try RTAToken(base64url: accessToken).bytes, connectionID: 42,
                                                     sessions: fixture.sessions, cache: nil)
        #expect(validated.success?.session.id == session.id)
        #expect(validated.success?.token.flags == [.pop])
        try await fixture.shutdown()
    }

    @Test func formBodyEntryPointParsesAndExchanges() async throws {
        let fixture = try await ExchangeFixture.start()
        let token = try await fixture.mint()
        let body = FormBody.encode([
            ("grant_type", TokenExchangeRequest.grantType), ("subject_token", token),
            ("subject_token_type", SubjectTokenType.jwt.rawValue), ("agent_id", "agent-9"),
            ("nonce", ExchangeFixture.freshNonce()), ("scope", "orders:read"),
        ])
        let form = "application/x-www-form-urlencoded; charset=UTF-8"
        let response = try #require(await fixture.service.exchange(
            formBody: Array(body.utf8), contentType: form, connectionID: 3, signatureCache: nil).success)
        #expect(response.session.scopes == ["orders:read"])
        let duplicate = await fixture.service.exchange(
            formBody: Array((body + "&scope=x").utf8), contentType: form, connectionID: 3, signatureCache: nil)
        #expect(duplicate.failure?.reason == .duplicateParameter)
        let json = await fixture.service.exchange(
            formBody: Array(body.utf8), contentType: "application/json", connectionID: 3, signatureCache: nil)
        #expect(json.failure?.code == .invalidRequest)
        #expect(json.failure?.message == "content-type must be application/x-www-form-urlencoded, got application/json")
        try await fixture.shutdown()
    }

    @Test func aReplayedNonceIsRefused() async throws {
        let fixture = try await ExchangeFixture.start()
        let token = try await fixture.mint()
        let nonce = ExchangeFixture.freshNonce()
        #expect(await fixture.exchange(fixture.request(token: token, nonce: nonce)).success != nil)
        let replay = await fixture.exchange(fixture.request(token: token, nonce: nonce))
        #expect(replay.failure?.code == .invalidRequest)
        #expect(replay.failure?.reason == .nonceReplayed)
        #expect(replay.failure?.audit.subject?.sub == "alice")
        #expect(await fixture.exchange(fixture.request(token: token)).success != nil)
        try await fixture.shutdown()
    }

    @Test func scopeEscalationIsRefusedAndNarrowingAllowed() async throws {
        let fixture = try await ExchangeFixture.start()
        let token = try await fixture.mint(["scope": "orders:read"])
        let escalated = await fixture.exchange(fixture.request(token: token, scopes: ["orders:read", "orders:write"]))
        #expect(escalated.failure?.code == .invalidScope)
        #expect(escalated.failure?.reason == .scopeEscalation)
        #expect(escalated.failure?.message == "requested scope orders:write is not carried by the subject token")
        #expect(await fixture.exchange(fixture.request(token: token, scopes: ["orders:read"])).success?.session.scopes == ["orders:read"])
        try await fixture.shutdown()
    }

    @Test func subDelegationGrowsTheChainShrinksScopesAndLinksTheParent() async throws {
        let fixture = try await ExchangeFixture.start()
        let idpToken = try await fixture.mint(["scope": "a b c"])
        let root = try #require(await fixture.exchange(fixture.request(token: idpToken, agent: "planner"), connection: 5).success)

        let child = try #require(await fixture.exchange(
            fixture.request(token: root.token.base64url, type: .rta, agent: "coder", scopes: ["a", "b"]), connection: 5).success)
        #expect(child.session.chain == ["alice", "planner", "coder"])
        #expect(child.session.scopes == ["a", "b"])
        #expect(child.session.parent == root.session.id)
        #expect(child.token.flags == [.delegated])
        #expect(child.audit.parentSessionID == root.session.id)
        #expect(try await fixture.sessions.children(of: root.session.id) == [child.session.id])

        let defaulted = try #require(await fixture.exchange(
            fixture.request(token: child.token.base64url, type: .rta, agent: "tester"), connection: 5).success)
        #expect(defaulted.session.scopes == ["a", "b"])
        #expect(defaulted.session.chain == ["alice", "planner", "coder", "tester"])

        let escalated = await fixture.exchange(
            fixture.request(token: child.token.base64url, type: .rta, agent: "tester2", scopes: ["c"]), connection: 5)
        #expect(escalated.failure?.code == .invalidScope)
        #expect(escalated.failure?.message == "requested scope c is not carried by the parent session")

        let loop = await fixture.exchange(fixture.request(token: child.token.base64url, type: .rta, agent: "planner"), connection: 5)
        #expect(loop.failure?.reason == .delegationLoop)

        _ = try await fixture.sessions.revoke(root.session.id, reason: RevocationReason(reason: "admin", at: 1))
        let afterRevoke = await fixture.exchange(fixture.request(token: child.token.base64url, type: .rta, agent: "x"), connection: 5)
        #expect(afterRevoke.failure?.code == .invalidGrant)
        #expect(afterRevoke.failure?.message == "parent RTA token refused: session_revoked (session_revoked)")
        try await fixture.shutdown()
    }

    @Test func subDelegationFromAnotherConnectionIsRefused() async throws {
        let fixture = try await ExchangeFixture.start()
        let root = try #require(await fixture.exchange(fixture.request(token: try await fixture.mint()), connection: 5).success)
        let stolen = await fixture.exchange(fixture.request(token: root.token.base64url, type: .rta, agent: "thief"), connection: 6)
        #expect(stolen.failure?.code == .invalidGrant)
        #expect(stolen.failure?.reason == .invalidParentToken)
        #expect(stolen.failure?.message == "parent RTA token refused: not_bound_to_connection (binding_mismatch)")
        #expect(try await fixture.sessions.children(of: root.session.id).isEmpty)
        let garbage = await fixture.exchange(fixture.request(token: "AAAA", type: .rta), connection: 5)
        #expect(garbage.failure?.message == "subject_token is not an RTA token: bad_length")
        try await fixture.shutdown()
    }

    @Test func aSubjectRevokedAfterTheTokenWasIssuedIsDenied() async throws {
        let fixture = try await ExchangeFixture.start()
        let now = ExchangeFixture.nowSeconds()
        let oldToken = try await fixture.mint(["iat": String(now - 60)])
        await fixture.revocations.revokeTokens(of: .issuerSubject(issuer: fixture.idp.issuer, sub: "alice"),
                                               issuedBefore: UInt64(now - 30) * 1_000)
        let denied = await fixture.exchange(fixture.request(token: oldToken))
        #expect(denied.failure?.code == .accessDenied)
        #expect(denied.failure?.reason == .subjectRevoked)
        #expect(denied.failure?.httpStatus == 400)
        let newToken = try await fixture.mint(["iat": String(now)])
        #expect(await fixture.exchange(fixture.request(token: newToken)).success != nil)
        try await fixture.shutdown()
    }

    @Test func aDisabledAccountIsDeniedUntilEnabled() async throws {
        let fixture = try await ExchangeFixture.start()
        let token = try await fixture.mint(["email": "Alice@Example.com", "email_verified": "true"])
        await fixture.revocations.disable(.email("alice@example.com"), at: 1)
        let denied = await fixture.exchange(fixture.request(token: token))
        #expect(denied.failure?.code == .accessDenied)
        #expect(denied.failure?.reason == .accountDisabled)
        let root = try await fixture.sessions.sessions(issuer: fixture.idp.issuer, subject: "alice")
        #expect(root.isEmpty)
        await fixture.revocations.enable(.email("alice@example.com"))
        #expect(await fixture.exchange(fixture.request(token: token)).success != nil)
        try await fixture.shutdown()
    }

    // MARK: Issue 20 item 3: every identifier the token proves is checked

    /// A CAEP `session-revoked` by email of a user with no live session leaves only the
    /// subject key; an older token proving that email buys nothing, an unverified email
    /// is not matched (it is whatever the user typed), and an IdP configured
    /// authoritative for email is matched without `email_verified`.
    @Test func anEmailRevocationRefusesOlderTokensThatProveTheEmail() async throws {
        let fixture = try await ExchangeFixture.start()
        let issued = ExchangeFixture.nowSeconds() - 8
        await fixture.revocations.revokeTokens(of: .issuerEmail(issuer: fixture.idp.issuer, email: "carol@example.com"),
                                               issuedBefore: UInt64(issued + 1) * 1_000)
        let verified = try await fixture.mint(["sub": "carol", "email": "Carol@Example.com", "email_verified": "true",
                                               "iat": String(issued)])
        let denied = await fixture.exchange(fixture.request(token: verified))
        #expect(denied.failure?.code == .accessDenied)
        #expect(denied.failure?.reason == .subjectRevoked)
        let unverified = try await fixture.mint(["sub": "carol", "email": "carol@example.com", "iat": String(issued)])
        #expect(await fixture.exchange(fixture.request(token: unverified)).success != nil)
        let falselyVerified = try await fixture.mint(["sub": "carol", "email": "carol@example.com", "email_verified": "false",
                                                      "iat": String(issued)])
        #expect(await fixture.exchange(fixture.request(token: falselyVerified)).success != nil)
        let fresh = try await fixture.mint(["sub": "carol", "email": "carol@example.com", "email_verified": "true"])
        #expect(await fixture.exchange(fixture.request(token: fresh)).success != nil)
        try await fixture.shutdown()

        let authoritative = try await ExchangeFixture.start(provider: { $0.emailAuthoritative = true })
        await authoritative.revocations.revokeTokens(of: .issuerEmail(issuer: authoritative.idp.issuer, email: "carol@example.com"),
                                                     issuedBefore: UInt64(issued + 1) * 1_000)
        let plain = try await authoritative.mint(["sub": "carol", "email": "carol@example.com", "iat": String(issued)])
        #expect(await authoritative.exchange(authoritative.request(token: plain)).failure?.reason == .subjectRevoked)
        try await authoritative.shutdown()
    }

    /// A revocation keyed to another IdP does not touch this IdP's users.
    @Test func anotherIssuersEmailKeyDoesNotApply() async throws {
        let fixture = try await ExchangeFixture.start()
        await fixture.revocations.disable(.issuerEmail(issuer: "https://other-idp.test", email: "carol@example.com"), at: 1)
        let token = try await fixture.mint(["sub": "carol", "email": "carol@example.com", "email_verified": "true"])
        #expect(await fixture.exchange(fixture.request(token: token)).success != nil)
        try await fixture.shutdown()
    }

    @Test func anEmailDisabledWithoutSessionsRefusesUntilEnabled() async throws {
        let fixture = try await ExchangeFixture.start()
        let key = RevokedSubject.issuerEmail(issuer: fixture.idp.issuer, email: "dave@example.com")
        await fixture.revocations.disable(key, at: 1)
        let token = try await fixture.mint(["sub": "dave", "email": "Dave@example.com", "email_verified": "true"])
        #expect(await fixture.exchange(fixture.request(token: token)).failure?.reason == .accountDisabled)
        await fixture.revocations.enable(key)
        #expect(await fixture.exchange(fixture.request(token: token)).success != nil)
        try await fixture.shutdown()
    }

    @Test func verifiedPhoneNumbersAndIdPSessionIdsAreChecked() async throws {
        let fixture = try await ExchangeFixture.start()
        let issued = ExchangeFixture.nowSeconds() - 8
        let notBefore = UInt64(issued + 1) * 1_000
        await fixture.revocations.revokeTokens(
            of: .issuerPhoneNumber(issuer: fixture.idp.issuer, phoneNumber: "+12065550100"), issuedBefore: notBefore)
        await fixture.revocations.revokeTokens(
            of: .identityProviderSession(issuer: fixture.idp.issuer, sid: "idp-s9"), issuedBefore: notBefore)
        let phone = try await fixture.mint(["sub": "erin", "phone_number": "+12065550100", "phone_number_verified": "true",
                                            "iat": String(issued)])
        #expect(await fixture.exchange(fixture.request(token: phone)).failure?.reason == .subjectRevoked)
        let unverifiedPhone = try await fixture.mint(["sub": "erin", "phone_number": "+12065550100", "iat": String(issued)])
        #expect(await fixture.exchange(fixture.request(token: unverifiedPhone)).success != nil)
        let sameSession = try await fixture.mint(["sub": "erin", "sid": "idp-s9", "iat": String(issued)])
        #expect(await fixture.exchange(fixture.request(token: sameSession)).failure?.reason == .subjectRevoked)
        let otherSession = try await fixture.mint(["sub": "erin", "sid": "idp-s10", "iat": String(issued)])
        #expect(await fixture.exchange(fixture.request(token: otherSession)).success != nil)
        try await fixture.shutdown()
    }

    // MARK: Issue 20 item 5.2: agent_id bound to what the token proves

    @Test func theSessionRecordsTheClientAndWhetherItProvesTheAgent() async throws {
        let fixture = try await ExchangeFixture.start(provider: { $0.agents = ["dev-agent": ["planner"]] })
        let token = try await fixture.mint()
        for (agent, verified) in [("dev-agent", true), ("planner", true), ("admin-bot", false)] {
            let response = try #require(await fixture.exchange(fixture.request(token: token, agent: agent)).success)
            let session = try #require(try await fixture.sessions.session(response.session.id))
            #expect(session.clientID == "dev-agent")
            #expect(session.agentVerified == verified, "\(agent)")
        }
        let azp = try await fixture.mint(["client_id": "planner"])
        let other = try #require(await fixture.exchange(fixture.request(token: azp, agent: "dev-agent")).success)
        #expect(try await fixture.sessions.session(other.session.id)?.agentVerified == false,
                "the registry lists agents per client: dev-agent is not registered for client planner")
        try await fixture.shutdown()
    }

    @Test func requireVerifiedAgentRefusesASelfChosenAgentID() async throws {
        let fixture = try await ExchangeFixture.start(provider: {
            $0.agents = ["dev-agent": ["planner", "coder"]]
            $0.requireVerifiedAgent = true
        })
        let token = try await fixture.mint()
        let spoofed = await fixture.exchange(fixture.request(token: token, agent: "payments-admin"))
        #expect(spoofed.failure?.code == .accessDenied)
        #expect(spoofed.failure?.reason == .agentNotVerified)
        #expect(spoofed.failure?.httpStatus == 400)
        #expect(spoofed.failure?.message.contains("client_id (dev-agent)") == true)
        let root = try #require(await fixture.exchange(fixture.request(token: token, agent: "planner"), connection: 5).success)
        // A child agent is verified only when registered for the root client.
        let child = await fixture.exchange(fixture.request(token: root.token.base64url, type: .rta, agent: "coder"), connection: 5)
        let childID = try #require(child.success).session.id
        let childSession = try #require(try await fixture.sessions.session(childID))
        #expect(childSession.agentVerified && childSession.clientID == "dev-agent")
        let rogue = await fixture.exchange(fixture.request(token: root.token.base64url, type: .rta, agent: "rogue"), connection: 5)
        #expect(rogue.failure?.reason == .agentNotVerified)
        let clientNamed = await fixture.exchange(fixture.request(token: root.token.base64url, type: .rta, agent: "dev-agent"),
                                                 connection: 5)
        #expect(clientNamed.failure?.reason == .agentNotVerified, "a child named like the client is still the parent's choice")
        let anonymous = try await fixture.mint(["client_id": ""])
        #expect(await fixture.exchange(fixture.request(token: anonymous, agent: "planner")).failure?.reason == .agentNotVerified)
        try await fixture.shutdown()
    }

    // MARK: Issue 20 item 5.3: per-subject quotas

    @Test func aSubjectAtItsSessionLimitIsRefusedWhileOthersExchange() async throws {
        let fixture = try await ExchangeFixture.start(configuration: TokenExchangeConfiguration(maxSessionsPerSubject: 2))
        let alice = try await fixture.mint(["sub": "alice"])
        let first = try #require(await fixture.exchange(fixture.request(token: alice)).success)
        #expect(await fixture.exchange(fixture.request(token: alice)).success != nil)
        let third = await fixture.exchange(fixture.request(token: alice))
        #expect(third.failure?.code == .accessDenied)
        #expect(third.failure?.reason == .subjectSessionLimit)
        #expect(third.failure?.message.contains("tokens.max_sessions_per_subject: 2") == true)
        #expect(await fixture.exchange(fixture.request(token: try await fixture.mint(["sub": "bob"]))).success != nil)
        // Revoked sessions do not count.
        _ = try await fixture.sessions.revoke(first.session.id, reason: RevocationReason(reason: "test", at: 1))
        #expect(await fixture.exchange(fixture.request(token: alice)).success != nil)
        try await fixture.shutdown()
    }

    @Test func concurrentExchangesCannotOvershootTheSessionLimit() async throws {
        let fixture = try await ExchangeFixture.start(configuration: TokenExchangeConfiguration(maxSessionsPerSubject: 3))
        let alice = try await fixture.mint(["sub": "alice"])
        let requests = (0..<12).map { _ in fixture.request(token: alice) }
        let service = fixture.service
        let granted = await withTaskGroup(of: Bool.self) { group in
            for request in requests {
                group.addTask { await service.exchange(request, connectionID: 1, signatureCache: nil).success != nil }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(granted >= 1 && granted <= 3)
        let active = try await fixture.sessions.sessions(try await fixture.sessions.sessions(issuer: fixture.idp.issuer, subject: "alice"))
        #expect(active.filter(\.isActive).count == granted)
        try await fixture.shutdown()
    }

    /// One subject cannot take the shared nonce store: its exchanges within `max_age`
    /// are capped, and another subject's still go through.
    @Test func aSubjectOverItsExchangeQuotaIsRefusedWhileOthersExchange() async throws {
        let fixture = try await ExchangeFixture.start(configuration: TokenExchangeConfiguration(
            nonceCapacity: 5, maxSessionsPerSubject: 100, maxExchangesPerSubject: 3))
        let alice = try await fixture.mint(["sub": "alice"])
        for _ in 0..<3 {
            let granted = try #require(await fixture.exchange(fixture.request(token: alice)).success)
            _ = try await fixture.sessions.revoke(granted.session.id, reason: RevocationReason(reason: "churn", at: 1))
        }
        let over = await fixture.exchange(fixture.request(token: alice))
        #expect(over.failure?.code == .accessDenied)
        #expect(over.failure?.reason == .subjectExchangeLimit)
        #expect(over.failure?.message.contains("tokens.max_exchanges_per_subject") == true)
        #expect(await fixture.exchange(fixture.request(token: try await fixture.mint(["sub": "bob"]))).success != nil)
        try await fixture.shutdown()
    }
}
