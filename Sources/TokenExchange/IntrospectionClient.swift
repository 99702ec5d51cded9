import AsyncHTTPClient
import Foundation
import NIOCore
import RTATokens

/// RFC 7662 token introspection for one issuer: POSTs the token with the gateway's
/// client credentials (HTTP Basic, RFC 6749 §2.3.1) and trusts the answer only if
/// `active` is true and `iss`, `aud`, `exp`, `nbf` (when present) agree with the
/// config. Used for opaque tokens and for IdPs whose tokens must be checked live.
struct IntrospectionClient: Sendable {
    static let maxResponseBytes = 256 * 1024

    let config: IdentityProviderConfig
    let url: String
    private let authorization: String
    private let httpClient: HTTPClient
    private let clock: TokenClock

    init(config: IdentityProviderConfig, url: String, clientID: String, clientSecret: String, httpClient: HTTPClient, clock: TokenClock) {
        self.config = config
        self.url = url
        let credentials = FormBody.encodeComponent(clientID) + ":" + FormBody.encodeComponent(clientSecret)
        self.authorization = "Basic " + Data(credentials.utf8).base64EncodedString()
        self.httpClient = httpClient
        self.clock = clock
    }

    func verify(_ token: String) async throws(OAuthError) -> VerifiedSubjectToken {
        let claims = try await introspect(token)
        guard claims.members["active"]?.bool == true else {
            throw OAuthError(.invalidGrant, .inactiveToken, "\(config.issuer) reports the token inactive")
        }
        try claims.checkIssuer(config.issuer, required: false)
        try claims.checkAudience(config.audiences, required: false)
        try claims.checkTimes(now: clock.now(), skew: config.clockSkew, requireExpiry: false)
        return try claims.verifiedToken(config: config)
    }

    private func introspect(_ token: String) async throws(OAuthError) -> TokenClaims {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "Authorization", value: authorization)
        request.body = .bytes(ByteBuffer(string: FormBody.encode([("token", token), ("token_type_hint", "access_token")])))
        let body: ByteBuffer
        do {
            let response = try await httpClient.execute(request, timeout: .seconds(10))
            guard response.status == .ok else {
                throw IdentityProviderHTTPError(status: response.status.code)
            }
            body = try await response.body.collect(upTo: Self.maxResponseBytes)
        } catch {
            throw OAuthError(.temporarilyUnavailable, .identityProviderUnavailable, "introspection at \(url) failed: \(error)")
        }
        guard case .object(let members)? = try? JSONDecoder().decode(JSONValue.self, from: Data(body.readableBytesView)) else {
            throw OAuthError(.temporarilyUnavailable, .identityProviderUnavailable, "introspection at \(url) did not answer a JSON object")
        }
        return TokenClaims(members)
    }
}
