/// The JWS algorithms a transmitter may be allowed to sign SETs with. `none` has no
/// case, so no configuration can allow it (RFC 8725 §3.1); `HS256` is usable only
/// with a configured shared secret, never with a key from the JWKS.
public enum SETAlgorithm: String, Sendable, Hashable, CaseIterable {
    /// Required by the CAEP Interoperability Profile §2.6 (keys of at least 2048 bits).
    case rs256 = "RS256"
    case ps256 = "PS256"
    case es256 = "ES256"
    case hs256 = "HS256"

    /// True for the algorithms verified with the transmitter's public JWKS keys.
    public var isAsymmetric: Bool { self != .hs256 }
}
