import Testing

@testable import Cedar

struct EvaluatorTests {
    static let entitiesJSON = #"""
        [
          {"uid": {"type": "User", "id": "alice"}, "attrs": {"age": 30, "name": "Alice", "manager": {"__entity": {"type": "User", "id": "bob"}}},
           "parents": [{"type": "Group", "id": "admins"}], "tags": {"level": 3}},
          {"uid": {"type": "User", "id": "bob"}, "attrs": {}, "parents": []},
          {"uid": {"type": "Group", "id": "admins"}, "attrs": {}, "parents": [{"type": "Group", "id": "staff"}]},
          {"uid": {"type": "Action", "id": "read"}, "attrs": {}, "parents": []}
        ]
        """#

    static let request = Request(
        principal: EntityUID(type: "User", id: "alice"), action: EntityUID(type: "Action", id: "read"),
        resource: EntityUID(type: "Doc", id: "missing"),
        context: ["n": .long(5), "flags": .set([.bool(true)]), "rec": .record(["a": .long(1)])])

    func eval(_ text: String) throws -> Value {
        let expr = try Parser.parseExpression(text).get()
        return try Evaluator(request: EvaluatorTests.request, entities: try Entities.fromJSON(EvaluatorTests.entitiesJSON)).evaluate(expr)
    }

    func failure(_ text: String) throws -> EvaluationError? {
        let expr = try Parser.parseExpression(text).get()
        let entities = try Entities.fromJSON(EvaluatorTests.entitiesJSON)
        do {
            _ = try Evaluator(request: EvaluatorTests.request, entities: entities).evaluate(expr)
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: [
        ("1 + 2 * 3", Value.long(7)), ("10 - 20", .long(-10)), ("-(3)", .long(-3)), ("!true", .bool(false)),
        ("1 < 2", .bool(true)), ("2 <= 2", .bool(true)), ("3 > 4", .bool(false)), ("4 >= 5", .bool(false)),
        ("1 == 1", .bool(true)), ("1 != 1", .bool(false)), (#"1 == "1""#, .bool(false)),
        ("[1, 2] == [2, 1, 1]", .bool(true)), ("{a: 1, b: [2]} == {b: [2], a: 1}", .bool(true)),
        (#"User::"a" == User::"a""#, .bool(true)), (#"User::"a" == Group::"a""#, .bool(false)),
        ("if 1 < 2 then \"y\" else \"n\"", .string("y")),
        ("[1, 2, 3].contains(2)", .bool(true)), ("[1, 2, 3].containsAll([1, 3])", .bool(true)),
        ("[1].containsAll([1, 4])", .bool(false)), ("[1].containsAny([4, 1])", .bool(true)),
        ("[].containsAny([1])", .bool(false)), ("[].isEmpty()", .bool(true)), ("[[1]].contains([1])", .bool(true)),
        (#""abc" like "a*""#, .bool(true)),
        ("context.n", .long(5)), (#"context["rec"].a"#, .long(1)), ("context has rec.a", .bool(true)),
        ("context has rec.b", .bool(false)), ("context has nope.b", .bool(false)),
        ("principal.age", .long(30)), ("principal has age", .bool(true)), ("principal has height", .bool(false)),
        ("resource has anything", .bool(false)), ("principal.manager", .entity(EntityUID(type: "User", id: "bob"))),
        (#"principal in Group::"staff""#, .bool(true)), (#"principal in [Group::"x", Group::"admins"]"#, .bool(true)),
        (#"principal in User::"alice""#, .bool(true)), (#"resource in Group::"staff""#, .bool(false)),
        (#"resource in Doc::"missing""#, .bool(true)), ("principal is User", .bool(true)), ("principal is Group", .bool(false)),
        (#"principal is User in Group::"admins""#, .bool(true)),
        (#"principal.hasTag("level")"#, .bool(true)), (#"principal.getTag("level")"#, .long(3)),
        (#"resource.hasTag("level")"#, .bool(false)),
        ("false && (1 + true)", .bool(false)), ("true || (1 + true)", .bool(true)),
        ("-9223372036854775808 == -9223372036854775807 - 1", .bool(true)),
        (#"datetime("2024-01-01") < datetime("2024-01-02")"#, .bool(true)),
        (#"duration("1h") >= duration("60m")"#, .bool(true)),
        (#"ip("10.0.0.1") == ip("10.0.0.1")"#, .bool(true)), (#"decimal("1.0") == decimal("1.0000")"#, .bool(true)),
        ("{a: 1}.a", .long(1)),
    ])
    func evaluates(text: String, expected: Value) throws {
        #expect(try eval(text) == expected)
    }

    @Test(arguments: [
        ("9223372036854775807 + 1", EvaluationError.Code.integerOverflow), ("-9223372036854775808 - 1", .integerOverflow),
        ("9223372036854775807 * 2", .integerOverflow), ("-(-9223372036854775808)", .integerOverflow),
        ("1 + true", .typeError), ("!1", .typeError), ("-\"a\"", .typeError), ("1 < \"a\"", .typeError),
        (#"decimal("1.0") < decimal("2.0")"#, .typeError), (#"datetime("2024-01-01") < duration("1h")"#, .typeError),
        ("if 1 then 2 else 3", .typeError), ("1 && true", .typeError), ("true && 1", .typeError),
        ("false || 1", .typeError), ("1 in [principal]", .typeError), (#"principal in [principal, 1]"#, .typeError),
        ("principal in 1", .typeError), ("1.contains(1)", .typeError), ("[1].containsAll(1)", .typeError),
        ("1.isEmpty()", .typeError), ("1 like \"a\"", .typeError), ("1 is User", .typeError), ("1 has a", .typeError),
        ("1.a", .typeError), ("context.nope", .missingAttribute), ("principal.height", .missingAttribute),
        ("resource.title", .entityDoesNotExist), (#"resource.getTag("x")"#, .entityDoesNotExist),
        (#"principal.getTag("x")"#, .missingTag), ("principal.getTag(1)", .typeError), (#"1.hasTag("a")"#, .typeError),
        (#"ip("nope")"#, .extensionError), ("ip(1)", .typeError), (#"ip("1.1.1.1").isIpv4(1)"#, .extensionError),
        (#"context.n.isIpv4()"#, .typeError),
    ])
    func fails(text: String, code: EvaluationError.Code) throws {
        #expect(try failure(text)?.code == code)
    }

    @Test func errorMessagesAndSpans() throws {
        let e = try #require(try failure("1 +\n  context.nope"))
        #expect(e.message == "record does not have the attribute `nope`")
        #expect(e.span.line == 2)
        #expect(e.span.column == 3)
        let t = try #require(try failure(#"1 + "a""#))
        #expect(t.message == "type error: expected long, got string")
        let o = try #require(try failure("9223372036854775807 + 1"))
        #expect(o.message == "integer overflow: 9223372036854775807 + 1")
    }

    @Test func firstErrorInEvaluationOrderWins() throws {
        #expect(try failure("context.nope + (1 + true)")?.code == .missingAttribute)
        #expect(try failure("[1 + true, context.nope]")?.code == .typeError)
    }

    @Test func unlinkedSlotIsAnError() {
        let e = Expr(.slot(.principal))
        #expect(throws: EvaluationError.self) {
            try Evaluator(request: EvaluatorTests.request, entities: .empty).evaluate(e)
        }
    }
}
