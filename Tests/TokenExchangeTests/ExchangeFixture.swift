import AsyncHTTPClient
import DevIdentityProvider
import Foundation
import NIOCore
import RTATokens
import TokenExchange

/// A real dev IdP on loopback plus a `TokenExchangeService` trusting it, the way the
/// gateway wires them. Tests mint tokens over HTTP exactly as an agent's IdP would.
struct ExchangeFixture {
    static let audience = "rta-gateway"

    let idp: DevIdentityProvider
    let service: TokenExchangeService
    let verifier: SubjectTokenVerifier
    let sessions: any SessionStore
    let revocations: InMemorySubjectRevocations
    let keyRing: KeyRing

    enum Mode {
        case jwks
        case introspection
    }

    /// `provider` adjusts the IdP entry (e.g. `agents`); `configuration` is the service's.
    static func start(
        _ mode: Mode = .jwks, algorithm: DevSigningKey.Algorithm = .es256, allowedAlgorithms: [String] = ["RS256", "ES256"],
        provider: (inout IdentityProviderConfig) -> Void = { _ in },
        configuration: TokenExchangeConfiguration = TokenExchangeConfiguration()
    ) async throws -> ExchangeFixture {
        let idp = try await DevIdentityProvider.start(DevIdentityProvider.Configuration(algorithm: algorithm))
        let validation: IdentityProviderConfig.Validation =
            switch mode {
            case .jwks: .jwks(url: idp.jwksURL)
            case .introspection:
                .introspection(url: idp.introspectionURL, clientID: idp.configuration.introspectionClientID,
                               clientSecret: idp.configuration.introspectionClientSecret)
            }
        var config = IdentityProviderConfig(issuer: idp.issuer, audiences: [audience], validation: validation,
                                            allowedAlgorithms: allowedAlgorithms)
        provider(&config)
        let verifier = try await SubjectTokenVerifier(providers: [config])
        let keyRing = try KeyRing(current: SigningKey.generate(keyID: 7))
        let sessions = InMemorySessionStore()
        let revocations = InMemorySubjectRevocations()
        let service = TokenExchangeService(verifier: verifier, keyRing: keyRing, sessions: sessions, revocations: revocations,
                                           configuration: configuration)
        return ExchangeFixture(idp: idp, service: service, verifier: verifier, sessions: sessions, revocations: revocations,
                               keyRing: keyRing)
    }

    /// `POST /token` on the dev IdP; returns the access token.
    func mint(_ form: [String: String] = [:]) async throws -> String {
        var request = HTTPClientRequest(url: idp.tokenURL)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.body = .bytes(ByteBuffer(string: FormBody.encode(form.sorted { $0.key < $1.key })))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 20)
        let json = try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any]
        guard let token = json?["access_token"] as? String else {
            throw FixtureError(message: "dev IdP answered \(response.status) without access_token")
        }
        return token
    }

    func request(
        token: String, type: SubjectTokenType = .accessToken, agent: String = "agent-1", scopes: [String]? = nil,
        nonce: String = ExchangeFixture.freshNonce()
    ) -> TokenExchangeRequest {
        TokenExchangeRequest(subjectToken: token, subjectTokenType: type, agentID: agent, nonce: nonce, scopes: scopes)
    }

    func exchange(_ request: TokenExchangeRequest, connection: UInt64 = 1) async -> Result<TokenExchangeResponse, OAuthError> {
        await service.exchange(request, connectionID: connection, signatureCache: nil)
    }

    func shutdown() async throws {
        try await idp.shutdown()
    }

    static func freshNonce(bytes: Int = 16) -> String {
        base64url((0..<bytes).map { _ in UInt8.random(in: 0...255) })
    }

    static func base64url(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func nowSeconds() -> Int64 { Int64(Date().timeIntervalSince1970) }
}

struct FixtureError: Error {
    let message: String
}

extension Result {
    /// The failure, for `#expect(result.failure?.reason == …)`.
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }

    var success: Success? {
        if case .success(let value) = self { return value }
        return nil
    }
}
