import Foundation
import SSFTransmitter
@testable import Signals
import Testing

/// Every way a SET can be wrong → its RFC 8935 code, and no effect on any session.
@Suite struct SETVerifierTests {
    private static let revoked = SecurityEventType.sessionRevoked

    private func expectRejected(_ code: String, harness: SignalsHarness, _ edit: (inout SETRecipe) -> Void) async throws {
        var recipe = harness.recipe(Self.revoked)
        edit(&recipe)
        let result = try await harness.push(recipe)
        #expect(result.response.status == 400)
        #expect(result.errorCode == code)
        #expect(result.outcome == nil)
        #expect(result.response.headers.contains { $0 == ("content-language", "en") })
        #expect(try await harness.untouched())
    }

    @Test func wrongTypIsInvalidRequest() async throws {
        let harness = try await SignalsHarness.start()
        try await expectRejected("invalid_request", harness: harness) { $0.typ = "JWT" }
        try await expectRejected("invalid_request", harness: harness) { $0.typ = nil }
        await harness.shutdown()
    }

    @Test(arguments: ["application/SECEVENT+JWT", "SecEvent+JWT", "application/secevent+jwt"])
    func typComparesCaseInsensitivelyWithOrWithoutApplication(typ: String) async throws {
        let harness = try await SignalsHarness.start()
        var recipe = harness.recipe(Self.revoked)
        recipe.typ = typ
        #expect(try await harness.push(recipe).response.status == 202)
        #expect(try await harness.activeCount(harness.alice) == 0)
        await harness.shutdown()
    }

    @Test func algNoneIsRefused() async throws {
        let harness = try await SignalsHarness.start()
        try await expectRejected("invalid_key", harness: harness) { $0.signing = .none }
        await harness.shutdown()
    }

    @Test func hs256WithoutConfiguredSecretIsRefused() async throws {
        let harness = try await SignalsHarness.start()
        try await expectRejected("invalid_key", harness: harness) { $0.signing = .hs256(secret: Array(repeating: 7, count: 32)) }
        await harness.shutdown()
    }

    @Test func rsaPublicKeyAsHMACSecretIsRefused() async throws {
        let pem = Array(try await TransmitterSigningKey.load(pem: sharedTransmitterKeyPEM.value, keyID: "k").publicKeyPEM.utf8)
        let plain = try await SignalsHarness.start()
        try await expectRejected("invalid_key", harness: plain) { $0.signing = .hs256(secret: pem) }
        await plain.shutdown()
        // Even where HS256 is allowed, only the configured secret is an HMAC key.
        let withSecret = try await SignalsHarness.start(algorithms: [.rs256, .hs256], hmacSecret: Array(repeating: 42, count: 32))
        try await expectRejected("invalid_key", harness: withSecret) { $0.signing = .hs256(secret: pem) }
        var good = withSecret.recipe(Self.revoked)
        good.signing = .hs256(secret: Array(repeating: 42, count: 32))
        #expect(try await withSecret.push(good).response.status == 202)
        await withSecret.shutdown()
    }

    @Test func algorithmOutsideTheAllowListIsRefused() async throws {
        let harness = try await SignalsHarness.start(algorithms: [.rs256])
        try await expectRejected("invalid_key", harness: harness) { $0.signing = .ps256 }
        await harness.shutdown()
    }

    @Test func ps256IsAcceptedWhenAllowed() async throws {
        let harness = try await SignalsHarness.start(algorithms: [.rs256, .ps256])
        var recipe = harness.recipe(Self.revoked)
        recipe.signing = .ps256
        #expect(try await harness.push(recipe).response.status == 202)
        await harness.shutdown()
    }

    @Test func wrongAudienceIsInvalidAudience() async throws {
        let harness = try await SignalsHarness.start()
        try await expectRejected("invalid_audience", harness: harness) { $0.audience = "https://other.test/ssf" }
        try await expectRejected("invalid_audience", harness: harness) { $0.audience = nil }
        var listed = harness.recipe(Self.revoked)
        listed.audience = ["https://other.test", .string(receiverAudience)]
        #expect(try await harness.push(listed).response.status == 202)
        await harness.shutdown()
    }

    @Test func unknownIssuerIsInvalidIssuer() async throws {
        let harness = try await SignalsHarness.start()
        try await expectRejected("invalid_issuer", harness: harness) { $0.issuer = "https://evil.test" }
        await harness.shutdown()
    }

