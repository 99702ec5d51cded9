/// Turns written declarations into a `Schema`: qualifies names with their namespace,
/// resolves every type reference, inlines common types, and computes the entity and
/// action hierarchies, rejecting duplicates, undeclared names and cycles.
///
/// Name lookup follows Cedar 4: an unqualified `T` written in namespace `NS` is tried as
/// `NS::T` then `T`, each first as a common type then as an entity type, and only then
/// as a built-in (`Long`, `ipaddr`, …); `__cedar::T` always means the built-in.
struct SchemaResolver {
    private struct Scoped<Declaration> {
        let declaration: Declaration
        let namespace: String
    }

    private var commonTypes: [String: Scoped<RawCommonType>] = [:]
    private var entities: [String: Scoped<RawEntity>] = [:]
    private var actions: [SchemaActionID: Scoped<RawAction>] = [:]
    private let declarations: SchemaDeclarations

    /// Names a common type may not take because JSON schemas use them as type keywords.
    private static let reservedCommonTypeNames: Set<String> = [
        "Bool", "Boolean", "Entity", "EntityOrCommon", "Extension", "Long", "Record", "Set", "String",
    ]

    init(_ declarations: SchemaDeclarations) {
        self.declarations = declarations
    }

    private static func qualify(_ name: String, in namespace: String) -> String {
        namespace.isEmpty ? name : "\(namespace)::\(name)"
    }

    mutating func resolve() throws(SchemaError) -> Schema {
        try collectDeclarations()
        try checkEmptyNamespaceShadowing()
        for (name, scoped) in commonTypes {
            _ = try resolveType(scoped.declaration.type, in: scoped.namespace, expanding: [name])
        }
        var entityTypes: [String: SchemaEntityType] = [:]
        for (name, scoped) in entities {
            entityTypes[name] = try resolveEntity(scoped.declaration, named: name, in: scoped.namespace)
        }
        var resolvedActions: [SchemaActionID: SchemaAction] = [:]
        for (id, scoped) in actions {
            resolvedActions[id] = try resolveAction(scoped.declaration, id: id, in: scoped.namespace)
        }
        try Self.computeEntityDescendants(&entityTypes)
        try Self.computeActionDescendants(&resolvedActions)
        return Schema(entityTypes: entityTypes, actions: resolvedActions)
    }

    private mutating func collectDeclarations() throws(SchemaError) {
        for namespace in declarations.namespaces {
            if namespace.path.first == "__cedar" {
                throw SchemaError(.reservedName, "the `__cedar` namespace is reserved")
            }
            let prefix = namespace.path.joined(separator: "::")
            for common in namespace.commonTypes {
                if Self.reservedCommonTypeNames.contains(common.name) {
                    throw SchemaError(.reservedName, "`\(common.name)` cannot be used as a common type name", at: common.location)
                }
                let name = Self.qualify(common.name, in: prefix)
                guard commonTypes[name] == nil else {
                    throw SchemaError(.duplicateDeclaration, "common type `\(name)` is declared twice", at: common.location)
                }
                commonTypes[name] = Scoped(declaration: common, namespace: prefix)
            }
            for entity in namespace.entities {
                let name = Self.qualify(entity.name, in: prefix)
                guard entities[name] == nil else {
                    throw SchemaError(.duplicateDeclaration, "entity type `\(name)` is declared twice", at: entity.location)
                }
                entities[name] = Scoped(declaration: entity, namespace: prefix)
            }
            for action in namespace.actions {
                let id = SchemaActionID(type: Self.qualify("Action", in: prefix), id: action.name)
                guard actions[id] == nil else {
                    throw SchemaError(.duplicateDeclaration, "action \(id) is declared twice", at: action.location)
                }
                actions[id] = Scoped(declaration: action, namespace: prefix)
            }
        }
    }

    /// RFC 70: a namespaced declaration may not reuse the name of an entity type, common
    /// type or action declared in the empty namespace, so unqualified names stay unambiguous.
    private func checkEmptyNamespaceShadowing() throws(SchemaError) {
        let typeNames = Array(entities.keys) + Array(commonTypes.keys)
        let unqualified = Set(typeNames.filter { !$0.contains("::") })
        for name in typeNames where name.contains("::") {
            let basename = String(name.split(separator: ":").last ?? "")
            if unqualified.contains(basename) {
                throw SchemaError(.duplicateDeclaration, "`\(name)` shadows `\(basename)` declared in the empty namespace")
            }
        }
        let unqualifiedActions = Set(actions.keys.filter { $0.type == "Action" }.map(\.id))
        for id in actions.keys where id.type != "Action" && unqualifiedActions.contains(id.id) {
            throw SchemaError(.duplicateDeclaration, "action \(id) shadows Action::\"\(id.id)\" declared in the empty namespace")
        }
    }

    // MARK: types

    private func resolveType(_ raw: RawType, in namespace: String, expanding: Set<String> = []) throws(SchemaError) -> SchemaType {
        switch raw {
        case .builtin(let type, _):
            return type
        case .set(let element):
            return .set(try resolveType(element, in: namespace, expanding: expanding))
        case .record(let attributes, _):
            var result: [String: SchemaAttribute] = [:]
            for attribute in attributes {
                let type = try resolveType(attribute.type, in: namespace, expanding: expanding)
                result[attribute.name] = SchemaAttribute(type: type, isRequired: attribute.isRequired)
            }
            return .record(result)
        case .reference(let name, let kind):
            return try resolveReference(name, kind: kind, in: namespace, expanding: expanding)
        }
    }

