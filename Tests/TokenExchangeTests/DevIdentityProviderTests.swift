import AsyncHTTPClient
import DevIdentityProvider
import Foundation
import GatewayTesting
import Testing

@Suite struct DevIdentityProviderTests {
    static func getJSON(_ url: String) async throws -> (status: UInt, json: [String: Any]) {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 20)
        return (response.status.code, try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any] ?? [:])
    }

    @Test func servesDiscoveryAndJWKS() async throws {
        let idp = try await DevIdentityProvider.start(DevIdentityProvider.Configuration(algorithm: .rs256, keyID: "k1"))
        #expect(idp.port > 0)
        let discovery = try await Self.getJSON(idp.baseURL + "/.well-known/openid-configuration")
        #expect(discovery.status == 200)
        #expect(discovery.json["issuer"] as? String == idp.issuer)
        #expect(discovery.json["jwks_uri"] as? String == idp.jwksURL)
        #expect(discovery.json["introspection_endpoint"] as? String == idp.introspectionURL)
        let jwks = try await Self.getJSON(idp.jwksURL)
        let key = try #require((jwks.json["keys"] as? [[String: Any]])?.first)
        #expect(key["kty"] as? String == "RSA")
        #expect(key["kid"] as? String == "k1")
        #expect((key["n"] as? String)?.count == 342)  // 2048-bit modulus in base64url
        #expect(key["d"] == nil)
        #expect(try await Self.getJSON(idp.baseURL + "/nope").status == 404)
        try await idp.shutdown()
    }

    @Test func aKeyFileIsWrittenOnceAndReloaded() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/idp-key.pem"
        let first = try await DevIdentityProvider.start(DevIdentityProvider.Configuration(algorithm: .es256, keyFile: path))
        let firstKey = try await Self.getJSON(first.jwksURL).json["keys"] as? [[String: String]]
        try await first.shutdown()
        let permissions = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(permissions == 0o600)
        let second = try await DevIdentityProvider.start(DevIdentityProvider.Configuration(algorithm: .rs256, keyFile: path))
        #expect(second.algorithm == .es256)  // the file decides
        #expect(try await Self.getJSON(second.jwksURL).json["keys"] as? [[String: String]] == firstKey)
        try await second.shutdown()
    }

    @Test func shutdownClosesTheListener() async throws {
        let idp = try await DevIdentityProvider.start()
        try await idp.shutdown()
        await #expect(throws: (any Error).self) { _ = try await Self.getJSON(idp.jwksURL) }
    }
}
