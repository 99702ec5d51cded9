import Testing

@testable import Cedar

struct ValueTests {
    @Test func equalityIsStructural() {
        #expect(Value.set([.long(1), .long(2)]) == .set([.long(2), .long(1)]))
        #expect(Value.record(["a": .long(1), "b": .bool(true)]) == .record(["b": .bool(true), "a": .long(1)]))
        #expect(Value.long(1) != .string("1"))
        #expect(Value.ext(.decimal(CedarDecimal(scaled: 10_000))) != .long(1))
    }

    @Test func descriptionIsCedarSyntax() throws {
        let v = Value.record([
            "b": .set([.long(2), .long(1)]), "a": .string("q\"\n"), "e": .entity(EntityUID(type: "NS::T", id: "x")),
            "ip": .ext(.ipaddr(try #require(IPAddr.parse("10.0.0.0/8")))),
        ])
        #expect(v.description == #"{"a": "q\"\n", "b": [1, 2], "e": NS::T::"x", "ip": ip("10.0.0.0/8")}"#)
    }

    @Test func typeNamesForMessages() {
        #expect(Value.entity(EntityUID(type: "User", id: "a")).typeName == "(entity of type `User`)")
        #expect(Value.ext(.duration(CedarDuration(milliseconds: 1))).typeName == "duration")
    }
}
