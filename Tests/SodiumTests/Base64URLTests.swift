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

@Test(arguments: ["Zg==", "Zm9v\n", "+/8", "Z", "Zh", "Zm9vY", "Zm 9v", "Zm9v!"])
func nonCanonicalInputIsRejected(text: String) {
    #expect(throws: SodiumError.self) { try Base64URL.decode(text) }
}

@Test func randomBytesRoundTrip() throws {
    for count in 0..<70 {
        let bytes = SecureRandom.bytes(count: count)
        #expect(try Base64URL.decode(Base64URL.encode(bytes)) == bytes)
    }
}
