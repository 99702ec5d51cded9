import HTTP3
import RTATokens
import Sodium
import Testing

@testable import Gateway

/// The byte-level parse must give what the String rules give, including every error
/// message: `bad_encoding` and `bad_length` reach the audit record and the logs.
struct RTAAuthorizationHeaderTests {
    /// Structurally valid (magic, version, no flags); the signature is not checked here.
    static let tokenBytes: [UInt8] = [0x52, 0x54, 0x01, 0x00] + [UInt8](repeating: 0x5a, count: 124)
    static let token = Base64URL.encode(tokenBytes)

    func parse(_ value: String, name: String = "authorization") -> Result<[UInt8], TokenError> {
        RTAAuthorizationHeader.token(in: [HTTP3Header("accept", "*/*"), HTTP3Header(name, value)]).map(\.bytes)
    }

    static let schemeError = TokenError(.badEncoding, "Authorization must use the RTA scheme")

    @Test(arguments: [
        "RTA \(token)", "rta \(token)", "  Rta   \(token)\t ", "RTA \t\(token)",
        // Non-ASCII: Foundation's whitespace set trims these (the String path).
        "RTA \(token)\u{00A0}", "RTA \u{3000}\(token)\u{200B}",
    ])
    func acceptsTheRTASchemeWithBlanksAroundTheToken(value: String) {
        #expect(parse(value) == .success(Self.tokenBytes))
    }

    @Test func fieldNameIsCaseInsensitive() {
        #expect(parse("RTA \(Self.token)", name: "Authorization") == .success(Self.tokenBytes))
        #expect(parse("RTA \(Self.token)", name: "authorizations")
                == .failure(TokenError(.badEncoding, "no Authorization header: send Authorization: RTA <token>")))
        #expect(RTAAuthorizationHeader.isAuthorization("AUTHORIZATION"))
        #expect(!RTAAuthorizationHeader.isAuthorization("authorizatioN!"))
        #expect(!RTAAuthorizationHeader.isAuthorization("authoriza\u{0130}on"))
    }

    @Test(arguments: [
        "Bearer \(token)", "RTA", "RTA ", "", "   ", "RTA\t\(token)", "RTAX \(token)", "R A \(token)",
        // A space followed by a combining mark is not a space Character, so there is no split.
        "RTA\u{00A0}\(token)", "RTA \u{301}\(token)",
    ])
    func otherSchemesAndMissingTokensAreRejected(value: String) {
        #expect(parse(value) == .failure(Self.schemeError))
    }

    @Test func undecodableTokensKeepTheirMessages() {
        let cases: [(String, TokenError)] = [
            ("RTA  ", TokenError(.badLength, "token must be 128 bytes, got 0")),
            ("RTA \(Self.token)=", TokenError(.badEncoding, "token is not base64url: not canonical unpadded base64url (172 characters)")),
            ("RTA \(Self.token) x", TokenError(.badEncoding, "token is not base64url: not canonical unpadded base64url (173 characters)")),
            ("RTA \(Self.token)\u{00E9}", TokenError(.badEncoding, "token is not base64url: not canonical unpadded base64url (173 characters)")),
            ("RTA AAAA", TokenError(.badLength, "token must be 128 bytes, got 3")),
            ("RTA \(Self.token)\r\n", TokenError(.badEncoding, "token is not base64url: not canonical unpadded base64url (173 characters)")),
        ]
        for (value, error) in cases {
            #expect(parse(value) == .failure(error), "\(value.debugDescription)")
        }
        #expect(RTAAuthorizationHeader.token(in: [HTTP3Header("accept", "*/*")])
                == .failure(TokenError(.badEncoding, "no Authorization header: send Authorization: RTA <token>")))
    }
}
