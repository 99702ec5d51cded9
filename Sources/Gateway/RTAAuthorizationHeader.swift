import Foundation
import HTTP3
import RTATokens

/// Reads `Authorization: RTA <base64url>` (PROTOCOL.md §1). A missing header, another
/// scheme or undecodable text is an `invalid_token` failure, never a crash or a pass.
enum RTAAuthorizationHeader {
    static let scheme = "rta"

    static func token(in headers: [HTTP3Header]) -> Result<[UInt8], TokenError> {
        guard let value = headers.first(where: { $0.name.lowercased() == "authorization" })?.value else {
            return .failure(TokenError(.badEncoding, "no Authorization header: send Authorization: RTA <token>"))
        }
        let parts = value.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == scheme else {
            return .failure(TokenError(.badEncoding, "Authorization must use the RTA scheme"))
        }
        do {
            return .success(try RTAToken(base64url: parts[1].trimmingCharacters(in: .whitespaces)).bytes)
        } catch {
            return .failure(error)
        }
    }
}
