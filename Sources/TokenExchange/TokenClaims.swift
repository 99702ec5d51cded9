import RTATokens

/// The claims of a JWT payload or an RFC 7662 introspection response: both use the
/// same names (`iss`, `sub`, `aud`, `exp`, `nbf`, `iat`, `scope`, …), so both are
/// checked and reduced to a `VerifiedSubjectToken` by the same code.
struct TokenClaims: Sendable {
    let members: [String: JSONValue]

    init(_ members: [String: JSONValue]) {
        self.members = members
    }

    /// `iss` must equal the configured issuer exactly (when `required`, it must be present).
    func checkIssuer(_ expected: String, required: Bool) throws(OAuthError) {
        guard let value = members["iss"] else {
            if required { throw OAuthError(.invalidGrant, .missingClaim, "token has no iss claim") }
            return
        }
        guard value.string == expected else {
            throw OAuthError(.invalidGrant, .wrongIssuer, "token iss is not \(expected)")
        }
    }

    /// `aud` (a string or an array) must name at least one of the gateway's audiences.
    func checkAudience(_ accepted: [String], required: Bool) throws(OAuthError) {
        guard let value = members["aud"] else {
            if required { throw OAuthError(.invalidGrant, .missingClaim, "token has no aud claim") }
            return
        }
        let named: [String]
        switch value {
        case .string(let single): named = [single]
        case .array(let items): named = items.compactMap(\.string)
        default: named = []
        }
        guard named.contains(where: accepted.contains) else {
            throw OAuthError(.invalidGrant, .wrongAudience,
                             "token aud \(named) does not name this gateway (\(accepted.joined(separator: ", ")))")
        }
    }

    /// `exp` (required when `requireExpiry`), `nbf` and `iat` against `now` (ms) with `skew` (ms).
    func checkTimes(now: UInt64, skew: UInt64, requireExpiry: Bool) throws(OAuthError) {
        let nowSeconds = Int64(now / 1_000)
        let skewSeconds = Int64(skew / 1_000)
        if let exp = try seconds("exp") {
            guard nowSeconds < exp + skewSeconds else {
                throw OAuthError(.invalidGrant, .tokenExpired, "token expired at \(exp) (now \(nowSeconds), skew \(skewSeconds) s)")
            }
        } else if requireExpiry {
            throw OAuthError(.invalidGrant, .missingClaim, "token has no exp claim")
        }
        if let nbf = try seconds("nbf"), nowSeconds + skewSeconds < nbf {
            throw OAuthError(.invalidGrant, .tokenNotYetValid, "token is not valid before \(nbf) (now \(nowSeconds), skew \(skewSeconds) s)")
        }
        if let iat = try seconds("iat"), nowSeconds + skewSeconds < iat {
            throw OAuthError(.invalidGrant, .tokenNotYetValid, "token iat \(iat) is in the future (now \(nowSeconds), skew \(skewSeconds) s)")
        }
    }

    /// The verified token's content: subject, scopes, policy claims, `iat` in ms, the
    /// OAuth client (RFC 9068 `client_id`, else OIDC `azp`) and the identifiers the
    /// token proves for revocation checks: an email only when `email_verified` is true
    /// or the IdP is configured authoritative for email, a phone number only when
    /// `phone_number_verified` is true (an unverified claim is whatever the user typed).
    func verifiedToken(config: IdentityProviderConfig) throws(OAuthError) -> VerifiedSubjectToken {
        guard let sub = members["sub"]?.string, !sub.isEmpty else {
            throw OAuthError(.invalidGrant, .missingClaim, "token has no sub claim")
        }
        let email = members["email"]?.string
        let subject = Subject(issuer: config.issuer, sub: sub, email: email, sid: members["sid"]?.string)
        var claims: [String: ClaimValue] = [:]
        for name in config.policyClaims {
            if let value = members[name] { claims[name] = value.claimValue }
        }
        let issuedAt = try seconds("iat").flatMap { $0 >= 0 ? UInt64($0) * 1_000 : nil }
        let clientID = [members["client_id"]?.string, members["azp"]?.string].lazy.compactMap { $0 }.first { !$0.isEmpty }
        let emailProven = config.emailAuthoritative || members["email_verified"]?.bool == true
        let phoneProven = members["phone_number_verified"]?.bool == true
        return VerifiedSubjectToken(
            subject: subject, scopes: scopes, claims: claims, issuedAt: issuedAt, clientID: clientID,
            provenEmail: emailProven ? email : nil, provenPhoneNumber: phoneProven ? members["phone_number"]?.string : nil)
    }

    /// RFC 9068 §2.2.3 / RFC 7662 `scope` (space-separated), or the `scp` array some
    /// IdPs use instead.
    var scopes: [String] {
        var list: [String] = []
        if let text = members["scope"]?.string {
            list = text.split(separator: " ").map(String.init)
        } else if case .array(let items)? = members["scp"] {
            list = items.compactMap(\.string)
        } else if let text = members["scp"]?.string {
            list = text.split(separator: " ").map(String.init)
        }
        var seen: Set<String> = []
        return list.filter { seen.insert($0).inserted }
    }

    private func seconds(_ name: String) throws(OAuthError) -> Int64? {
        guard let value = members[name] else { return nil }
        guard let seconds = value.seconds else {
            throw OAuthError(.invalidGrant, .malformedJWT, "\(name) is not a NumericDate")
        }
        return seconds
    }
}
