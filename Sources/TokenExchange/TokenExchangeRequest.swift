import Foundation
import RTATokens
import Sodium

/// A parsed `POST /.well-known/rta/token` request (PROTOCOL.md §2). Constructing one
/// applies every parameter rule, so the service only ever sees well-formed input:
/// a request that reaches token validation has a supported grant and token type, a
/// usable agent id, a nonce of at least 16 bytes, a 32-byte PoP key if any, and a
/// syntactically valid scope.
public struct TokenExchangeRequest: Sendable, Equatable {
    public static let grantType = "urn:ietf:params:oauth:grant-type:rta_token_exchange"
    public static let minNonceBytes = 16
    /// Bounds the replay store's memory per entry.
    public static let maxNonceBytes = 64
    public static let maxAgentIDLength = 256

    public var subjectToken: String
    public var subjectTokenType: SubjectTokenType
    public var agentID: String
    public var agentMeta: [String: ClaimValue]
    /// The canonical base64url text (strict decoding gives each nonce one spelling).
    public var nonce: String
    public var popKey: Ed25519PublicKey?
    /// nil when `scope` was omitted: the new session gets every scope the subject
    /// token (or parent session) carries.
    public var scopes: [String]?

    public init(
        subjectToken: String, subjectTokenType: SubjectTokenType, agentID: String, agentMeta: [String: ClaimValue] = [:],
        nonce: String, popKey: Ed25519PublicKey? = nil, scopes: [String]? = nil
    ) {
        self.subjectToken = subjectToken
        self.subjectTokenType = subjectTokenType
        self.agentID = agentID
        self.agentMeta = agentMeta
        self.nonce = nonce
        self.popKey = popKey
        self.scopes = scopes
    }

    /// Parses the form body (see `FormBody` for the encoding rules).
    public init(formBody: some Collection<UInt8>) throws(OAuthError) {
        try self.init(parameters: FormBody.parse(formBody))
    }

    /// Applies the §2 rules to decoded parameters. Unknown parameters are ignored
    /// (RFC 6749 §3.2), except RFC 8693 `requested_token_type`, which must ask for
    /// an RTA token if present.
    public init(parameters: [String: String]) throws(OAuthError) {
        let grant = try Self.required("grant_type", parameters)
        guard grant == Self.grantType else {
            throw OAuthError(.unsupportedGrantType, .unsupportedGrantType, "grant_type must be \(Self.grantType), got \(grant)")
        }
        let tokenTypeText = try Self.required("subject_token_type", parameters)
        guard let tokenType = SubjectTokenType(rawValue: tokenTypeText) else {
            throw OAuthError(.invalidRequest, .unsupportedTokenType,
                             "subject_token_type \(tokenTypeText) is not one of \(SubjectTokenType.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let requested = parameters["requested_token_type"], requested != SubjectTokenType.rta.rawValue {
            throw OAuthError(.invalidRequest, .unsupportedTokenType,
                             "requested_token_type must be \(SubjectTokenType.rta.rawValue) if present, got \(requested)")
        }
        let agentID = try Self.agentID(Self.required("agent_id", parameters))
        let nonce = try Self.nonce(Self.required("nonce", parameters))
        self.init(
            subjectToken: try Self.required("subject_token", parameters),
            subjectTokenType: tokenType,
            agentID: agentID,
            agentMeta: try parameters["agent_meta"].map { text throws(OAuthError) in try Self.agentMeta(text) } ?? [:],
            nonce: nonce,
            popKey: try parameters["pop_key"].map { text throws(OAuthError) in try Self.popKey(text) },
            scopes: try parameters["scope"].map { text throws(OAuthError) in try ScopeSet.parse(text) }
        )
    }

    private static func required(_ name: String, _ parameters: [String: String]) throws(OAuthError) -> String {
        guard let value = parameters[name] else {
            throw OAuthError(.invalidRequest, .missingParameter, "\(name) is required")
        }
        return value
    }

    /// Visible ASCII without `,`: the id is a chain element, and the chain travels
    /// comma-separated in `RTA-Chain` (PROTOCOL.md §7).
    private static func agentID(_ text: String) throws(OAuthError) -> String {
        guard text.utf8.count <= maxAgentIDLength else {
            throw OAuthError(.invalidRequest, .badAgentID, "agent_id is \(text.utf8.count) bytes; at most \(maxAgentIDLength) are allowed")
        }
        guard text.utf8.allSatisfy({ (0x21...0x7E).contains($0) && $0 != UInt8(ascii: ",") }) else {
            throw OAuthError(.invalidRequest, .badAgentID, "agent_id must be visible ASCII without spaces or commas")
        }
        return text
    }

    private static func agentMeta(_ text: String) throws(OAuthError) -> [String: ClaimValue] {
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        } catch {
            throw OAuthError(.invalidRequest, .badAgentMeta, "agent_meta is not valid JSON")
        }
        guard case .object(let members) = value else {
            throw OAuthError(.invalidRequest, .badAgentMeta, "agent_meta must be a JSON object")
        }
        return members.mapValues(\.claimValue)
    }

    private static func nonce(_ text: String) throws(OAuthError) -> String {
        let bytes: [UInt8]
        do {
            bytes = try Base64URL.decode(text)
        } catch {
            throw OAuthError(.invalidRequest, .badNonce, "nonce is not unpadded base64url: \(error.message)")
        }
        guard (minNonceBytes...maxNonceBytes).contains(bytes.count) else {
            throw OAuthError(.invalidRequest, .badNonce,
                             "nonce decodes to \(bytes.count) bytes; \(minNonceBytes) to \(maxNonceBytes) are required")
        }
        return text
    }

    private static func popKey(_ text: String) throws(OAuthError) -> Ed25519PublicKey {
        do {
            return try Ed25519PublicKey(bytes: Base64URL.decode(text))
        } catch {
            throw OAuthError(.invalidRequest, .badPoPKey, "pop_key must be a base64url 32-byte Ed25519 public key: \(error.message)")
        }
    }
}
