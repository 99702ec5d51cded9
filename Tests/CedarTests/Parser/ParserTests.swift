import Testing

@testable import Cedar

struct ParserTests {
    func parse(_ text: String) throws -> [Policy] {
        try Parser.parsePolicies(text).get()
    }

    func expr(_ text: String) throws -> Expr {
        try Parser.parseExpression(text).get()
    }

    func errors(_ text: String) -> [ParseError] {
        switch Parser.parsePolicies(text, fileName: "p.cedar") {
        case .success: return []
        case .failure(let e): return e.errors
        }
    }

    /// The expression tree without spans, for structural comparisons.
    func shape(_ e: Expr) -> String {
        switch e.kind {
        case .literal(let v): return v.description
        case .variable(let v): return v.rawValue
        case .slot(let s): return s.rawValue
        case .ifThenElse(let c, let t, let f): return "(if \(shape(c)) \(shape(t)) \(shape(f)))"
        case .and(let l, let r): return "(&& \(shape(l)) \(shape(r)))"
        case .or(let l, let r): return "(|| \(shape(l)) \(shape(r)))"
        case .unary(let op, let x): return "(\(op.rawValue) \(shape(x)))"
        case .binary(let op, let l, let r): return "(\(op.rawValue) \(shape(l)) \(shape(r)))"
        case .getAttr(let x, let a): return "(. \(shape(x)) \(a))"
        case .hasAttr(let x, let a): return "(has \(shape(x)) \(a))"
        case .like(let x, let p): return "(like \(shape(x)) \(p.elements.count))"
        case .isType(let x, let t): return "(is \(shape(x)) \(t))"
        case .set(let xs): return "[" + xs.map(shape).joined(separator: " ") + "]"
        case .record(let fs): return "{" + fs.map { "\($0.key):\(shape($0.value))" }.joined(separator: " ") + "}"
        case .extensionCall(let n, let xs): return "(\(n) " + xs.map(shape).joined(separator: " ") + ")"
        }
    }

    @Test func scopeForms() throws {
        let policies = try parse(
            """
            permit(principal == User::"alice", action in [Action::"read", Action::"write"], resource is Doc in Folder::"f");
            forbid(principal is App::User, action == App::Action::"del", resource in Folder::"x");
            permit(principal in ?principal, action in Action::"all", resource == ?resource);
            """)
        #expect(policies.count == 3)
        #expect(policies[0].id == "policy0")
        #expect(policies[0].principal == .eq(.uid(EntityUID(type: "User", id: "alice"))))
        #expect(policies[0].action == .inSet([EntityUID(type: "Action", id: "read"), EntityUID(type: "Action", id: "write")]))
        #expect(policies[0].resource == .isTypeIn(EntityType("Doc"), .uid(EntityUID(type: "Folder", id: "f"))))
        #expect(policies[1].effect == .forbid)
        #expect(policies[1].principal == .isType(EntityType("App::User")))
        #expect(policies[1].action == .eq(EntityUID(type: "App::Action", id: "del")))
        #expect(policies[2].principal == .in(.slot(.principal)))
        #expect(policies[2].action == .in(EntityUID(type: "Action", id: "all")))
        #expect(policies[2].resource == .eq(.slot(.resource)))
        #expect(policies[2].isTemplate)
    }

    @Test func annotationsAndConditions() throws {
        let p = try #require(try parse(#"@id("p1") @advice permit(principal, action, resource) when { true } unless { false };"#).first)
        #expect(p.annotation("id") == "p1")
        #expect(p.annotation("advice") == "")
        #expect(p.conditions.map(\.kind) == [.when, .unless])
    }

