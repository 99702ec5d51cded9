import Testing

@testable import Cedar

struct ConstantFolderTests {
    func folded(_ text: String) throws -> ExprKind {
        ConstantFolder.fold(try Parser.parseExpression(text).get()).kind
    }

    @Test func foldsPureLiteralSubtrees() throws {
        #expect(try folded("1 + 2 * 3") == .literal(.long(7)))
        #expect(try folded(#"[Action::"a", Action::"b"]"#) == .literal(.set([.entity(EntityUID(type: "Action", id: "a")), .entity(EntityUID(type: "Action", id: "b"))])))
        guard case .extensionCall("isInRange", let args) = try folded(#"context.ip.isInRange(ip("10.0.0.0/8"))"#) else {
            Issue.record("call should remain")
            return
        }
        #expect(args[1].kind == .literal(.ext(.ipaddr(try #require(IPAddr.parse("10.0.0.0/8"))))))
    }

    @Test func shortCircuitsLikeTheEvaluator() throws {
        #expect(try folded("false && context.x") == .literal(.bool(false)))
        #expect(try folded("true || context.x") == .literal(.bool(true)))
        guard case .getAttr = try folded("if 1 < 2 then context.x else 3") else {
            Issue.record("branch should be chosen")
            return
        }
    }

    @Test func leavesRequestDependentAndFailingExpressions() throws {
        guard case .binary(.in, _, _) = try folded(#"User::"a" in User::"b""#) else {
            Issue.record("`in` depends on the entity store")
            return
        }
        guard case .binary(.add, _, _) = try folded("9223372036854775807 + 1") else {
            Issue.record("an overflow must still fail at request time")
            return
        }
        guard case .extensionCall("ip", _) = try folded(#"ip("bad")"#) else {
            Issue.record("a failing constructor must still fail at request time")
            return
        }
        guard case .and(_, _) = try folded("true && context.x") else {
            Issue.record("`true && x` still checks that x is a bool")
            return
        }
    }
}
