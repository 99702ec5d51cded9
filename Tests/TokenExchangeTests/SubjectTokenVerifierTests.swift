import Foundation
import JWTKit
import RTATokens
import Testing
import TokenExchange

@Suite struct SubjectTokenVerifierTests {
    static func refusal(_ fixture: ExchangeFixture, _ form: [String: String]) async throws -> OAuthError? {
        let token = try await fixture.mint(form)
        return await fixture.exchange(fixture.request(token: token)).failure
    }

    @Test func rs256TokensVerifyAgainstTheFetchedJWKS() async throws {
        let fixture = try await ExchangeFixture.start(algorithm: .rs256)
        let verified = try await fixture.verifier.verify(try await fixture.mint(["sub": "bob", "scope": "x y"]), type: .jwt)
        #expect(verified.subject.sub == "bob")
        #expect(verified.scopes == ["x", "y"])
        #expect(verified.issuedAt != nil)
        _ = try await fixture.verifier.verify(try await fixture.mint(), type: .accessToken)
        #expect(fixture.idp.jwksRequestCount == 1)
        try await fixture.shutdown()
    }

    @Test func wrongAudienceExpiredAndNotYetValidAreInvalidGrants() async throws {
        let fixture = try await ExchangeFixture.start()
        let now = ExchangeFixture.nowSeconds()
        let wrongAudience = try await Self.refusal(fixture, ["aud": "someone-else"])
        #expect(wrongAudience?.code == .invalidGrant)
        #expect(wrongAudience?.reason == .wrongAudience)
        #expect(try await Self.refusal(fixture, ["aud": "someone-else rta-gateway"]) == nil)
        let expired = try await Self.refusal(fixture, ["iat": String(now - 7_200), "exp": String(now - 120)])
        #expect(expired?.reason == .tokenExpired)
        #expect(try await Self.refusal(fixture, ["exp": String(now - 30)]) == nil)  // within the 60 s skew
        #expect(try await Self.refusal(fixture, ["nbf": String(now + 600)])?.reason == .tokenNotYetValid)
        try await fixture.shutdown()
    }

    @Test func unsignedAndDisallowedAlgorithmsAreRefused() async throws {
        let fixture = try await ExchangeFixture.start()
        let unsigned = try await Self.refusal(fixture, ["alg": "none"])
        #expect(unsigned?.code == .invalidGrant)
        #expect(unsigned?.reason == .disallowedAlgorithm)
        let restricted = try await ExchangeFixture.start(allowedAlgorithms: ["RS256"])
        #expect(try await Self.refusal(restricted, [:])?.reason == .disallowedAlgorithm)
        #expect(try await Self.refusal(fixture, ["typ": "secevent+jwt"])?.reason == .disallowedTokenType)
        try await fixture.shutdown()
        try await restricted.shutdown()
    }

    @Test func anUnknownKidRefetchesTheJWKSOnceThenIsRefused() async throws {
        let fixture = try await ExchangeFixture.start()
        #expect(try await Self.refusal(fixture, [:]) == nil)
        #expect(fixture.idp.jwksRequestCount == 1)
        let unknown = try await Self.refusal(fixture, ["kid": "rotated-away"])
        #expect(unknown?.code == .invalidGrant)
        #expect(unknown?.reason == .unknownKeyID)
        #expect(fixture.idp.jwksRequestCount == 2)
        #expect(try await Self.refusal(fixture, ["kid": "another-one"])?.reason == .unknownKeyID)
        #expect(fixture.idp.jwksRequestCount == 2)  // rate-limited: no second refetch within 30 s
        try await fixture.shutdown()
    }

    @Test func aTokenFromAnotherIssuerOrKeyIsRefused() async throws {
        let fixture = try await ExchangeFixture.start()
        let foreign = try await Self.refusal(fixture, ["iss": "https://evil.example"])
        #expect(foreign?.code == .invalidGrant)
        #expect(foreign?.reason == .unknownIssuer)
        #expect(foreign?.message == "issuer https://evil.example is not a configured identity provider")

        let other = try await ExchangeFixture.start()
        let otherToken = try await other.mint(["iss": fixture.idp.issuer])  // right iss, wrong key
        #expect(await fixture.exchange(fixture.request(token: otherToken)).failure?.reason == .badSignature)
        try await other.shutdown()
        try await fixture.shutdown()
    }

