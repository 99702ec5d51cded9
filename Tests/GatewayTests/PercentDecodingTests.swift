import Foundation
import Testing

@testable import Gateway

@Suite struct PercentDecodingTests {
    @Test func decodesEscapesAndKeepsOtherBytes() {
        #expect(PercentDecoding.decode("a%20b") == "a b")
        #expect(PercentDecoding.decode("%2e%2E") == "..")
        #expect(PercentDecoding.decode("caf%C3%A9") == "café")
        #expect(PercentDecoding.decode("café") == "café")
        #expect(PercentDecoding.decode("") == "")
    }

    @Test func refusesBrokenEscapesAndNonUTF8() {
        #expect(PercentDecoding.decode("%") == nil)
        #expect(PercentDecoding.decode("%2") == nil)
        #expect(PercentDecoding.decode("%zz") == nil)
        #expect(PercentDecoding.decode("%C3") == nil)
        #expect(PercentDecoding.decode("%FF") == nil)
    }

    @Test func bytesKeepMalformedEscapesAndAnyDecodedByte() {
        #expect(PercentDecoding.bytes("%2F%C3") == [0x2F, 0xC3])
        #expect(PercentDecoding.bytes("%%2e") == Array("%.".utf8))
        #expect(PercentDecoding.bytes("a%zz%5c") == Array("a%zz\\".utf8))
        #expect(PercentDecoding.bytes("%2") == Array("%2".utf8))
    }

    /// Every string of up to four characters over an alphabet that makes escapes,
    /// broken escapes and multi-byte sequences: the same answers as Foundation, except
    /// where Foundation put U+FFFD for bytes that are not UTF-8 (nil here).
    @Test func agreesWithFoundationOnEveryShortString() {
        let alphabet = ["%", "2", "e", "E", "C", "3", "A", "9", "g", "/", "é"]
        var texts = [""]
        var total = 0
        for _ in 1...4 {
            texts = texts.flatMap { prefix in alphabet.map { prefix + $0 } }
            for text in texts {
                let foundation = text.removingPercentEncoding
                let expected = foundation?.contains("\u{FFFD}") == true ? nil : foundation
                #expect(PercentDecoding.decode(text) == expected, "\(text)")
                #expect(PercentDecoding.isEncoded(text) == text.contains("%"))
                total += 1
            }
        }
        #expect(total == 11 + 121 + 1_331 + 14_641)
    }
}
