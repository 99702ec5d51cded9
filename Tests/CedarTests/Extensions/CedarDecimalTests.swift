import Testing
@testable import Cedar

@Suite struct CedarDecimalTests {
    @Test(arguments: [
        ("1.0", Int64(10_000), "1.0000"),
        ("0.75", 7_500, "0.7500"),
        ("-0.5", -5_000, "-0.5000"),
        ("-12.3456", -123_456, "-12.3456"),
        ("007.0001", 70_001, "7.0001"),
        ("922337203685477.5807", .max, "922337203685477.5807"),
        ("-922337203685477.5808", .min, "-922337203685477.5808"),
    ])
    func parsesScaledValue(input: String, scaled: Int64, printed: String) throws {
        let d = try #require(CedarDecimal.parse(input))
        #expect(d.scaled == scaled)
        #expect(d.description == printed)
    }

    @Test(arguments: [
        "", "1", "1.", ".1", "-.1", "+1.0", "1.23456", "--1.0", "1.0.0", "1e3.0", " 1.0", "1.0 ",
        "922337203685477.5808", "-922337203685477.5809", "9223372036854775807.0", "١.٠",
    ])
    func rejectsWhatCedarRejects(input: String) {
        #expect(CedarDecimal.parse(input) == nil)
    }

    @Test func comparesNumerically() throws {
        let a = try #require(CedarDecimal.parse("0.4"))
        let b = try #require(CedarDecimal.parse("0.5"))
        let c = try #require(CedarDecimal.parse("-1.0"))
        #expect(a < b && c < a)
        #expect(CedarDecimal.parse("1.5") == CedarDecimal.parse("1.5000"))
    }
}