    @Test func twoEventsAreInvalidRequest() async throws {
        let harness = try await SignalsHarness.start()
        try await expectRejected("invalid_request", harness: harness) {
            $0.additionalEvents = [SecurityEventType.credentialChange: ["credential_type": "password", "change_type": "update"]]
        }
        await harness.shutdown()
    }

    @Test func missingSubIDIsInvalidRequest() async throws {
        let harness = try await SignalsHarness.start()
        try await expectRejected("invalid_request", harness: harness) { $0.subject = nil }
        await harness.shutdown()
    }

    @Test func legacyInEventSubjectIsUsedWithoutSubID() async throws {
        let harness = try await SignalsHarness.start()
        var recipe = harness.recipe(Self.revoked, subject: nil)
        recipe.payload["subject"] = .issSub(idpIssuer, "alice")
        #expect(try await harness.push(recipe).response.status == 202)
        #expect(try await harness.activeCount(harness.alice) == 0)
        await harness.shutdown()
    }

    @Test func subOrExpClaimsAreInvalidRequest() async throws {
        let harness = try await SignalsHarness.start()
        try await expectRejected("invalid_request", harness: harness) { $0.extraClaims = ["sub": "alice"] }
        try await expectRejected("invalid_request", harness: harness) { $0.extraClaims = ["exp": .integer(Int64(Date().timeIntervalSince1970) + 60)] }
        await harness.shutdown()
    }

    @Test func badSignatureIsInvalidKey() async throws {
        let harness = try await SignalsHarness.start()
        let set = try await harness.transmitter.sign(harness.recipe(Self.revoked))
        let parts = set.split(separator: ".")
        // Claims of another SET under this SET's signature.
        let forged = try await harness.transmitter.sign(harness.recipe(SecurityEventType.accountDisabled)).split(separator: ".")
        let tampered = "\(parts[0]).\(forged[1]).\(parts[2])"
        let result = await harness.receiver.receive(authorization: nil, contentType: "application/secevent+jwt", body: Array(tampered.utf8))
        #expect(result.response.status == 400)
        #expect(result.errorCode == "invalid_key")
        #expect(try await harness.untouched())
        await harness.shutdown()
    }

    @Test func unknownKidIsInvalidKeyAfterExactlyOneRefetch() async throws {
        let harness = try await SignalsHarness.start()
        #expect(try await harness.push(harness.recipe(SecurityEventType.verification, subject: .opaque("stream-1"))).response.status == 202)
        let fetches = await harness.transmitter.jwksRequests
        try await expectRejected("invalid_key", harness: harness) { $0.keyID = .custom("no-such-key") }
        #expect(await harness.transmitter.jwksRequests == fetches + 1)
        await harness.shutdown()
    }

    @Test func rotatedKeyIsFoundByRefetchingOnce() async throws {
        let harness = try await SignalsHarness.start()
        #expect(try await harness.push(harness.recipe(SecurityEventType.verification, subject: .opaque("stream-1"))).response.status == 202)
        try await harness.transmitter.rotateKey(to: "tx-key-2")
        let fetches = await harness.transmitter.jwksRequests
        #expect(try await harness.push(harness.recipe(Self.revoked)).response.status == 202)
        #expect(await harness.transmitter.jwksRequests == fetches + 1)
        #expect(try await harness.activeCount(harness.alice) == 0)
        await harness.shutdown()
    }

    @Test func payloadBreakingItsEventDefinitionIsInvalidRequest() async throws {
        let harness = try await SignalsHarness.start()
        var recipe = harness.recipe(SecurityEventType.credentialChange, payload: ["credential_type": "password"])
        recipe.eventType = SecurityEventType.credentialChange
        let result = try await harness.push(recipe)
        #expect(result.errorCode == "invalid_request")
        #expect(try await harness.untouched())
        await harness.shutdown()
    }

    @Test func garbageBodyIsInvalidRequest() async throws {
        let harness = try await SignalsHarness.start()
        let result = await harness.receiver.receive(authorization: nil, contentType: "application/secevent+jwt", body: Array("not.a-jwt".utf8))
        #expect(result.errorCode == "invalid_request")
        await harness.shutdown()
    }
}
