/// Expression grammar, loosest binding first (see `Parser` for the precedence table).
extension Parser {
    mutating func parseExpr() throws(ParseError) -> Expr {
        let start = current.span
        depth += 1
        defer { depth -= 1 }
        guard depth <= Parser.maxDepth else {
            throw error(.invalidExpression, "expression nested too deeply (more than \(Parser.maxDepth) levels)")
        }
        if isKeyword("if") {
            _ = bump()
            let condition = try parseExpr()
            try expectKeyword("then")
            let then = try parseExpr()
            try expectKeyword("else")
            let otherwise = try parseExpr()
            return Expr(.ifThenElse(condition, then, otherwise), span: span(from: start))
        }
        return try parseOr()
    }

    mutating func parseOr() throws(ParseError) -> Expr {
        let start = current.span
        var lhs = try parseAnd()
        while isSymbol(.or) {
            _ = bump()
            let rhs = try parseAnd()
            lhs = Expr(.or(lhs, rhs), span: span(from: start))
        }
        return lhs
    }

    mutating func parseAnd() throws(ParseError) -> Expr {
        let start = current.span
        var lhs = try parseRelation()
        while isSymbol(.and) {
            _ = bump()
            let rhs = try parseRelation()
            lhs = Expr(.and(lhs, rhs), span: span(from: start))
        }
        return lhs
    }

    static let relationalOps: [Token.Symbol: BinaryOp] = [
        .eq: .eq, .notEq: .notEq, .less: .less, .lessEq: .lessEq, .greater: .greater, .greaterEq: .greaterEq,
    ]

    mutating func parseRelation() throws(ParseError) -> Expr {
        let relation = try parseSingleRelation()
        if isSymbol(.singleEq) { throw error(.invalidExpression, "'=' is not a valid operator in Cedar") }
        if case .symbol(let s) = current.kind, Parser.relationalOps[s] != nil { throw chainedRelations() }
        if isKeyword("in") || isKeyword("has") || isKeyword("like") || isKeyword("is") { throw chainedRelations() }
        return relation
    }

    func chainedRelations() -> ParseError {
        error(
            .invalidExpression,
            "multiple relational operators (>, ==, in, etc.) must be used with parentheses to make ordering explicit")
    }

    mutating func parseSingleRelation() throws(ParseError) -> Expr {
        let start = current.span
        let lhs = try parseAdd()
        switch current.kind {
        case .symbol(let s):
            guard let op = Parser.relationalOps[s] else { return lhs }
            _ = bump()
            let rhs = try parseAdd()
            return Expr(.binary(op, lhs, rhs), span: span(from: start))
        case .identifier("in"):
            _ = bump()
            let rhs = try parseAdd()
            return Expr(.binary(.in, lhs, rhs), span: span(from: start))
        case .identifier("has"):
            _ = bump()
            return try parseHas(lhs, start: start)
        case .identifier("like"):
            _ = bump()
            let token = current
            guard case .string(let raw) = token.kind else {
                throw error(
                    .invalidExpression, "right hand side of a `like` expression must be a pattern literal, but got \(token.display)",
                    expected: ["pattern string literal"])
            }
            _ = bump()
            switch StringUnescaper.pattern(raw) {
            case .success(let pattern): return Expr(.like(lhs, pattern), span: span(from: start))
            case .failure(.invalidEscape(let e)):
                throw error(.invalidEscape, "invalid escape `\(e)` in pattern", at: token)
            }
        case .identifier("is"):
            _ = bump()
            let type = try parseTypePath()
            let isExpr = Expr(.isType(lhs, type), span: span(from: start))
            guard isKeyword("in") else { return isExpr }
            _ = bump()
            let rhs = try parseAdd()
            let inExpr = Expr(.binary(.in, lhs, rhs), span: span(from: start))
            return Expr(.and(isExpr, inExpr), span: span(from: start))
        default:
            return lhs
        }
    }

    /// `e has a`, `e has "a"`, and the 4.x chain `e has a.b.c`, which means
    /// `e has a && e.a has b && e.a.b has c`.
    mutating func parseHas(_ lhs: Expr, start: SourceSpan) throws(ParseError) -> Expr {
        if case .string = current.kind {
            let attr = try stringLiteral()
            return Expr(.hasAttr(lhs, attr), span: span(from: start))
        }
        var names = [try attributeName()]
        while isSymbol(.dot) {
            _ = bump()
            names.append(try attributeName())
        }
        let whole = span(from: start)
        var target = lhs
        var result = Expr(.hasAttr(lhs, names[0]), span: whole)
        for index in names.indices.dropFirst() {
            target = Expr(.getAttr(target, names[index - 1]), span: whole)
            result = Expr(.and(result, Expr(.hasAttr(target, names[index]), span: whole)), span: whole)
        }
        return result
    }

