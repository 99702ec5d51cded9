/// The schema as written, before name resolution. Both the human (`.cedarschema`) and
/// the JSON parser produce this, so resolution rules live in one place (`SchemaResolver`).
struct SchemaDeclarations {
    var namespaces: [RawNamespace] = []
}

struct RawNamespace {
    /// Namespace path components; empty for the unnamed namespace.
    var path: [String]
    var entities: [RawEntity] = []
    var actions: [RawAction] = []
    var commonTypes: [RawCommonType] = []
}

/// A possibly-qualified name as written (`User`, `NS::User`, `__cedar::Long`).
struct RawName {
    var components: [String]
    var location: SchemaSourceLocation

    var text: String { components.joined(separator: "::") }
}

/// What a written name may refer to, which decides the lookup order.
enum RawReferenceKind {
    case commonOrEntity
    case entity
    case common
}

indirect enum RawType {
    case reference(RawName, RawReferenceKind)
    case builtin(SchemaType, SchemaSourceLocation)
    case set(RawType)
    case record([RawAttribute], SchemaSourceLocation)
}

struct RawAttribute {
    var name: String
    var type: RawType
    var isRequired: Bool
    var location: SchemaSourceLocation
}

struct RawEntity {
    var name: String
    var parents: [RawName]
    var shape: RawType?
    var tags: RawType?
    var enumChoices: [String]?
    var location: SchemaSourceLocation
}

/// A reference to an action in `in [...]`; `type` nil means this namespace's `Action`.
struct RawActionReference {
    var type: RawName?
    var id: String
    var location: SchemaSourceLocation
}

struct RawAppliesTo {
    var principals: [RawName]
    var resources: [RawName]
    var context: RawType?
}

struct RawAction {
    var name: String
    var parents: [RawActionReference]
    var appliesTo: RawAppliesTo?
    var location: SchemaSourceLocation
}

struct RawCommonType {
    var name: String
    var type: RawType
    var location: SchemaSourceLocation
}