    @Test func precedence() throws {
        #expect(shape(try expr("1 + 2 * 3 < 4 && true || false")) == "(|| (&& (< (+ 1 (* 2 3)) 4) true) false)")
        #expect(shape(try expr("!!context.y")) == "(! (! (. context y)))")
        #expect(shape(try expr("-(-context.y)")) == "(- (- (. context y)))")
        #expect(Parser.parseExpression("-1.5").failure?.message == "unexpected token `5`, expected identifier")
        #expect(shape(try expr("!context.a")) == "(! (. context a))")
        #expect(shape(try expr("if principal has a then 1 else 2 - 3")) == "(if (has principal a) 1 (- 2 3))")
        #expect(shape(try expr("principal in [A::\"x\", B::\"y\"]")) == #"(in principal [A::"x" B::"y"])"#)
        #expect(shape(try expr("1 - 2 - 3")) == "(- (- 1 2) 3)")
    }

    @Test func negativeLiterals() throws {
        #expect(shape(try expr("-9223372036854775808")) == "-9223372036854775808")
        #expect(shape(try expr("--1")) == "(- -1)")
        #expect(shape(try expr("-(1)")) == "(- 1)")
        let e = try #require(Parser.parseExpression("9223372036854775808").failure)
        #expect(e.code == .integerOverflow)
        #expect(e.message == "integer literal `9223372036854775808` is too large")
    }

    @Test func hasChainsAndIsIn() throws {
        #expect(shape(try expr("context has a.b.c")) == "(&& (&& (has context a) (has (. context a) b)) (has (. (. context a) b) c))")
        #expect(shape(try expr(#"context has "a b""#)) == "(has context a b)")
        #expect(shape(try expr(#"principal is NS::User in Group::"g""#)) == #"(&& (is principal NS::User) (in principal Group::"g"))"#)
    }

    @Test func methodsAndFunctions() throws {
        #expect(shape(try expr("[1].contains(1)")) == "(contains [1] 1)")
        #expect(shape(try expr("[1].isEmpty()")) == "(isEmpty [1])")
        #expect(shape(try expr(#"principal.hasTag("t") && principal.getTag("t")"#)) == #"(&& (hasTag principal "t") (getTag principal "t"))"#)
        #expect(shape(try expr(#"ip("1.2.3.4").isInRange(ip("1.2.3.0/24"))"#)) == #"(isInRange (ip "1.2.3.4") (ip "1.2.3.0/24"))"#)
        #expect(shape(try expr(#"context["key"].x"#)) == "(. (. context key) x)")
        #expect(shape(try expr(#"{a: 1, "b c": [true,],}"#)) == #"{a:1 b c:[true]}"#)
    }

    @Test func likePatternsAndEscapes() throws {
        guard case .like(_, let p) = try expr(#"context.s like "a*\*\u{e9}""#).kind else {
            Issue.record("not a like expression")
            return
        }
        #expect(p.elements == [.char("a"), .wildcard, .char("*"), .char("é")])
        #expect(shape(try expr(#""tab\there\"""#)) == #""tab\there\"""#)
    }

    @Test func spansPointAtSource() throws {
        let p = try #require(try parse("permit(principal, action, resource)\nwhen { 1 + foo::\"x\".a };").first)
        let body = try #require(p.conditions.first?.body)
        #expect(body.span.line == 2)
        #expect(body.span.column == 8)
        guard case .binary(.add, _, let rhs) = body.kind else {
            Issue.record("expected +")
            return
        }
        #expect(rhs.span.column == 12)
        #expect(rhs.span.length == "foo::\"x\".a".utf8.count)
    }

    @Test func errorsCarryPositionFoundAndExpected() {
        let errs = errors("permit(principal, action, resource)\n  when { context.a < };")
        #expect(errs.count == 1)
        let e = errs[0]
        #expect(e.code == .unexpectedToken)
        #expect(e.line == 2)
        #expect(e.column == 22)
        #expect(e.found == "`}`")
        #expect(e.expected == ["expression"])
        #expect(e.message == "unexpected token `}`, expected expression")
        #expect(e.description == "p.cedar:2:22: unexpected token `}`, expected expression")
    }

    @Test func severalErrorsReportedTogether() {
        let errs = errors(
            """
            permit(principal, action, resource) when { 1 + };
            permit(principal, action, resource);
            forbid(principal == User, action, resource);
            permit(principal, action, resource) when { nope(1) };
            """)
        #expect(errs.map(\.line) == [1, 3, 4])
        #expect(errs[1].message == "unexpected token `,`, expected `::`")
        #expect(errs[2].code == .unknownFunction)
        #expect(errs[2].message == "`nope` is not a valid function")
    }

