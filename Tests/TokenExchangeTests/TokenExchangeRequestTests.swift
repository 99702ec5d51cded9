import Foundation
import RTATokens
import Testing
import TokenExchange

@Suite struct TokenExchangeRequestTests {
    static let nonce = "AAECAwQFBgcICQoLDA0ODw"  // 16 bytes
    static let popKey = ExchangeFixture.base64url(Array(repeating: 7, count: 32))

    static func body(_ extra: [(String, String)] = [], dropping: Set<String> = []) -> [UInt8] {
        let base: [(String, String)] = [
            ("grant_type", TokenExchangeRequest.grantType),
            ("subject_token", "eyJhbGciOi.x.y"),
            ("subject_token_type", SubjectTokenType.accessToken.rawValue),
            ("agent_id", "agent-1"),
            ("nonce", nonce),
        ]
        return Array(FormBody.encode(base.filter { !dropping.contains($0.0) } + extra).utf8)
    }

    static func failure(_ body: [UInt8]) -> OAuthError? {
        do {
            _ = try TokenExchangeRequest(formBody: body)
            return nil
        } catch {
            return error
        }
    }

    @Test func parsesEveryParameterWithPercentAndPlusDecoding() throws {
        let raw = "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Arta_token_exchange&subject_token=abc.def.ghi"
            + "&subject_token_type=urn:ietf:params:oauth:token-type:jwt&agent_id=agent%2D1&nonce=\(Self.nonce)"
            + "&pop_key=\(Self.popKey)&scope=orders%3Aread+orders%3Awrite+orders%3Aread"
            + "&agent_meta=%7B%22name%22%3A%22bot+one%22%2C%22version%22%3A3%2C%22temp%22%3A0.5%7D&unknown=ignored"
        let request = try TokenExchangeRequest(formBody: Array(raw.utf8))
        #expect(request.subjectToken == "abc.def.ghi")
        #expect(request.subjectTokenType == .jwt)
        #expect(request.agentID == "agent-1")
        #expect(request.nonce == Self.nonce)
        #expect(request.popKey?.bytes == Array(repeating: 7, count: 32))
        #expect(request.scopes == ["orders:read", "orders:write"])
        #expect(request.agentMeta == ["name": .string("bot one"), "version": .integer(3), "temp": .string("0.5")])
    }

    @Test func omittedScopeMeansEverything() throws {
        #expect(try TokenExchangeRequest(formBody: Self.body()).scopes == nil)
    }

    @Test func duplicateParameterIsRefused() {
        let error = Self.failure(Self.body([("agent_id", "agent-2")]))
        #expect(error?.code == .invalidRequest)
        #expect(error?.reason == .duplicateParameter)
        #expect(error?.message == "parameter agent_id appears more than once")
    }

    @Test func missingRequiredParametersAreNamed() {
        for name in ["grant_type", "subject_token", "subject_token_type", "agent_id", "nonce"] {
            let error = Self.failure(Self.body(dropping: [name]))
            #expect(error?.code == .invalidRequest)
            #expect(error?.message == "\(name) is required")
        }
    }

    @Test func wrongGrantTypeIsUnsupported() {
        let error = Self.failure(Self.body([("grant_type", "client_credentials")], dropping: ["grant_type"]))
        #expect(error?.code == .unsupportedGrantType)
        #expect(error?.httpStatus == 400)
    }

    @Test func badParametersAreInvalidRequests() {
        let cases: [(String, String, ExchangeFailureReason)] = [
            ("subject_token_type", "urn:ietf:params:oauth:token-type:saml2", .unsupportedTokenType),
            ("nonce", "AAECAwQFBgcICQoLDA0O", .badNonce),  // 15 bytes
            ("nonce", "not base64url!", .badNonce),
            ("agent_id", "agent,evil", .badAgentID),
            ("agent_id", "agent 1", .badAgentID),
        ]
        for (name, value, reason) in cases {
            let error = Self.failure(Self.body([(name, value)], dropping: [name]))
            #expect(error?.code == .invalidRequest, "\(name)=\(value)")
            #expect(error?.reason == reason, "\(name)=\(value)")
        }
        #expect(Self.failure(Self.body([("pop_key", ExchangeFixture.base64url([1, 2, 3]))]))?.reason == .badPoPKey)
        #expect(Self.failure(Self.body([("agent_meta", "[1,2]")]))?.reason == .badAgentMeta)
        #expect(Self.failure(Self.body([("agent_meta", "{nope")]))?.reason == .badAgentMeta)
        #expect(Self.failure(Self.body([("requested_token_type", "urn:ietf:params:oauth:token-type:jwt")]))?.reason == .unsupportedTokenType)
    }

    @Test func malformedEncodingIsRefused() {
        #expect(Self.failure(Self.body() + Array("&agent_meta=%7".utf8))?.reason == .malformedBody)
        #expect(Self.failure(Self.body() + Array("&x=%ZZ".utf8))?.reason == .malformedBody)
        #expect(Self.failure(Self.body() + Array("&x=%FF".utf8))?.message == "value of x is not valid UTF-8 after percent-decoding")
        #expect(Self.failure(Array(repeating: UInt8(ascii: "a"), count: FormBody.maxBytes + 1))?.reason == .malformedBody)
    }

    @Test func malformedScopeIsInvalidScope() {
        let error = Self.failure(Self.body([("scope", "a  b")]))
        #expect(error?.code == .invalidScope)
        #expect(error?.reason == .badScope)
        #expect(Self.failure(Self.body([("scope", "a\"b")]))?.code == .invalidScope)
    }

    @Test func errorBodyIsRFC6749JSON() throws {
        let error = try #require(Self.failure(Self.body([("agent_id", "x")])))
        let json = try JSONSerialization.jsonObject(with: error.jsonBody) as? [String: String]
        #expect(json == ["error": "invalid_request", "error_description": "parameter agent_id appears more than once"])
    }
}

@Suite struct FormBodyTests {
    @Test func encodeAndParseRoundTrip() throws {
        let parameters = [("a b", "x+y=z&w"), ("ü", "%41 ~")]
        let encoded = FormBody.encode(parameters)
        #expect(encoded == "a+b=x%2By%3Dz%26w&%C3%BC=%2541+%7E")
        #expect(try FormBody.parse(Array(encoded.utf8)) == ["a b": "x+y=z&w", "ü": "%41 ~"])
    }

    @Test func emptyValuesCountAsOmittedButStillCountAsRepeats() throws {
        #expect(try FormBody.parse(Array("a=&b=1&&c".utf8)) == ["b": "1"])
        #expect(throws: OAuthError.self) { try FormBody.parse(Array("a=&a=1".utf8)) }
    }

    @Test func contentTypeMatchingIgnoresCaseAndParameters() {
        #expect(FormBody.acceptsContentType("Application/X-WWW-Form-URLEncoded ; charset=utf-8"))
        #expect(!FormBody.acceptsContentType("application/json"))
        #expect(!FormBody.acceptsContentType(nil))
    }
}
