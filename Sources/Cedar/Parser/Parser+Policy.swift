/// Policy-level grammar: annotations, effect, scope and `when`/`unless` clauses.
extension Parser {
    mutating func parsePolicy(id: PolicyID) throws(ParseError) -> Policy {
        let start = current.span
        var annotations: [Annotation] = []
        while isSymbol(.at) {
            let at = bump()
            let keyToken = current
            let key = try identifier("annotation name")
            var value = ""
            if isSymbol(.lparen) {
                _ = bump()
                value = try stringLiteral()
                try expect(.rparen)
            }
            if annotations.contains(where: { $0.key == key }) {
                throw error(.duplicateAnnotation, "duplicate annotation: @\(key)", at: keyToken)
            }
            annotations.append(Annotation(key: key, value: value, span: span(from: at.span)))
        }
        let effect: Effect
        switch current.kind {
        case .identifier("permit"): effect = .permit
        case .identifier("forbid"): effect = .forbid
        default: throw unexpected(expecting: ["`permit`", "`forbid`"])
        }
        _ = bump()
        try expect(.lparen)
        try expectKeyword("principal")
        let principal = try parseScopeConstraint(slot: .principal)
        try expect(.comma)
        try expectKeyword("action")
        let action = try parseActionConstraint()
        try expect(.comma)
        try expectKeyword("resource")
        let resource = try parseScopeConstraint(slot: .resource)
        try expect(.rparen)
        var conditions: [Condition] = []
        while case .identifier(let word) = current.kind, word == "when" || word == "unless" {
            _ = bump()
            try expect(.lbrace)
            if isSymbol(.rbrace) {
                throw error(.invalidExpression, "`\(word)` condition clause cannot be empty", expected: ["expression"])
            }
            let body = try parseExpr()
            try expect(.rbrace)
            conditions.append(Condition(kind: word == "when" ? .when : .unless, body: body))
        }
        guard isSymbol(.semicolon) else { throw unexpected(expecting: ["`when`", "`unless`", "`;`"]) }
        _ = bump()
        return Policy(
            id: id, effect: effect, principal: principal, action: action, resource: resource,
            conditions: conditions, annotations: annotations, span: span(from: start))
    }

    mutating func parseScopeConstraint(slot: SlotID) throws(ParseError) -> ScopeConstraint {
        if isSymbol(.eq) {
            _ = bump()
            return .eq(try parseEntityReference(slot: slot))
        }
        if isKeyword("in") {
            _ = bump()
            let target = try parseEntityReference(slot: slot)
            if isKeyword("is") { throw error(.invalidScope, "when `is` and `in` are used together, `is` must come first") }
            return .in(target)
        }
        if isKeyword("is") {
            _ = bump()
            let type = try parseTypePath()
            if isKeyword("in") {
                _ = bump()
                return .isTypeIn(type, try parseEntityReference(slot: slot))
            }
            if isSymbol(.eq) { throw error(.invalidScope, "`is` cannot be used together with `==`") }
            return .isType(type)
        }
        if isSymbol(.colon) { throw error(.invalidScope, "type constraints using `:` are not supported") }
        return .any
    }

    mutating func parseEntityReference(slot: SlotID) throws(ParseError) -> EntityReference {
        if case .slot(let name) = current.kind {
            guard "?" + name == slot.rawValue else {
                throw error(.invalidScope, "expected slot `\(slot.rawValue)` here, found `?\(name)`")
            }
            _ = bump()
            return .slot(slot)
        }
        return .uid(try parseEntityUID())
    }

    mutating func parseActionConstraint() throws(ParseError) -> ActionConstraint {
        if isSymbol(.eq) {
            _ = bump()
            return .eq(try parseActionUID())
        }
        if isKeyword("in") {
            _ = bump()
            if isSymbol(.lbracket) {
                _ = bump()
                var uids: [EntityUID] = []
                while !isSymbol(.rbracket) {
                    uids.append(try parseActionUID())
                    if !isSymbol(.comma) { break }
                    _ = bump()
                }
                try expect(.rbracket)
                return .inSet(uids)
            }
            return .in(try parseActionUID())
        }
        if isKeyword("is") {
            throw error(.invalidScope, "`is` cannot appear in the action scope")
        }
        return .any
    }

    mutating func parseActionUID() throws(ParseError) -> EntityUID {
        let token = current
        let uid = try parseEntityUID()
        guard uid.type.isAction else {
            throw error(.invalidScope, "expected an entity of type `Action` in the action scope, found `\(uid)`", at: token)
        }
        return uid
    }

    /// `A::B::"id"`.
    mutating func parseEntityUID() throws(ParseError) -> EntityUID {
        var path = [try typeComponent()]
        while true {
            try expect(.doubleColon)
            if case .string = current.kind {
                let id = try stringLiteral()
                return EntityUID(type: EntityType(path.joined(separator: "::")), id: id)
            }
            path.append(try typeComponent())
        }
    }

    /// `A::B` (a type name, as after `is`).
    mutating func parseTypePath() throws(ParseError) -> EntityType {
        var path = [try typeComponent()]
        while isSymbol(.doubleColon) {
            _ = bump()
            path.append(try typeComponent())
        }
        return EntityType(path.joined(separator: "::"))
    }

    /// An identifier used as an attribute or method name: any identifier but the reserved ones.
    mutating func attributeName() throws(ParseError) -> String {
        let token = current
        let name = try identifier("identifier")
        if Parser.reserved.contains(name) {
            throw error(.reservedIdentifier, "this identifier is reserved and cannot be used: \(name)", at: token)
        }
        return name
    }

    mutating func typeComponent() throws(ParseError) -> String {
        let token = current
        let name = try identifier("identifier")
        if Parser.reserved.contains(name) {
            throw error(.reservedIdentifier, "this identifier is reserved and cannot be used: \(name)", at: token)
        }
        return name
    }
}
