import Foundation
import Crypto
import Sodium

/// Everything about one SET the test transmitter signs, with knobs for every way a
/// SET can be wrong. Defaults give a valid SSF 1.0 SET: `typ` secevent+jwt, RS256
/// with the current key's `kid`, the transmitter's `iss`, one event, a `sub_id`.
public struct SETRecipe: Sendable {
    /// How the JWS is signed.
    public enum Signing: Sendable {
        case rs256
        case ps256
        /// `alg: none`, empty signature.
        case none
        /// HMAC-SHA256 with this secret (e.g. the public key PEM, for algorithm confusion).
        case hs256(secret: [UInt8])
    }

    /// Which `kid` goes into the header.
    public enum KeyID: Sendable {
        case current
        case omitted
        case custom(String)
    }

    public var eventType: String
    public var payload: [String: TransmitterJSON]
    /// `sub_id`; nil leaves it out.
    public var subject: TransmitterJSON?
    /// `aud`; nil leaves it out.
    public var audience: TransmitterJSON?
    /// `iss`; nil uses the transmitter's issuer.
    public var issuer: String?
    public var jti: String
    /// `iat` in seconds; nil is now.
    public var issuedAt: Int64?
    public var transaction: String?
    /// More events in the same SET (SSF wants exactly one).
    public var additionalEvents: [String: [String: TransmitterJSON]]
    /// Claims added verbatim at the top level (e.g. `sub`, `exp`).
    public var extraClaims: [String: TransmitterJSON]
    /// Header `typ`; nil leaves it out.
    public var typ: String?
    public var signing: Signing
    /// Header `alg` written instead of the signing algorithm's name.
    public var headerAlgorithm: String?
    public var keyID: KeyID

    public init(
        eventType: String, payload: [String: TransmitterJSON] = [:], subject: TransmitterJSON?, audience: TransmitterJSON?,
        issuer: String? = nil, jti: String = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased(),
        issuedAt: Int64? = nil, transaction: String? = UUID().uuidString.lowercased(),
        additionalEvents: [String: [String: TransmitterJSON]] = [:], extraClaims: [String: TransmitterJSON] = [:],
        typ: String? = "secevent+jwt", signing: Signing = .rs256, headerAlgorithm: String? = nil, keyID: KeyID = .current
    ) {
        self.eventType = eventType
        self.payload = payload
        self.subject = subject
        self.audience = audience
        self.issuer = issuer
        self.jti = jti
        self.issuedAt = issuedAt
        self.transaction = transaction
        self.additionalEvents = additionalEvents
        self.extraClaims = extraClaims
        self.typ = typ
        self.signing = signing
        self.headerAlgorithm = headerAlgorithm
        self.keyID = keyID
    }

    /// The compact JWS, signed with `key`; `defaultIssuer` is the `iss` unless `issuer`
    /// overrides it, and `now` (UNIX seconds) the `iat` unless `issuedAt` does. Public so
    /// `rta-gateway ssf-transmitter send` can sign without starting a server.
    public func sign(defaultIssuer: String, key: TransmitterSigningKey, now: Int64) throws -> String {
        var header: [String: TransmitterJSON] = [:]
        if let typ { header["typ"] = .string(typ) }
        let algorithmName: String = switch signing {
        case .rs256: "RS256"
        case .ps256: "PS256"
        case .none: "none"
        case .hs256: "HS256"
        }
        header["alg"] = .string(headerAlgorithm ?? algorithmName)
        switch keyID {
        case .current: header["kid"] = .string(key.keyID)
        case .omitted: break
        case .custom(let kid): header["kid"] = .string(kid)
        }
        var events: [String: TransmitterJSON] = [eventType: .object(payload)]
        for (type, body) in additionalEvents { events[type] = .object(body) }
        var claims: [String: TransmitterJSON] = [
            "iss": .string(issuer ?? defaultIssuer), "jti": .string(jti), "iat": .integer(issuedAt ?? now), "events": .object(events),
        ]
        if let subject { claims["sub_id"] = subject }
        if let audience { claims["aud"] = audience }
        if let transaction { claims["txn"] = .string(transaction) }
        claims.merge(extraClaims) { _, extra in extra }
        let signingInput = Base64URL.encode(TransmitterJSON.object(header).encoded) + "."
            + Base64URL.encode(TransmitterJSON.object(claims).encoded)
        let signature: [UInt8] = switch signing {
        case .rs256: try key.rs256.sign(Array(signingInput.utf8))
        case .ps256: try key.ps256.sign(Array(signingInput.utf8))
        case .none: []
        case .hs256(let secret): Array(HMAC<Crypto.SHA256>.authenticationCode(for: Array(signingInput.utf8), using: SymmetricKey(data: secret)))
        }
        return signingInput + "." + Base64URL.encode(signature)
    }
}
