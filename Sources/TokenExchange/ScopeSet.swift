/// OAuth scope strings (RFC 6749 §3.3) and the attenuation rule of PROTOCOL.md §2:
/// a new session may carry only scopes its source already has.
public enum ScopeSet {
    /// Splits a `scope` value: tokens separated by single spaces, each made of
    /// `%x21 / %x23-5B / %x5D-7E` (no `"` or `\`). Duplicates are dropped; order kept.
    public static func parse(_ text: String) throws(OAuthError) -> [String] {
        var scopes: [String] = []
        var seen: Set<String> = []
        for token in text.split(separator: " ", omittingEmptySubsequences: false) {
            guard !token.isEmpty else {
                throw OAuthError(.invalidScope, .badScope, "scope must be scope tokens separated by single spaces")
            }
            guard token.utf8.allSatisfy(isScopeCharacter) else {
                throw OAuthError(.invalidScope, .badScope, "scope token \"\(token)\" contains a character RFC 6749 §3.3 does not allow")
            }
            if seen.insert(String(token)).inserted { scopes.append(String(token)) }
        }
        return scopes
    }

    /// The scopes the new session gets: `requested` if every one is `available`, all
    /// of `available` if nothing was requested.
    public static func attenuate(requested: [String]?, available: [String], source: String) throws(OAuthError) -> [String] {
        guard let requested else { return available }
        let allowed = Set(available)
        let escalated = requested.filter { !allowed.contains($0) }
        guard escalated.isEmpty else {
            throw OAuthError(.invalidScope, .scopeEscalation,
                             "requested scope \(escalated.joined(separator: " ")) is not carried by the \(source)")
        }
        return requested
    }

    private static func isScopeCharacter(_ byte: UInt8) -> Bool {
        byte == 0x21 || (0x23...0x5B).contains(byte) || (0x5D...0x7E).contains(byte)
    }
}
