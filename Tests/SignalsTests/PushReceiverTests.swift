import Foundation
import SSFTransmitter
@testable import Signals
import Testing

@Suite struct PushReceiverTests {
    @Test func bearerTokenIsRequiredWhenConfigured() async throws {
        let harness = try await SignalsHarness.start(bearerToken: "push-secret-1")
        let recipe = harness.recipe(SecurityEventType.sessionRevoked)
        let missing = try await harness.push(recipe)
        #expect(missing.response.status == 401)
        #expect(missing.errorCode == "authentication_failed")
        #expect(missing.response.headers.contains { $0.name == "www-authenticate" })
        let wrong = try await harness.push(recipe, authorization: "Bearer push-secret-2")
        #expect(wrong.response.status == 401)
        #expect(try await harness.untouched())
        let right = try await harness.push(recipe, authorization: "bearer push-secret-1")
        #expect(right.response.status == 202)
        #expect(try await harness.activeCount(harness.alice) == 0)
        await harness.shutdown()
    }

    /// The SET is parsed once, trimmed, for both the bearer check and verification: a
    /// body padded with whitespace must not skip the check and still be applied.
    @Test func whitespaceAroundTheSETDoesNotSkipTheBearerCheck() async throws {
        let harness = try await SignalsHarness.start(bearerToken: "push-secret-1")
        let recipe = harness.recipe(SecurityEventType.sessionRevoked)
        let missing = try await harness.push(recipe, padding: "\r\n ")
        #expect(missing.response.status == 401)
        #expect(missing.errorCode == "authentication_failed")
        #expect(try await harness.untouched())
        let right = try await harness.push(recipe, authorization: "Bearer push-secret-1", padding: "\n")
        #expect(right.response.status == 202)
        #expect(try await harness.activeCount(harness.alice) == 0)
        await harness.shutdown()
    }

    @Test func anotherTransmittersTokenIsAccessDenied() async throws {
        let other = try TransmitterConfiguration(issuer: "https://other-idp.test", jwksURL: "http://127.0.0.1:9/jwks.json",
                                                 bearerToken: "other-secret")
        let harness = try await SignalsHarness.start(bearerToken: "push-secret-1", extraTransmitters: [other])
        let result = try await harness.push(harness.recipe(SecurityEventType.sessionRevoked), authorization: "Bearer other-secret")
        #expect(result.response.status == 403)
        #expect(result.errorCode == "access_denied")
        #expect(try await harness.untouched())
        await harness.shutdown()
    }

    @Test func wrongMediaTypeIs415() async throws {
        let harness = try await SignalsHarness.start()
        let result = try await harness.push(harness.recipe(SecurityEventType.sessionRevoked), contentType: "application/jwt")
        #expect(result.response.status == 415)
        #expect(try await harness.untouched())
        let withParameters = try await harness.push(harness.recipe(SecurityEventType.sessionRevoked),
                                                    contentType: "Application/SecEvent+JWT; charset=utf-8")
        #expect(withParameters.response.status == 202)
        await harness.shutdown()
    }

    @Test func errorBodyIsRFC8935JSON() async throws {
        let harness = try await SignalsHarness.start()
        var recipe = harness.recipe(SecurityEventType.sessionRevoked)
        recipe.audience = "https://elsewhere.test"
        let result = try await harness.push(recipe)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.response.body)) as? [String: String])
        #expect(Set(object.keys) == ["err", "description"])
        #expect(object["description"]?.contains(receiverAudience) == true)
        #expect(result.response.headers.contains { $0 == ("content-type", "application/json") })
        #expect(result.failure == .rejected(SETError(.invalidAudience, object["description"] ?? "")))
        await harness.shutdown()
    }

    @Test func unreachableJWKSIsRetryable503() async throws {
        // The JWKS URL answers 404 (the test transmitter has no such path) and no keys are cached.
        let probe = try await SignalsHarness.start()
        let orphan = try TransmitterConfiguration(issuer: "https://orphan.test", jwksURL: probe.transmitter.baseURL + "/missing-jwks")
        let harness = try await SignalsHarness.start(extraTransmitters: [orphan])
        var recipe = harness.recipe(SecurityEventType.sessionRevoked)
        recipe.issuer = "https://orphan.test"
        let result = try await harness.push(recipe)
        #expect(result.response.status == 503)
        guard case .unavailable? = result.failure else { Issue.record("expected unavailable, got \(String(describing: result.failure))"); return }
        #expect(try await harness.untouched())
        await harness.shutdown()
        await probe.shutdown()
    }

    @Test func transmitterPushesOverHTTP() async throws {
        let harness = try await SignalsHarness.start()
        // The transmitter's own metadata endpoint is the only HTTP peer here that is not the
        // receiver; a push to it must come back as that server's 404.
        let set = try await harness.transmitter.sign(harness.recipe(SecurityEventType.sessionRevoked))
        let answer = try await harness.transmitter.push(set, to: harness.transmitter.baseURL + "/ssf/events")
        #expect(answer.status == 404)
        #expect(answer.body.contains("/ssf/events"))
        await harness.shutdown()
    }
}
