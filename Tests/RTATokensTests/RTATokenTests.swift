import RTATokens
import Sodium
import Testing

@Test func tokenRoundTripsThroughBytesAndBase64url() throws {
    let ring = try devKeyRing()
    let session = makeSession()
    let token = session.issueToken(keyRing: ring, at: baseTime + 123)
    #expect(token.bytes.count == 128)
    #expect(Array(token.bytes[0..<4]) == [0x52, 0x54, 0x01, 0x00])
    #expect(Array(token.bytes[4..<8]) == [0, 0, 0, 2])
    #expect(Array(token.bytes[8..<24]) == session.id.bytes)
    #expect(Array(token.bytes[24..<56]) == session.contextHash.bytes)
    let text = token.base64url
    #expect(text.count == 171)
    let parsed = try RTAToken(base64url: text)
    #expect(parsed == token)
    #expect(parsed.keyID == 2)
    #expect(parsed.issuedAt == baseTime + 123)
    #expect(parsed.sessionID == session.id)
    #expect(parsed.contextHash == session.contextHash)
    #expect(ring.current.publicKey.isValidSignature(parsed.signature, for: parsed.signedBytes))
}

@Test func issuedAtIsBigEndianMilliseconds() throws {
    let token = makeSession().issueToken(keyRing: try devKeyRing(), at: 0x0102_0304_0506_0708)
    #expect(Array(token.bytes[56..<64]) == [1, 2, 3, 4, 5, 6, 7, 8])
}

@Test func flagsFollowTheSessionShape() throws {
    let pop = try Ed25519PrivateKey.generate()
    let session = makeSession(parent: .random(), popKey: pop.publicKey)
    let token = session.issueToken(keyRing: try devKeyRing(), at: baseTime)
    #expect(token.bytes[3] == 0b11)
    #expect(try RTAToken(bytes: token.bytes).flags == [.delegated, .pop])
}

@Test func structuralFailuresHaveStableCodes() throws {
    let good = makeSession().issueToken(keyRing: try devKeyRing(), at: baseTime).bytes
    var badMagic = good
    badMagic[0] = 0x58
    var badVersion = good
    badVersion[2] = 2
    var badFlags = good
    badFlags[3] = 0x04
    let cases: [([UInt8], TokenError.Code)] = [
        (Array(good.prefix(127)), .badLength), (good + [0], .badLength), (badMagic, .badMagic),
        (badVersion, .badVersion), (badFlags, .badFlags),
    ]
    for (bytes, code) in cases {
        #expect(throws: TokenError.self) { try RTAToken(bytes: bytes) }
        do {
            _ = try RTAToken(bytes: bytes)
        } catch {
            #expect(error.code == code)
            #expect(error.wireCode == .invalidToken)
        }
    }
}

@Test func nonBase64urlIsInvalidToken() {
    do {
        _ = try RTAToken(base64url: "not base64!")
        Issue.record("accepted garbage")
    } catch {
        #expect(error.code == .badEncoding)
        #expect(error.wireCode == .invalidToken)
        #expect(error.message == "token is not base64url: not canonical unpadded base64url (11 characters)")
    }
}

@Test func base64urlTextAndBytesParseAlike() throws {
    let token = makeSession().issueToken(keyRing: try devKeyRing(), at: baseTime)
    let text = Array(token.base64url.utf8)
    #expect(try text.withUnsafeBufferPointer { utf8 throws(TokenError) in try RTAToken(base64url: utf8) } == token)
    #expect(throws: TokenError(.badEncoding, "token is not base64url: not canonical unpadded base64url (171 characters)")) {
        try RTAToken(base64url: String(decoding: text.dropLast(), as: UTF8.self) + "=")
    }
    #expect(throws: TokenError(.badLength, "token must be 128 bytes, got 0")) { try RTAToken(base64url: "") }
    #expect(throws: TokenError(.badLength, "token must be 128 bytes, got 3")) { try RTAToken(base64url: "AAAA") }
}

@Test func authorizationValueNeedsTheRTASchemeAndOneToken() throws {
    let token = makeSession().issueToken(keyRing: try devKeyRing(), at: baseTime)
    for value in ["RTA \(token.base64url)", " rTa  \(token.base64url) \t", "RTA \u{3000}\(token.base64url)\u{00A0}"] {
        #expect(try RTAToken(authorization: value) == token, "\(value.debugDescription)")
    }
    let scheme = TokenError(.badEncoding, "Authorization must use the RTA scheme")
    for value in ["Bearer \(token.base64url)", "RTA", "RTA ", "RTA\t\(token.base64url)", "RTA\u{00A0}\(token.base64url)"] {
        #expect(throws: scheme, "\(value.debugDescription)") { try RTAToken(authorization: value) }
    }
    #expect(throws: TokenError(.badLength, "token must be 128 bytes, got 0")) { try RTAToken(authorization: "RTA  ") }
}