    mutating func parseAdd() throws(ParseError) -> Expr {
        let start = current.span
        var lhs = try parseMult()
        while isSymbol(.plus) || isSymbol(.minus) {
            let op: BinaryOp = bump().kind == .symbol(.plus) ? .add : .sub
            let rhs = try parseMult()
            lhs = Expr(.binary(op, lhs, rhs), span: span(from: start))
        }
        return lhs
    }

    mutating func parseMult() throws(ParseError) -> Expr {
        let start = current.span
        var lhs = try parseUnary()
        while isSymbol(.star) || isSymbol(.slash) || isSymbol(.percent) {
            if isSymbol(.slash) { throw error(.invalidExpression, "division is not supported") }
            if isSymbol(.percent) { throw error(.invalidExpression, "remainder/modulo is not supported") }
            _ = bump()
            let rhs = try parseUnary()
            lhs = Expr(.binary(.mul, lhs, rhs), span: span(from: start))
        }
        return lhs
    }

    mutating func parseUnary() throws(ParseError) -> Expr {
        let start = current.span
        // Cedar's grammar allows a run of one operator only: `!!x` and `--x`, not `!-x`.
        var ops: [(UnaryOp, SourceSpan)] = []
        if isSymbol(.bang) || isSymbol(.minus) {
            let kind = current.kind
            while peekKind() == kind {
                ops.append((kind == .symbol(.bang) ? .not : .neg, bump().span))
            }
        }
        if ops.count > 4 {
            throw error(.invalidExpression, "too many occurrences of `\(ops[0].0.rawValue)`", at: tokens[pos - 1])
        }
        var operand: Expr
        if let last = ops.last, last.0 == .neg, case .integer(let digits) = current.kind,
            !isSymbol(.dot, 1), !isSymbol(.lbracket, 1)
        {
            let token = bump()
            guard let magnitude = UInt64(digits), magnitude <= UInt64(Int64.max) + 1 else {
                throw error(.integerOverflow, "integer literal `\(digits)` is too large", at: token)
            }
            let value = magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
            operand = Expr(.literal(.long(value)), span: last.1.through(token.span))
            ops.removeLast()
        } else {
            operand = try parseMember()
        }
        for (op, _) in ops.reversed() {
            operand = Expr(.unary(op, operand), span: span(from: start))
        }
        return operand
    }

    mutating func parseMember() throws(ParseError) -> Expr {
        let start = current.span
        var expr = try parsePrimary()
        while true {
            if isSymbol(.dot) {
                _ = bump()
                let nameToken = current
                let name = try attributeName()
                if isSymbol(.lparen) {
                    let args = try parseArguments()
                    expr = try methodCall(expr, name, args, nameToken: nameToken, span: span(from: start))
                } else {
                    expr = Expr(.getAttr(expr, name), span: span(from: start))
                }
            } else if isSymbol(.lbracket) {
                _ = bump()
                guard case .string = current.kind else {
                    throw error(.invalidExpression, "the contents of an index expression must be a string literal", expected: ["string literal"])
                }
                let attr = try stringLiteral()
                try expect(.rbracket)
                expr = Expr(.getAttr(expr, attr), span: span(from: start))
            } else {
                return expr
            }
        }
    }

    func methodCall(_ receiver: Expr, _ name: String, _ args: [Expr], nameToken: Token, span: SourceSpan) throws(ParseError) -> Expr {
        if let (op, arity) = Parser.builtinMethods[name] {
            guard args.count == arity else {
                let plural = { (n: Int) in n == 1 ? "" : "s" }
                throw error(
                    .invalidMethod,
                    "call to `\(name)` requires exactly \(arity) argument\(plural(arity)), but got \(args.count) argument\(plural(args.count))",
                    at: nameToken)
            }
            if let op { return Expr(.binary(op, receiver, args[0]), span: span) }
            return Expr(.unary(.isEmpty, receiver), span: span)
        }
        if ExtensionFunction(rawValue: name)?.isConstructor == false {
            return Expr(.extensionCall(name, [receiver] + args), span: span)
        }
        if ExtensionFunction(rawValue: name)?.isConstructor == true {
            throw error(.invalidMethod, "`\(name)` is a function, not a method", at: nameToken)
        }
        throw error(.invalidMethod, "`\(name)` is not a valid method", at: nameToken)
    }