    private func candidates(for name: RawName, in namespace: String) -> [String] {
        if name.components.count > 1 || namespace.isEmpty { return [name.text] }
        return [Self.qualify(name.text, in: namespace), name.text]
    }

    private func resolveReference(_ name: RawName, kind: RawReferenceKind, in namespace: String,
                                  expanding: Set<String>) throws(SchemaError) -> SchemaType {
        if name.components.count == 2, name.components[0] == "__cedar" {
            guard name.components[1] != "Boolean", let builtin = SchemaType.builtin(named: name.components[1]) else {
                throw SchemaError(.undeclaredName, "`\(name.text)` is not a built-in type", at: name.location)
            }
            return builtin
        }
        for candidate in candidates(for: name, in: namespace) {
            if kind != .entity, let common = commonTypes[candidate] {
                if expanding.contains(candidate) {
                    throw SchemaError(.cycle, "common type `\(candidate)` refers to itself", at: name.location)
                }
                return try resolveType(common.declaration.type, in: common.namespace, expanding: expanding.union([candidate]))
            }
            if kind != .common, entities[candidate] != nil {
                return .entity(candidate)
            }
        }
        if name.components.count == 1, kind != .entity, name.text != "Boolean",
           let builtin = SchemaType.builtin(named: name.text) {
            return builtin
        }
        throw SchemaError(.undeclaredName, "type `\(name.text)` is not declared", at: name.location)
    }

    private func resolveEntityName(_ name: RawName, in namespace: String) throws(SchemaError) -> String {
        for candidate in candidates(for: name, in: namespace) where entities[candidate] != nil {
            return candidate
        }
        throw SchemaError(.undeclaredName, "entity type `\(name.text)` is not declared", at: name.location)
    }

    private func resolveRecord(_ raw: RawType, in namespace: String, what: String,
                               at location: SchemaSourceLocation) throws(SchemaError) -> [String: SchemaAttribute] {
        guard case .record(let attributes) = try resolveType(raw, in: namespace) else {
            throw SchemaError(.invalidDeclaration, "\(what) must be a record type", at: location)
        }
        return attributes
    }

    // MARK: declarations

    private func resolveEntity(_ entity: RawEntity, named name: String, in namespace: String) throws(SchemaError) -> SchemaEntityType {
        var parents = Set<String>()
        for parent in entity.parents {
            parents.insert(try resolveEntityName(parent, in: namespace))
        }
        let attributes = try entity.shape.map { shape throws(SchemaError) in
            try resolveRecord(shape, in: namespace, what: "the shape of `\(name)`", at: entity.location)
        } ?? [:]
        let tagType = try entity.tags.map { tags throws(SchemaError) in try resolveType(tags, in: namespace) }
        return SchemaEntityType(name: name, parents: parents, descendants: [], attributes: attributes,
                                tagType: tagType, enumChoices: entity.enumChoices)
    }

    private func resolveAction(_ action: RawAction, id: SchemaActionID, in namespace: String) throws(SchemaError) -> SchemaAction {
        var parents = Set<SchemaActionID>()
        for reference in action.parents {
            let type: String
            if let written = reference.type {
                type = written.components.count == 1 ? Self.qualify(written.text, in: namespace) : written.text
            } else {
                type = Self.qualify("Action", in: namespace)
            }
            let parent = SchemaActionID(type: type, id: reference.id)
            guard actions[parent] != nil else {
                throw SchemaError(.undeclaredName, "action \(parent) (parent of \(id)) is not declared", at: reference.location)
            }
            parents.insert(parent)
        }
        var principals: [String] = []
        var resources: [String] = []
        var context: [String: SchemaAttribute] = [:]
        if let appliesTo = action.appliesTo {
            for name in appliesTo.principals { principals.append(try resolveEntityName(name, in: namespace)) }
            for name in appliesTo.resources { resources.append(try resolveEntityName(name, in: namespace)) }
            if let raw = appliesTo.context {
                context = try resolveRecord(raw, in: namespace, what: "the context of \(id)", at: action.location)
            }
        }
        return SchemaAction(id: id, parents: parents, descendants: [], principalTypes: principals,
                            resourceTypes: resources, context: context)
    }

    // MARK: hierarchy

    /// Inverts the parent relation transitively: `descendants[P]` holds every type that can be in `P`.
    private static func computeEntityDescendants(_ types: inout [String: SchemaEntityType]) throws(SchemaError) {
        let parents = types.mapValues(\.parents)
        for name in types.keys {
            // A type that is (transitively) its own parent counts as its own descendant.
            for ancestor in closure(of: name, parents: parents) {
                types[ancestor]?.descendants.insert(name)
            }
        }
    }

    private static func computeActionDescendants(_ actions: inout [SchemaActionID: SchemaAction]) throws(SchemaError) {
        let parents = actions.mapValues(\.parents)
        for id in actions.keys {
            let ancestors = closure(of: id, parents: parents)
            if ancestors.contains(id) {
                throw SchemaError(.cycle, "action \(id) is (transitively) a member of itself")
            }
            for ancestor in ancestors {
                actions[ancestor]?.descendants.insert(id)
            }
        }
    }

    /// Every key reachable from `start` through one or more parent links.
    private static func closure<Key: Hashable>(of start: Key, parents: [Key: Set<Key>]) -> Set<Key> {
        var seen: Set<Key> = []
        var stack = Array(parents[start] ?? [])
        while let next = stack.popLast() {
            guard seen.insert(next).inserted else { continue }
            stack.append(contentsOf: parents[next] ?? [])
        }
        return seen
    }
}
