import Sodium
import Testing

@Test func hexRoundTripsAndAcceptsUppercase() throws {
    #expect(Hex.encode([0x00, 0xab, 0xff]) == "00abff")
    #expect(try Hex.decode("00ABff") == [0x00, 0xab, 0xff])
}

@Test func badHexIsRejectedWithReason() {
    #expect(throws: SodiumError(.invalidHex, "hex string has odd length 3")) { try Hex.decode("abc") }
    #expect(throws: SodiumError(.invalidHex, "invalid hex digit near offset 2")) { try Hex.decode("00zz") }
}