    @Test func nestingIsBounded() throws {
        let ok = String(repeating: "(", count: 100) + "1" + String(repeating: ")", count: 100)
        #expect(shape(try expr(ok)) == "1")
        let deep = String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000)
        #expect(Parser.parseExpression(deep).failure?.message == "expression nested too deeply (more than 128 levels)")
    }

    @Test func semanticSyntaxErrors() {
        #expect(errors("@a @a permit(principal, action, resource);").first?.message == "duplicate annotation: @a")
        #expect(errors("permit(principal, action, resource) when { {a: 1, a: 2} };").first?.code == .duplicateKey)
        #expect(errors(#"permit(principal == ?resource, action, resource);"#).first?.message == "expected slot `?principal` here, found `?resource`")
        #expect(errors(#"permit(principal, action == User::"a", resource);"#).first?.code == .invalidScope)
        #expect(errors("permit(principal, action, resource) when { ?principal };").first?.message
            == "template slot `?principal` may only appear in the policy scope")
        #expect(errors("permit(principal == ? principal, action, resource);").first?.message == "invalid character `?`")
        #expect(errors("permit(principal is User == User::\"a\", action, resource);").first?.message == "`is` cannot be used together with `==`")
        #expect(errors("permit(principal in G::\"a\" is User, action, resource);").first?.message
            == "when `is` and `in` are used together, `is` must come first")
        #expect(errors("permit(principal: User, action, resource);").first?.message == "type constraints using `:` are not supported")
        #expect(errors("permit(principal, action is Action, resource);").first?.message == "`is` cannot appear in the action scope")
        #expect(errors("permit(principal, action, resource) when { [].size() };").first?.message == "`size` is not a valid method")
        #expect(errors("permit(principal, action, resource) when { [].contains() };").first?.message == "call to `contains` requires exactly 1 argument, but got 0 arguments")
        #expect(errors(#"permit(principal, action, resource) when { "\q" };"#).first?.code == .invalidEscape)
        #expect(errors("permit(principal, action, resource) when { !!!!!true };").first?.code == .invalidExpression)
        #expect(errors("permit(principal, action, resource) when { 1 % 2 };").first?.message == "remainder/modulo is not supported")
        #expect(errors("permit(principal, action, resource) when { 4 / 2 };").first?.message == "division is not supported")
        #expect(errors("permit(principal, action, resource) when { 1 = 2 };").first?.message == "'=' is not a valid operator in Cedar")
        #expect(errors("permit(principal, action, resource) when { 1 < 2 < 3 };").first?.message
            == "multiple relational operators (>, ==, in, etc.) must be used with parentheses to make ordering explicit")
        #expect(errors("permit(principal, action, resource) when { context.if };").first?.message == "this identifier is reserved and cannot be used: if")
        #expect(errors("permit(principal, action, resource) when { context has a.in };").first?.code == .reservedIdentifier)
        #expect(errors("permit(principal, action, resource) when { {true: 1} };").first?.code == .reservedIdentifier)
        #expect(errors("permit(principal, action, resource) when { principal is if };").first?.code == .reservedIdentifier)
        #expect(errors("permit(principal, action, resource) when { context[1] };").first?.message == "the contents of an index expression must be a string literal")
        #expect(errors("permit(principal, action, resource) when { \"a\" like 1 };").first?.message
            == "right hand side of a `like` expression must be a pattern literal, but got `1`")
        #expect(errors("permit(principal, action, resource) when { !-1 };").first?.message == "unexpected token `-`, expected expression")
        #expect(errors("permit(principal, action, resource) when { \"open };").first?.code == .unterminatedString)
        #expect(errors("permit(principal, action, resource) when { };").first?.message == "`when` condition clause cannot be empty")
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let e) = self { return e }
        return nil
    }
}
