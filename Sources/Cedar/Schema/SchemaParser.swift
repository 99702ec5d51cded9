/// Recursive-descent parser for the human-readable `.cedarschema` format, following the
/// grammar of the reference implementation (`cedar_schema/grammar.lalrpop`).
///
/// Errors carry the line and column of the token where the input stopped making sense
/// and say what was expected there.
struct SchemaParser {
    private let source: String
    private var tokens: [SchemaToken] = []
    private var position = 0

    /// Words an identifier may not be (Cedar's reserved identifiers).
    private static let reserved: Set<String> = ["true", "false", "if", "then", "else", "in", "is", "like", "has"]

    init(_ text: String) {
        source = text
    }

    mutating func parseSchema() throws(SchemaError) -> SchemaDeclarations {
        tokens = try SchemaLexer.tokenize(source)
        var declarations = SchemaDeclarations()
        var unnamed = RawNamespace(path: [])
        while current.kind != .end {
            try parseAnnotations()
            if isKeyword("namespace") {
                declarations.namespaces.append(try parseNamespace())
            } else {
                try parseDeclaration(into: &unnamed)
            }
        }
        declarations.namespaces.append(unnamed)
        return declarations
    }

    // MARK: token helpers

    private var current: SchemaToken { tokens[position] }

    private func isKeyword(_ word: String) -> Bool {
        current.kind == .identifier(word)
    }

    private func isSymbol(_ symbol: String) -> Bool {
        current.kind == .symbol(symbol)
    }

    private mutating func consume(_ symbol: String) -> Bool {
        guard isSymbol(symbol) else { return false }
        position += 1
        return true
    }

    private mutating func expect(_ symbol: String) throws(SchemaError) {
        guard consume(symbol) else { throw unexpected("`\(symbol)`") }
    }

    private mutating func expectKeyword(_ word: String) throws(SchemaError) {
        guard isKeyword(word) else { throw unexpected("`\(word)`") }
        position += 1
    }

    private func unexpected(_ expected: String) -> SchemaError {
        let found: String
        switch current.kind {
        case .identifier(let name): found = "`\(name)`"
        case .string(let s): found = "string \"\(s)\""
        case .number: found = "a number"
        case .symbol(let s): found = "`\(s)`"
        case .end: found = "end of input"
        }
        return SchemaError(.syntax, "expected \(expected), found \(found)", at: current.location)
    }

    /// Any identifier-shaped token, keywords included (annotation keys).
    private mutating func anyIdentifier() throws(SchemaError) -> String {
        guard case .identifier(let name) = current.kind else { throw unexpected("an identifier") }
        position += 1
        return name
    }

    /// An identifier that is not a reserved word.
    private mutating func identifier() throws(SchemaError) -> String {
        let location = current.location
        let name = try anyIdentifier()
        if Self.reserved.contains(name) {
            throw SchemaError(.reservedName, "`\(name)` is a reserved identifier", at: location)
        }
        return name
    }

    private mutating func string() throws(SchemaError) -> String {
        guard case .string(let value) = current.kind else { throw unexpected("a string literal") }
        position += 1
        return value
    }

    /// `Name := Ident | STR` (attribute and action names).
    private mutating func name() throws(SchemaError) -> String {
        if case .string(let value) = current.kind {
            position += 1
            return value
        }
        return try identifier()
    }

    // MARK: grammar

    /// Annotations only document the schema; they are checked for duplicates and dropped.
    private mutating func parseAnnotations() throws(SchemaError) {
        var seen = Set<String>()
        while isSymbol("@") {
            position += 1
            let location = current.location
            let key = try anyIdentifier()
            guard seen.insert(key).inserted else {
                throw SchemaError(.duplicateDeclaration, "duplicate annotation `@\(key)`", at: location)
            }
            if consume("(") {
                _ = try string()
                try expect(")")
            }
        }
    }

    private mutating func parsePath() throws(SchemaError) -> RawName {
        let location = current.location
        var components = [try identifier()]
        while isSymbol("::"), case .identifier = tokens[position + 1].kind {
            position += 1
            components.append(try identifier())
        }
        return RawName(components: components, location: location)
    }

    private mutating func parseNamespace() throws(SchemaError) -> RawNamespace {
        try expectKeyword("namespace")
        var namespace = RawNamespace(path: try parsePath().components)
        try expect("{")
        while !consume("}") {
            try parseAnnotations()
            try parseDeclaration(into: &namespace)
        }
        return namespace
    }

    private mutating func parseDeclaration(into namespace: inout RawNamespace) throws(SchemaError) {
        if isKeyword("entity") {
            namespace.entities += try parseEntity()
        } else if isKeyword("action") {
            namespace.actions += try parseAction()
        } else if isKeyword("type") {
            namespace.commonTypes.append(try parseCommonType())
        } else {
            throw unexpected("`namespace`, `entity`, `action` or `type`")
        }
    }

    private mutating func parseEntity() throws(SchemaError) -> [RawEntity] {
        let location = current.location
        try expectKeyword("entity")
        var names = [try identifier()]
        while consume(",") { names.append(try identifier()) }
        if isKeyword("enum") {
            position += 1
            try expect("[")
            var choices = [try string()]
            while consume(",") { choices.append(try string()) }
            try expect("]")
            try expect(";")
            return names.map {
                RawEntity(name: $0, parents: [], shape: nil, tags: nil, enumChoices: choices, location: location)
            }
        }
        var parents: [RawName] = []
        if isKeyword("in") {
            position += 1
            parents = try parseEntityTypeList()
        }
        var shape: RawType?
        let shapeLocation = current.location
        if consume("=") {
            guard isSymbol("{") else { throw unexpected("`{`") }
        }
        if consume("{") {
            shape = .record(try parseAttributes(closing: "}"), shapeLocation)
        }
        var tags: RawType?
        if isKeyword("tags") {
            position += 1
            tags = try parseType()
        }
        try expect(";")
        return names.map {
            RawEntity(name: $0, parents: parents, shape: shape, tags: tags, enumChoices: nil, location: location)
        }
    }

