import Foundation
import JWTKit
import NIOHTTP1
import Synchronization

/// The dev IdP's endpoints as plain functions of (method, path, headers, body), so
/// the NIO handler only moves bytes. Mints RFC 9068 access tokens with test knobs,
/// serves discovery and the JWKS, and introspects what it minted (RFC 7662).
final class DevIssuer: Sendable {
    struct Response: Sendable {
        var status: HTTPResponseStatus
        var body: Data
    }

    private struct State {
        var issuer = ""
        /// Where the endpoints live (differs from `issuer` only when one is configured).
        var baseURL = ""
        /// Every token minted, with its claims, for introspection.
        var minted: [String: [String: DevJSON]] = [:]
        var jwksRequests = 0
        var introspections = 0
    }

    let key: DevSigningKey
    private let introspectionClient: (id: String, secret: String)
    private let state = Mutex(State())

    init(key: DevSigningKey, introspectionClientID: String, introspectionClientSecret: String) {
        self.key = key
        self.introspectionClient = (introspectionClientID, introspectionClientSecret)
    }

    var issuer: String { state.withLock { $0.issuer } }

    /// Set once the listener is bound (the port is known only then).
    func configure(issuer: String, baseURL: String) {
        state.withLock {
            $0.issuer = issuer
            $0.baseURL = baseURL
        }
    }

    var jwksRequests: Int { state.withLock { $0.jwksRequests } }
    var introspections: Int { state.withLock { $0.introspections } }

    func respond(method: HTTPMethod, path: String, headers: HTTPHeaders, body: [UInt8]) -> Response {
        switch (method, path) {
        case (.GET, "/.well-known/openid-configuration"):
            return Response(status: .ok, body: discovery.data)
        case (.GET, "/jwks.json"):
            state.withLock { $0.jwksRequests += 1 }
            return Response(status: .ok, body: DevJSON.object(["keys": .array([key.publicJWK])]).data)
        case (.POST, "/token"):
            return mint(DevForm.parse(body))
        case (.POST, "/introspect"):
            return introspect(DevForm.parse(body), authorization: headers.first(name: "authorization"))
        default:
            return Response(status: .notFound, body: DevJSON.object(["error": .string("not_found")]).data)
        }
    }

    private var discovery: DevJSON {
        let (issuer, baseURL) = state.withLock { ($0.issuer, $0.baseURL) }
        return .object([
            "issuer": .string(issuer),
            "jwks_uri": .string(baseURL + "/jwks.json"),
            "token_endpoint": .string(baseURL + "/token"),
            "introspection_endpoint": .string(baseURL + "/introspect"),
            "id_token_signing_alg_values_supported": .array([.string(key.algorithm.rawValue)]),
        ])
    }

    /// `POST /token`. Knobs: `sub`, `aud` (space-separated), `scope`, `email`,
    /// `email_verified` (`true`/`false`), `phone_number`, `phone_number_verified`, `sid`,
    /// `client_id` (default `dev-agent`, the demo agent's id, so its `agent_id` is
    /// verified), `groups` (space-separated), `expires_in`; for negative tests `iss`, `typ`,
    /// `kid` (header override, still signed by the real key), `alg=none` (unsigned),
    /// `iat`/`nbf`/`exp` (seconds), and `token_format=opaque` (introspection only).
    private func mint(_ form: [String: String]) -> Response {
        let now = Int64(Date().timeIntervalSince1970)
        let lifetime = form["expires_in"].flatMap { Int64($0) } ?? 3_600
        let iat = form["iat"].flatMap { Int64($0) } ?? now
        let audiences = (form["aud"] ?? "rta-gateway").split(separator: " ").map { DevJSON.string(String($0)) }
        let scope = form["scope"] ?? "orders:read orders:write"
        var claims: [String: DevJSON] = [
            "iss": .string(form["iss"] ?? issuer),
            "sub": .string(form["sub"] ?? "alice"),
            "aud": audiences.count == 1 ? audiences[0] : .array(audiences),
            "iat": .integer(iat),
            "exp": .integer(form["exp"].flatMap { Int64($0) } ?? iat + lifetime),
            "jti": .string(Self.randomHex()),
            "client_id": .string(form["client_id"] ?? "dev-agent"),
            "scope": .string(scope),
        ]
        if let nbf = form["nbf"].flatMap({ Int64($0) }) { claims["nbf"] = .integer(nbf) }
        if let email = form["email"] { claims["email"] = .string(email) }
        if let sid = form["sid"] { claims["sid"] = .string(sid) }
        if let verified = form["email_verified"] { claims["email_verified"] = .bool(verified == "true") }
        if let phone = form["phone_number"] { claims["phone_number"] = .string(phone) }
        if let verified = form["phone_number_verified"] { claims["phone_number_verified"] = .bool(verified == "true") }
        if let groups = form["groups"] { claims["groups"] = .array(groups.split(separator: " ").map { .string(String($0)) }) }

        let token: String
        if form["token_format"] == "opaque" {
            token = "dev-opaque-" + Self.randomHex()
        } else {
            var header: [String: DevJSON] = ["typ": .string(form["typ"] ?? "at+jwt")]
            let unsigned = form["alg"]?.lowercased() == "none"
            header["alg"] = .string(unsigned ? "none" : key.algorithm.rawValue)
            if !unsigned { header["kid"] = .string(form["kid"] ?? key.keyID) }
            let signingInput = DevBase64URL.encode(DevJSON.object(header).data) + "." + DevBase64URL.encode(DevJSON.object(claims).data)
            if unsigned {
                token = signingInput + "."
            } else {
                guard let signature = try? key.signer.sign(Array(signingInput.utf8)) else {
                    return Response(status: .internalServerError, body: DevJSON.object(["error": .string("signing_failed")]).data)
                }
                token = signingInput + "." + DevBase64URL.encode(signature)
            }
        }
        state.withLock { $0.minted[token] = claims }
        return Response(status: .ok, body: DevJSON.object([
            "access_token": .string(token), "token_type": .string("Bearer"), "expires_in": .integer(lifetime),
            "scope": .string(scope),
        ]).data)
    }

    /// `POST /introspect` (RFC 7662), HTTP Basic client authentication required.
    private func introspect(_ form: [String: String], authorization: String?) -> Response {
        let expected = "Basic " + Data("\(introspectionClient.id):\(introspectionClient.secret)".utf8).base64EncodedString()
        guard authorization == expected else {
            return Response(status: .unauthorized, body: DevJSON.object(["error": .string("invalid_client")]).data)
        }
        let now = Int64(Date().timeIntervalSince1970)
        let claims: [String: DevJSON]? = state.withLock { state in
            state.introspections += 1
            return form["token"].flatMap { state.minted[$0] }
        }
        guard var claims, case .integer(let exp)? = claims["exp"], now < exp else {
            return Response(status: .ok, body: DevJSON.object(["active": .bool(false)]).data)
        }
        if case .integer(let nbf)? = claims["nbf"], now < nbf {
            return Response(status: .ok, body: DevJSON.object(["active": .bool(false)]).data)
        }
        claims["active"] = .bool(true)
        claims["token_type"] = .string("Bearer")
        return Response(status: .ok, body: DevJSON.object(claims).data)
    }

    private static func randomHex() -> String {
        (0..<2).map { _ in String(format: "%016llx", UInt64.random(in: .min ... .max)) }.joined()
    }
}