    mutating func parseArguments() throws(ParseError) -> [Expr] {
        try expect(.lparen)
        var args: [Expr] = []
        while !isSymbol(.rparen) {
            args.append(try parseExpr())
            if !isSymbol(.comma) { break }
            _ = bump()
        }
        try expect(.rparen)
        return args
    }

    mutating func parsePrimary() throws(ParseError) -> Expr {
        let start = current
        switch start.kind {
        case .integer(let digits):
            _ = bump()
            guard let value = Int64(digits) else {
                throw error(.integerOverflow, "integer literal `\(digits)` is too large", at: start)
            }
            return Expr(.literal(.long(value)), span: start.span)
        case .string:
            let s = try stringLiteral()
            return Expr(.literal(.string(s)), span: start.span)
        case .identifier("true"), .identifier("false"):
            _ = bump()
            return Expr(.literal(.bool(start.kind == .identifier("true"))), span: start.span)
        case .identifier(let name):
            if let variable = Variable(rawValue: name), !isSymbol(.doubleColon, 1) {
                _ = bump()
                return Expr(.variable(variable), span: start.span)
            }
            return try parseNameExpression()
        case .slot(let name):
            throw error(.slotOutsideScope, "template slot `?\(name)` may only appear in the policy scope")
        case .symbol(.lparen):
            _ = bump()
            let inner = try parseExpr()
            try expect(.rparen)
            return Expr(inner.kind, span: span(from: start.span))
        case .symbol(.lbracket):
            _ = bump()
            var elements: [Expr] = []
            while !isSymbol(.rbracket) {
                elements.append(try parseExpr())
                if !isSymbol(.comma) { break }
                _ = bump()
            }
            try expect(.rbracket)
            return Expr(.set(elements), span: span(from: start.span))
        case .symbol(.lbrace):
            return try parseRecord()
        default:
            throw unexpected(expecting: ["expression"])
        }
    }

    /// An entity literal `A::B::"id"` or an extension function call `ip("…")`.
    mutating func parseNameExpression() throws(ParseError) -> Expr {
        let start = current
        var path = [try identifier("identifier")]
        while isSymbol(.doubleColon) {
            _ = bump()
            if case .string = current.kind {
                for component in path where Parser.reserved.contains(component) {
                    throw error(.reservedIdentifier, "this identifier is reserved and cannot be used: \(component)", at: start)
                }
                let id = try stringLiteral()
                let uid = EntityUID(type: EntityType(path.joined(separator: "::")), id: id)
                return Expr(.literal(.entity(uid)), span: span(from: start.span))
            }
            path.append(try identifier("identifier"))
        }
        let name = path.joined(separator: "::")
        guard isSymbol(.lparen) else {
            throw error(.invalidExpression, "unexpected identifier `\(name)`; expected a variable, literal or entity", at: start)
        }
        let args = try parseArguments()
        guard ExtensionFunction(rawValue: name)?.isConstructor == true else {
            if ExtensionFunction(rawValue: name)?.isConstructor == false || Parser.builtinMethods[name] != nil {
                throw error(.unknownFunction, "`\(name)` is a method, not a function", at: start)
            }
            throw error(.unknownFunction, "`\(name)` is not a valid function", at: start)
        }
        return Expr(.extensionCall(name, args), span: span(from: start.span))
    }

    mutating func parseRecord() throws(ParseError) -> Expr {
        let start = bump()
        var fields: [RecordField] = []
        while !isSymbol(.rbrace) {
            let keyToken = current
            let key: String
            if case .string = keyToken.kind {
                key = try stringLiteral()
            } else {
                key = try attributeName()
            }
            if fields.contains(where: { $0.key == key }) {
                throw error(.duplicateKey, "duplicate key `\(key)` in record literal", at: keyToken)
            }
            try expect(.colon)
            fields.append(RecordField(key: key, value: try parseExpr()))
            if !isSymbol(.comma) { break }
            _ = bump()
        }
        try expect(.rbrace)
        return Expr(.record(fields), span: span(from: start.span))
    }
}
