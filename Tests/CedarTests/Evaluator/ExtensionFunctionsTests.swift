import Testing

@testable import Cedar

struct ExtensionFunctionsTests {
    func call(_ name: String, _ args: [Value]) throws(EvaluationError) -> Value {
        try ExtensionFunctions.call(name, args, span: .none)
    }

    func ext(_ name: String, _ arg: String) throws -> Value {
        try call(name, [.string(arg)])
    }

    @Test func constructorsAndPredicates() throws {
        let ip = try ext("ip", "127.0.0.1")
        #expect(try call("isIpv4", [ip]) == .bool(true))
        #expect(try call("isIpv6", [ip]) == .bool(false))
        #expect(try call("isLoopback", [ip]) == .bool(true))
        #expect(try call("isMulticast", [ip]) == .bool(false))
        #expect(try call("isInRange", [ip, try ext("ip", "127.0.0.0/8")]) == .bool(true))
        let one = try ext("decimal", "1.5")
        let two = try ext("decimal", "2.25")
        #expect(try call("lessThan", [one, two]) == .bool(true))
        #expect(try call("lessThanOrEqual", [two, two]) == .bool(true))
        #expect(try call("greaterThan", [one, two]) == .bool(false))
        #expect(try call("greaterThanOrEqual", [one, two]) == .bool(false))
    }

    @Test func datetimeArithmetic() throws {
        let noon = try ext("datetime", "2024-03-01T12:00:00Z")
        let hour = try ext("duration", "1h")
        #expect(try call("offset", [noon, hour]) == (try ext("datetime", "2024-03-01T13:00:00Z")))
        #expect(try call("durationSince", [try ext("datetime", "2024-03-01T13:00:00Z"), noon]) == hour)
        #expect(try call("toDate", [noon]) == (try ext("datetime", "2024-03-01")))
        #expect(try call("toTime", [noon]) == (try ext("duration", "12h")))
        let d = try ext("duration", "1d2h3m4s5ms")
        #expect(try call("toMilliseconds", [d]) == .long(93_784_005))
        #expect(try call("toSeconds", [d]) == .long(93_784))
        #expect(try call("toMinutes", [d]) == .long(1_563))
        #expect(try call("toHours", [d]) == .long(26))
        #expect(try call("toDays", [d]) == .long(1))
    }

    @Test func errors() throws {
        #expect(throws: EvaluationError.self) { try self.ext("decimal", "1.23456") }
        #expect(throws: EvaluationError.self) { try self.ext("datetime", "2024-13-01") }
        #expect(throws: EvaluationError.self) { try self.ext("duration", "1x") }
        let max = try ext("datetime", "1970-01-01")
        let huge = Value.ext(.duration(CedarDuration(milliseconds: .max)))
        let overflow = try #require(throws: EvaluationError.self) {
            _ = try self.call("offset", [.ext(.datetime(CedarDatetime(millisecondsSinceEpoch: 1))), huge])
        }
        #expect(overflow.code == .extensionError)
        let arity = try #require(throws: EvaluationError.self) { _ = try self.call("toDate", [max, max]) }
        #expect(arity.message == "wrong number of arguments to `toDate`: expected 1, got 2")
        let type = try #require(throws: EvaluationError.self) { _ = try self.call("isIpv4", [.long(1)]) }
        #expect(type.message == "type error: expected ipaddr, got long")
    }
}
