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

@Test func encodeSpellsEveryByteAsTwoLowercaseDigits() throws {
    let all = (0...255).map { UInt8($0) }
    let text = Hex.encode(all)
    #expect(text == all.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined())
    #expect(try Hex.decode(text) == all)
    #expect(Hex.encode(all[250...]) == "fafbfcfdfeff")
    #expect(Hex.encode(AnySequence([UInt8(0x0f), 0xf0])) == "0ff0")
    #expect(Hex.encode([]) == "")
}
