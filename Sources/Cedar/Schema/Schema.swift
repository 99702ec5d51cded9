/// A validated Cedar schema: the entity types, actions and their request shapes that
/// policies, entities and requests are checked against.
///
/// Names are fully qualified strings (`NS::User`, action type `NS::Action`). The
/// hierarchy is precomputed in both directions (`descendants`) because the validator
/// asks "which types can be `in` this one?" for every `in` expression.
public struct Schema: Sendable {
    public internal(set) var entityTypes: [String: SchemaEntityType]
    public internal(set) var actions: [SchemaActionID: SchemaAction]

    /// Parses the human-readable `.cedarschema` format.
    public static func parse(cedarSchema text: String) throws(SchemaError) -> Schema {
        var parser = SchemaParser(text)
        var resolver = SchemaResolver(try parser.parseSchema())
        return try resolver.resolve()
    }

    /// Parses the JSON schema format.
    public static func parse(json text: String) throws(SchemaError) -> Schema {
        var resolver = SchemaResolver(try SchemaJSONParser.parse(text))
        return try resolver.resolve()
    }

    /// True for declared entity types and for any `…::Action` type, as in Cedar.
    public func isKnownEntityType(_ name: String) -> Bool {
        isActionType(name) || entityTypes[name] != nil
    }

    /// Cedar treats every entity type whose last component is `Action` as an action type.
    public func isActionType(_ name: String) -> Bool {
        name == "Action" || name.hasSuffix("::Action")
    }

    /// Entity types whose entities may be `in` an entity of `type`, including `type` itself.
    public func entityTypes(in type: String) -> Set<String> {
        var result = entityTypes[type]?.descendants ?? []
        result.insert(type)
        return result
    }

    /// The declaration of the action `uid`, if `uid` names a declared action.
    public func action(_ uid: EntityUID) -> SchemaAction? {
        actions[SchemaActionID(type: uid.type.name, id: uid.id)]
    }

    /// The actions for which `action in ids` can be true (each id and its descendants),
    /// or nil if any id is not a declared action.
    public func actions(in ids: [SchemaActionID]) -> Set<SchemaActionID>? {
        var result = Set<SchemaActionID>()
        for id in ids {
            guard let action = actions[id] else { return nil }
            result.insert(id)
            result.formUnion(action.descendants)
        }
        return result
    }
}

/// An action's identity: its entity type (`NS::Action`) and id.
public struct SchemaActionID: Hashable, Sendable, CustomStringConvertible {
    public let type: String
    public let id: String

    public init(type: String, id: String) {
        self.type = type
        self.id = id
    }

    public var description: String { "\(type)::\"\(id)\"" }
}

/// An entity type declaration with its resolved shape and hierarchy.
public struct SchemaEntityType: Sendable {
    public let name: String
    /// Declared parent types (`entity User in [Group]`).
    public let parents: Set<String>
    /// Types that can (transitively) be members of this type.
    public internal(set) var descendants: Set<String>
    public let attributes: [String: SchemaAttribute]
    /// The type of every tag value, or nil when the entity type declares no tags.
    public let tagType: SchemaType?
    /// The only valid entity ids, for `enum` entity types.
    public let enumChoices: [String]?
}

/// An action declaration: where it sits in the action hierarchy and what requests it applies to.
public struct SchemaAction: Sendable {
    public let id: SchemaActionID
    public let parents: Set<SchemaActionID>
    /// Actions that are (transitively) members of this one.
    public internal(set) var descendants: Set<SchemaActionID>
    public let principalTypes: [String]
    public let resourceTypes: [String]
    /// Context record attributes; the context is always a closed record.
    public let context: [String: SchemaAttribute]
}
