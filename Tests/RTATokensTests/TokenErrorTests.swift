import RTATokens
import Testing

@Test func everyCodeMapsToAProtocolWireCode() {
    let wire = Set(TokenError.Code.allCases.map { TokenError($0, "").wireCode.rawValue })
    #expect(wire == ["invalid_token", "expired", "session_revoked", "stale_context", "binding_mismatch"])
    #expect(TokenError(.staleContext, "x").description == "stale_context (stale_context): x")
}
