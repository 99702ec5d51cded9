import TokenExchange

/// The JOSE header fields the SSF profile constrains (RFC 8417 §2.3, SSF §4.1.1,
/// RFC 8725 §3.1, §3.11): explicit typing and an algorithm we chose to allow.
struct SETHeader: Sendable {
    let algorithm: SETAlgorithm
    let keyID: String?

    init(_ header: [String: JSONValue]) throws(SETError) {
        guard let typ = header["typ"]?.string else {
            throw SETError(.invalidRequest, "JOSE header has no typ; SSF requires typ secevent+jwt")
        }
        guard Self.isSecurityEventType(typ) else {
            throw SETError(.invalidRequest, "typ is \(typ), expected secevent+jwt or application/secevent+jwt")
        }
        guard let alg = header["alg"]?.string else {
            throw SETError(.invalidRequest, "JOSE header has no alg")
        }
        guard let algorithm = SETAlgorithm(rawValue: alg) else {
            throw SETError(.invalidKey, "alg \(alg) is not accepted (allowed at most: RS256, PS256, ES256, HS256 with a shared secret)")
        }
        if let crit = header["crit"] {
            throw SETError(.invalidRequest, "JOSE crit \(crit) names extensions this receiver does not implement")
        }
        if let kid = header["kid"], kid.string == nil {
            throw SETError(.invalidRequest, "kid must be a string")
        }
        self.algorithm = algorithm
        self.keyID = header["kid"]?.string
    }

    /// RFC 7515 §4.1.9: a `typ` without `/` means `application/<typ>`; media types
    /// compare case-insensitively.
    static func isSecurityEventType(_ typ: String) -> Bool {
        let lowered = typ.lowercased()
        return lowered == "secevent+jwt" || lowered == "application/secevent+jwt"
    }
}
