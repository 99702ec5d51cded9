import Foundation
import Sodium

/// A JWS compact serialization (RFC 7515 §7.1) split and decoded, nothing verified:
/// the verifier reads the header to choose the issuer config and key, then checks
/// the signature over `signingInput` before trusting a single claim.
struct CompactJWT: Sendable {
    let header: [String: JSONValue]
    let claims: TokenClaims
    let signingInput: [UInt8]
    let signature: [UInt8]

    /// nil when `text` is not shaped like a JWT at all (an opaque token); throws when
    /// it is shaped like one but does not decode.
    static func parseIfJWT(_ text: String) throws(OAuthError) -> CompactJWT? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].hasPrefix("eyJ") else { return nil }
        return try CompactJWT(parts: parts)
    }

    private init(parts: [Substring]) throws(OAuthError) {
        let header = try Self.object(parts[0], what: "header")
        let payload = try Self.object(parts[1], what: "payload")
        do {
            signature = try Base64URL.decode(String(parts[2]))
        } catch {
            throw OAuthError(.invalidGrant, .malformedJWT, "JWT signature is not base64url")
        }
        self.header = header
        self.claims = TokenClaims(payload)
        self.signingInput = Array(parts[0].utf8) + [UInt8(ascii: ".")] + Array(parts[1].utf8)
    }

    var algorithm: String? { header["alg"]?.string }
    var keyID: String? { header["kid"]?.string }
    var type: String? { header["typ"]?.string }

    private static func object(_ part: Substring, what: String) throws(OAuthError) -> [String: JSONValue] {
        let bytes: [UInt8]
        do {
            bytes = try Base64URL.decode(String(part))
        } catch {
            throw OAuthError(.invalidGrant, .malformedJWT, "JWT \(what) is not base64url")
        }
        guard case .object(let members)? = try? JSONDecoder().decode(JSONValue.self, from: Data(bytes)) else {
            throw OAuthError(.invalidGrant, .malformedJWT, "JWT \(what) is not a JSON object")
        }
        return members
    }
}
