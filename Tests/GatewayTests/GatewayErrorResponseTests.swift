import Foundation
import Gateway
import NIOCore
import RTATokens
import Testing

@Suite struct GatewayErrorResponseTests {
    @Test func bodyIsValidJSONWithSortedKeysWhateverTheMessageHolds() throws {
        let message = "path \"/a\\b\"\n\ttab\u{01} é ✓"
        let response = GatewayErrorResponse(status: 403, code: "forbidden", message: message, decisionID: "abc123")
        let text = String(buffer: response.body)
        #expect(text.hasPrefix(#"{"decision":"abc123","error":"forbidden","message":""#))
        #expect(!text.contains(#"\/"#))
        #expect(text.contains(#"\u0001"#))
        let parsed = try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: String])
        #expect(parsed == ["decision": "abc123", "error": "forbidden", "message": message])
    }

    @Test func unauthorizedNamesOnlyTheWireCode() throws {
        let response = GatewayErrorResponse.unauthorized(.init(.sessionRevoked, "internal detail"))
        #expect(String(buffer: response.body) == #"{"error":"session_revoked","message":"the RTA token was refused"}"#)
        #expect(response.headers.map(\.value) == [#"RTA error="session_revoked""#])
    }
}
