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
        let token = try await fixture.mint(["email": "Alice@Example.com"])
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
}
