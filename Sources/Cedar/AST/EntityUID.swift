/// A fully qualified entity type name such as `App::User`.
///
/// Stored as one joined string so that hashing and comparing a type (done on every
/// entity lookup) is a single string operation.
public struct EntityType: Hashable, Sendable, CustomStringConvertible, Comparable {
    /// The qualified name, components joined by `::`.
    public let name: String

    public init(_ name: String) {
        self.name = name
    }

    public init(path: [String], basename: String) {
        self.name = (path + [basename]).joined(separator: "::")
    }

    /// Namespace components followed by the base name.
    public var components: [String] { name.components(separatedBy: "::") }

    /// The last component, without namespace.
    public var basename: String { components.last ?? name }

    /// Cedar treats every type whose base name is `Action` as an action type.
    public var isAction: Bool { name == "Action" || name.hasSuffix("::Action") }

    public var description: String { name }

    public static func < (lhs: EntityType, rhs: EntityType) -> Bool { lhs.name < rhs.name }
}

/// An entity's unique identifier: its type plus an arbitrary string id (`App::User::"alice"`).
///
/// The hash is computed once at creation: UIDs are looked up in dictionaries and ancestor
/// sets many times per authorization request, and rehashing two strings each time
/// dominated evaluation cost.
public struct EntityUID: Hashable, Sendable, CustomStringConvertible, Comparable {
    public let type: EntityType
    public let id: String
    private let hashCache: Int

    public init(type: EntityType, id: String) {
        self.type = type
        self.id = id
        var hasher = Hasher()
        hasher.combine(type.name)
        hasher.combine(id)
        self.hashCache = hasher.finalize()
    }

    public init(type: String, id: String) {
        self.init(type: EntityType(type), id: id)
    }

    public static func == (lhs: EntityUID, rhs: EntityUID) -> Bool {
        lhs.hashCache == rhs.hashCache && lhs.id == rhs.id && lhs.type == rhs.type
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(hashCache)
    }

    /// Cedar syntax, with the id escaped as a Cedar string literal.
    public var description: String { "\(type.name)::\(CedarString.quoted(id))" }

    public static func < (lhs: EntityUID, rhs: EntityUID) -> Bool {
        lhs.type == rhs.type ? lhs.id < rhs.id : lhs.type < rhs.type
    }
}