    @Test func aTamperedPayloadFailsTheSignature() async throws {
        let fixture = try await ExchangeFixture.start()
        let parts = try await fixture.mint(["scope": "read"]).split(separator: ".").map(String.init)
        let forgedPayload = ExchangeFixture.base64url(Array(
            "{\"iss\":\"\(fixture.idp.issuer)\",\"sub\":\"root\",\"aud\":\"rta-gateway\",\"exp\":\(ExchangeFixture.nowSeconds() + 600),\"scope\":\"admin\"}".utf8))
        let forged = [parts[0], forgedPayload, parts[2]].joined(separator: ".")
        #expect(await fixture.exchange(fixture.request(token: forged)).failure?.reason == .badSignature)
        #expect(await fixture.exchange(fixture.request(token: "eyJ.not-json.x", type: .jwt)).failure?.reason == .malformedJWT)
        #expect(await fixture.exchange(fixture.request(token: "opaque", type: .jwt)).failure?.reason == .malformedJWT)
        #expect(await fixture.exchange(fixture.request(token: "opaque")).failure?.reason == .opaqueTokenWithoutIntrospection)
        try await fixture.shutdown()
    }

    /// RFC 9068 claims for a token signed in-test (HS256 has no IdP to mint it).
    struct AccessTokenClaims: JWTPayload {
        var iss: String
        var sub: String
        var aud: String
        var exp: Int64
        var iat: Int64
        var scope: String

        func verify(using algorithm: some JWTAlgorithm) throws {}
    }

    @Test func hs256VerifiesOnlyWithTheConfiguredSecret() async throws {
        let secret = String(repeating: "s", count: 32)
        let config = IdentityProviderConfig(issuer: "https://hs.example", audiences: ["gw"], validation: .jwks(url: "https://hs.example/jwks"),
                                            allowedAlgorithms: ["HS256"], hmacSecret: secret)
        let verifier = try await SubjectTokenVerifier(providers: [config])
        let now = ExchangeFixture.nowSeconds()
        let claims = AccessTokenClaims(iss: "https://hs.example", sub: "dave", aud: "gw", exp: now + 60, iat: now, scope: "a")
        func sign(with key: String) async throws -> String {
            let keys = JWTKeyCollection()
            await keys.add(hmac: HMACKey(from: key), digestAlgorithm: .sha256)
            return try await keys.sign(claims, header: ["typ": "at+jwt"])
        }
        #expect(try await verifier.verify(try await sign(with: secret), type: .jwt).subject.sub == "dave")
        do {
            _ = try await verifier.verify(try await sign(with: String(repeating: "x", count: 32)), type: .jwt)
            Issue.record("a token signed with another secret verified")
        } catch let error as OAuthError {
            #expect(error.reason == .badSignature)
        }
    }

    @Test func dangerousConfigsAreRefusedAtStartUp() async {
        let base = IdentityProviderConfig(issuer: "https://idp", audiences: ["gw"], validation: .jwks(url: "https://idp/jwks"))
        var none = base
        none.allowedAlgorithms = ["none"]
        var hmac = base
        hmac.allowedAlgorithms = ["HS256"]
        var plain = base
        plain.validation = .jwks(url: "http://idp.example/jwks")
        for (config, key) in [(none, "algorithms"), (hmac, "hmac_secret"), (plain, "jwks_url")] {
            do {
                _ = try await SubjectTokenVerifier(providers: [config])
                Issue.record("accepted \(config)")
            } catch {
                #expect(error.key == key)
            }
        }
        await #expect(throws: IdentityProviderConfigError.self) { try await SubjectTokenVerifier(providers: [base, base]) }
    }
}
