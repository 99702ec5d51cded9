import Sodium
import Testing

// RFC 4648 §10 vectors, in the URL-safe alphabet without padding.
@Test func rfc4648VectorsRoundTrip() throws {
    let vectors = ["": "", "f": "Zg", "fo": "Zm8", "foo": "Zm9v", "foob": "Zm9vYg", "fooba": "Zm9vYmE", "foobar": "Zm9vYmFy"]
    for (plain, encoded) in vectors {
        #expect(Base64URL.encode(Array(plain.utf8)) == encoded)
        #expect(try Base64URL.decode(encoded) == Array(plain.utf8))
    }
}

@Test func urlSafeAlphabetIsUsed() throws {
    #expect(Base64URL.encode([0xfb, 0xff]) == "-_8")
    #expect(try Base64URL.decode("-_8") == [0xfb, 0xff])
}

@Test(arguments: ["Zg==", "Zm9v\n", "+/8", "Z", "Zh", "Zm9vY", "Zm 9v", "Zm9v!", "é9v", "Zm9v\u{00C3}\u{00A9}9v"])
func nonCanonicalInputIsRejected(text: String) {
    #expect(throws: SodiumError.self) { try Base64URL.decode(text) }
}

@Test func randomBytesRoundTrip() throws {
    for count in 0..<70 {
        let bytes = SecureRandom.bytes(count: count)
        #expect(try Base64URL.decode(Base64URL.encode(bytes)) == bytes)
    }
}

/// The table decoder must accept and reject exactly what libsodium's does, with the
/// same error, so a token has one spelling whichever path decodes it.
@Test(arguments: ["", "Zg", "Zm8", "Zm9v", "-_8", "Zg==", "Zm9v\n", "+/8", "Z", "Zh", "Zm9vY", "Zm 9v", "Zm9v!", "Zm9=", "Zm9vYmFy", "AAB", "AAC", "AA", "AB", "é9v", "A!AA", "AA!A", "AAA!", "AAAAA!AA", "A!A", "AA!", "!A", "A!"])
func nonSecretDecoderAgreesWithLibsodium(text: String) {
    let fast = Result { () throws(SodiumError) in try Array(text.utf8).withUnsafeBufferPointer { buffer throws(SodiumError) in try Base64URL.decodeNonSecret(buffer) } }
    let reference = Result { () throws(SodiumError) in try Base64URL.decode(text) }
    #expect(fast == reference)
}

@Test func nonSecretDecoderAgreesWithLibsodiumOnRandomText() throws {
    let alphabet = Array("ABCXYZabcxyz0189-_=+/ .".utf8)
    for length in 0..<24 {
        for _ in 0..<40 {
            let bytes = (0..<length).map { _ in alphabet[Int(SecureRandom.bytes(count: 1)[0]) % alphabet.count] }
            let fast = Result { () throws(SodiumError) in try bytes.withUnsafeBufferPointer { buffer throws(SodiumError) in try Base64URL.decodeNonSecret(buffer) } }
            let reference = Result { () throws(SodiumError) in try Base64URL.decode(String(decoding: bytes, as: UTF8.self)) }
            #expect(fast == reference, "\(String(decoding: bytes, as: UTF8.self))")
        }
    }
    for count in 0..<70 {
        let bytes = SecureRandom.bytes(count: count)
        let text = Array(Base64URL.encode(bytes).utf8)
        #expect(try text.withUnsafeBufferPointer { buffer throws(SodiumError) in try Base64URL.decodeNonSecret(buffer) } == bytes)
    }
}
