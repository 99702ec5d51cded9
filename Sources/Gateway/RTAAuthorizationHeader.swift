import HTTP3
import RTATokens

/// Reads `Authorization: RTA <base64url>` (PROTOCOL.md §1). A missing header, another
/// scheme or undecodable text is an `invalid_token` failure, never a crash or a pass.
/// The value's syntax is `RTAToken(authorization:)`'s.
enum RTAAuthorizationHeader {
    static func token(in headers: [HTTP3Header]) -> Result<RTAToken, TokenError> {
        guard let header = headers.first(where: { isAuthorization($0.name) }) else {
            return .failure(TokenError(.badEncoding, "no Authorization header: send Authorization: RTA <token>"))
        }
        return Result { () throws(TokenError) in try RTAToken(authorization: header.value) }
    }

    /// `authorization` in any letter case, compared byte by byte without lowercasing a
    /// copy. `| 0x20` lowercases ASCII letters and turns no other byte into one, and no
    /// non-ASCII character lowercases to ASCII letters of this name, so this matches
    /// `lowercased() == "authorization"`.
    static func isAuthorization(_ name: String) -> Bool {
        let expected = "authorization".utf8
        guard name.utf8.count == expected.count else { return false }
        return zip(name.utf8, expected).allSatisfy { $0 | 0x20 == $1 }
    }
}
