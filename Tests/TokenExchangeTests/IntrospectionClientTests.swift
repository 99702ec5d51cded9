import RTATokens
import Testing
import TokenExchange

@Suite struct IntrospectionClientTests {
    @Test func anActiveOpaqueTokenIsExchanged() async throws {
        let fixture = try await ExchangeFixture.start(.introspection)
        let token = try await fixture.mint(["token_format": "opaque", "sub": "carol", "scope": "r w", "sid": "s-9"])
        #expect(!token.hasPrefix("eyJ"))
        let response = try #require(await fixture.exchange(fixture.request(token: token, scopes: ["r"])).success)
        #expect(response.session.subject == Subject(issuer: fixture.idp.issuer, sub: "carol", sid: "s-9"))
        #expect(response.session.scopes == ["r"])
        #expect(fixture.idp.introspectionCount == 1)
        #expect(fixture.idp.jwksRequestCount == 0)
        try await fixture.shutdown()
    }

    @Test func aJWTFromAnIntrospectionIssuerIsIntrospectedNotVerifiedLocally() async throws {
        let fixture = try await ExchangeFixture.start(.introspection)
        let token = try await fixture.mint()
        #expect(await fixture.exchange(fixture.request(token: token)).success != nil)
        #expect(fixture.idp.introspectionCount == 1)
        #expect(fixture.idp.jwksRequestCount == 0)
        try await fixture.shutdown()
    }

    @Test func inactiveTokensAreInvalidGrants() async throws {
        let fixture = try await ExchangeFixture.start(.introspection)
        let now = ExchangeFixture.nowSeconds()
        let expired = try await fixture.mint(["token_format": "opaque", "iat": String(now - 7_200), "exp": String(now - 3_600)])
        let refusedExpired = await fixture.exchange(fixture.request(token: expired))
        #expect(refusedExpired.failure?.code == .invalidGrant)
        #expect(refusedExpired.failure?.reason == .inactiveToken)
        #expect(await fixture.exchange(fixture.request(token: "never-minted")).failure?.reason == .inactiveToken)
        #expect(fixture.idp.introspectionCount == 2)
        try await fixture.shutdown()
    }

    @Test func wrongClientCredentialsMakeTheIdPUnavailableNotTheTokenInvalid() async throws {
        let fixture = try await ExchangeFixture.start(.introspection)
        let config = IdentityProviderConfig(
            issuer: fixture.idp.issuer, audiences: [ExchangeFixture.audience],
            validation: .introspection(url: fixture.idp.introspectionURL, clientID: "rta-gateway", clientSecret: "wrong"))
        let verifier = try await SubjectTokenVerifier(providers: [config])
        let token = try await fixture.mint(["token_format": "opaque"])
        do {
            _ = try await verifier.verify(token, type: .accessToken)
            Issue.record("verified with wrong client credentials")
        } catch {
            #expect(error.code == .temporarilyUnavailable)
            #expect(error.httpStatus == 503)
            #expect(error.reason == .identityProviderUnavailable)
        }
        try await fixture.shutdown()
    }
}
