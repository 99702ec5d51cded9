import Testing
@testable import Cedar

@Suite struct CedarDurationTests {
    @Test(arguments: [
        ("1d2h3m4s5ms", Int64(93_784_005)),
        ("-1d", -86_400_000),
        ("90m", 5_400_000),
        ("1ms", 1),
        ("0s", 0),
        ("-1h30m", -5_400_000),
        ("9223372036854775807ms", .max),
        ("-9223372036854775808ms", .min),
        ("0000000000000000000000001s", 1_000),
    ])
    func parsesMilliseconds(input: String, milliseconds: Int64) throws {
        #expect(try #require(CedarDuration.parse(input)).milliseconds == milliseconds)
    }

    @Test(arguments: [
        "", "-", "1", "d", "1x", "1h1d", "1d1d", "1s1m", "1ms1s", "+1d", "1 d", "1d ", "--1d", "1.5h",
        "9223372036854775808ms", "106751991167301d", "18446744073709551616ms",
    ])
    func rejectsWhatCedarRejects(input: String) {
        #expect(CedarDuration.parse(input) == nil)
    }

    @Test func conversionsTruncateTowardZero() throws {
        let d = try #require(CedarDuration.parse("1d23h59m59s999ms"))
        #expect(d.toMilliseconds() == 172_799_999)
        #expect(d.toSeconds() == 172_799)
        #expect(d.toMinutes() == 2_879)
        #expect(d.toHours() == 47)
        #expect(d.toDays() == 1)
        let negative = try #require(CedarDuration.parse("-1h59m"))
        #expect(negative.toHours() == -1)
        #expect(negative.description == "-7140000ms")
        #expect(try #require(CedarDuration.parse("1s")) < (try #require(CedarDuration.parse("1001ms"))))
    }
}
