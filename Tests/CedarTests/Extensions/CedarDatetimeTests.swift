import Testing
@testable import Cedar

@Suite struct CedarDatetimeTests {
    @Test(arguments: [
        ("1970-01-01", Int64(0)),
        ("2024-10-15", 1_728_950_400_000),
        ("2024-10-15T11:38:02Z", 1_728_992_282_000),
        ("2024-10-15T11:38:02.101Z", 1_728_992_282_101),
        ("2024-10-15T11:38:02.101-1134", 1_729_033_922_101),
        ("2024-10-15T11:38:02+0100", 1_728_988_682_000),
        ("1969-12-31T23:59:59.999Z", -1),
        ("0000-01-01", -62_167_219_200_000),
        ("2000-02-29", 951_782_400_000),
        ("9999-12-31T23:59:59.999Z", 253_402_300_799_999),
    ])
    func parsesEpochMilliseconds(input: String, epoch: Int64) throws {
        #expect(try #require(CedarDatetime.parse(input)).millisecondsSinceEpoch == epoch)
    }

    @Test(arguments: [
        "", "2024", "2024-1-01", "24-01-01", "2024-13-01", "2024-00-10", "2024-02-30", "2023-02-29",
        "1900-02-29", "2024-01-01T", "2024-01-01 00:00:00Z", "2024-01-01T00:00:00", "2024-01-01T24:00:00Z",
        "2024-01-01T00:60:00Z", "2024-01-01T00:00:60Z", "2024-01-01T00:00:00.1Z", "2024-01-01T00:00:00.1234Z",
        "2024-01-01T00:00:00+2400", "2024-01-01T00:00:00+0060", "2024-01-01T00:00:00+01:00",
        "2024-01-01T00:00:00z", "2024-01-01T00:00:00ZZ", "+2024-01-01", "2024-01-01Z",
    ])
    func rejectsWhatCedarRejects(input: String) {
        #expect(CedarDatetime.parse(input) == nil)
    }

    @Test func arithmeticAndOverflow() throws {
        let t = try #require(CedarDatetime.parse("2024-10-15T11:38:02.101Z"))
        let day = try #require(CedarDuration.parse("1d"))
        #expect(t.offset(by: day)?.description == "2024-10-16T11:38:02.101Z")
        #expect(try #require(t.offset(by: day)).durationSince(t) == day)
        #expect(CedarDatetime(millisecondsSinceEpoch: .max).offset(by: day) == nil)
        #expect(CedarDatetime(millisecondsSinceEpoch: .min).durationSince(t) == nil)
        #expect(t.toDate()?.description == "2024-10-15T00:00:00.000Z")
        #expect(t.toTime().milliseconds == 41_882_101)
        let beforeEpoch = try #require(CedarDatetime.parse("1969-12-31T23:00:00Z"))
        #expect(beforeEpoch.toDate()?.millisecondsSinceEpoch == -86_400_000)
        #expect(beforeEpoch.toTime().milliseconds == 82_800_000)
        #expect(CedarDatetime(millisecondsSinceEpoch: .min).toDate() == nil)
        #expect(t < (try #require(t.offset(by: day))))
    }
}