    /// `EntTypes := Path | "[" (Path ("," Path)*)? "]"`
    private mutating func parseEntityTypeList() throws(SchemaError) -> [RawName] {
        guard consume("[") else { return [try parsePath()] }
        var result: [RawName] = []
        if consume("]") { return result }
        result.append(try parsePath())
        while consume(",") { result.append(try parsePath()) }
        try expect("]")
        return result
    }

    /// Attribute declarations up to and including `closing`; a trailing comma is allowed.
    private mutating func parseAttributes(closing: String) throws(SchemaError) -> [RawAttribute] {
        var attributes: [RawAttribute] = []
        var seen = Set<String>()
        while !consume(closing) {
            try parseAnnotations()
            let location = current.location
            let name = try name()
            let isRequired = !consume("?")
            try expect(":")
            let type = try parseType()
            guard seen.insert(name).inserted else {
                throw SchemaError(.duplicateDeclaration, "duplicate attribute `\(name)`", at: location)
            }
            attributes.append(RawAttribute(name: name, type: type, isRequired: isRequired, location: location))
            if !consume(",") {
                try expect(closing)
                break
            }
        }
        return attributes
    }

    private mutating func parseType() throws(SchemaError) -> RawType {
        let location = current.location
        if isKeyword("Set"), tokens[position + 1].kind == .symbol("<") {
            position += 2
            let element = try parseType()
            try expect(">")
            return .set(element)
        }
        if consume("{") {
            return .record(try parseAttributes(closing: "}"), location)
        }
        return .reference(try parsePath(), .commonOrEntity)
    }

    private mutating func parseCommonType() throws(SchemaError) -> RawCommonType {
        let location = current.location
        try expectKeyword("type")
        let name = try identifier()
        try expect("=")
        let type = try parseType()
        try expect(";")
        return RawCommonType(name: name, type: type, location: location)
    }

    private mutating func parseAction() throws(SchemaError) -> [RawAction] {
        let location = current.location
        try expectKeyword("action")
        var names = [try name()]
        while consume(",") { names.append(try name()) }
        var parents: [RawActionReference] = []
        if isKeyword("in") {
            position += 1
            if consume("[") {
                parents.append(try parseActionReference())
                while consume(",") { parents.append(try parseActionReference()) }
                try expect("]")
            } else {
                parents.append(try parseActionReference())
            }
        }
        var appliesTo: RawAppliesTo?
        if isKeyword("appliesTo") {
            position += 1
            appliesTo = try parseAppliesTo(action: names[0], at: location)
        }
        if isKeyword("attributes") {
            position += 1
            try expect("{")
            try expect("}")
        }
        try expect(";")
        return names.map { RawAction(name: $0, parents: parents, appliesTo: appliesTo, location: location) }
    }

    /// `QualName := Path "::" STR | Name`
    private mutating func parseActionReference() throws(SchemaError) -> RawActionReference {
        let location = current.location
        if case .string(let id) = current.kind {
            position += 1
            return RawActionReference(type: nil, id: id, location: location)
        }
        var components = [try identifier()]
        while consume("::") {
            if case .string(let id) = current.kind {
                position += 1
                return RawActionReference(type: RawName(components: components, location: location), id: id, location: location)
            }
            components.append(try identifier())
        }
        guard components.count == 1 else { throw unexpected("`::` followed by an action id string") }
        return RawActionReference(type: nil, id: components[0], location: location)
    }

    private mutating func parseAppliesTo(action: String, at actionLocation: SchemaSourceLocation) throws(SchemaError) -> RawAppliesTo {
        try expect("{")
        var principals: [RawName]?
        var resources: [RawName]?
        var context: RawType?
        var sawContext = false
        while !consume("}") {
            let location = current.location
            let key = try anyIdentifier()
            try expect(":")
            switch key {
            case "principal", "resource":
                let types = try parseEntityTypeList()
                if types.isEmpty {
                    throw SchemaError(.invalidDeclaration, "`\(key)` of action \"\(action)\" must list at least one entity type", at: location)
                }
                if key == "principal" {
                    guard principals == nil else { throw duplicate(key, action, location) }
                    principals = types
                } else {
                    guard resources == nil else { throw duplicate(key, action, location) }
                    resources = types
                }
            case "context":
                guard !sawContext else { throw duplicate(key, action, location) }
                sawContext = true
                let typeLocation = current.location
                if consume("{") {
                    context = .record(try parseAttributes(closing: "}"), typeLocation)
                } else {
                    context = .reference(try parsePath(), .commonOrEntity)
                }
            default:
                throw SchemaError(.syntax, "expected `principal`, `resource` or `context`, found `\(key)`", at: location)
            }
            if !consume(",") {
                try expect("}")
                break
            }
        }
        guard let principals else {
            throw SchemaError(.invalidDeclaration, "action \"\(action)\" has `appliesTo` without `principal`", at: actionLocation)
        }
        guard let resources else {
            throw SchemaError(.invalidDeclaration, "action \"\(action)\" has `appliesTo` without `resource`", at: actionLocation)
        }
        return RawAppliesTo(principals: principals, resources: resources, context: context)
    }

    private func duplicate(_ key: String, _ action: String, _ location: SchemaSourceLocation) -> SchemaError {
        SchemaError(.duplicateDeclaration, "`\(key)` declared twice in `appliesTo` of action \"\(action)\"", at: location)
    }
}
