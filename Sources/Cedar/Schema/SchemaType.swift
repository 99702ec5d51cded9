/// A fully resolved schema type: every name has been looked up, common types inlined.
///
/// Entity and extension types carry their fully qualified name (`NS::User`, `ipaddr`),
/// so consumers never need the namespace the declaration was written in.
public indirect enum SchemaType: Hashable, Sendable {
    case bool
    case long
    case string
    case entity(String)
    case set(SchemaType)
    case record([String: SchemaAttribute])
    case extensionType(String)

    /// Extension types Cedar 4 defines; referenced as `ipaddr` or `__cedar::ipaddr`.
    public static let extensionNames: Set<String> = ["ipaddr", "decimal", "datetime", "duration"]

    /// The built-in type a bare name denotes when no declaration shadows it.
    static func builtin(named name: String) -> SchemaType? {
        switch name {
        case "Bool", "Boolean": return .bool
        case "Long": return .long
        case "String": return .string
        default: return extensionNames.contains(name) ? .extensionType(name) : nil
        }
    }
}

/// One attribute of a record or entity shape.
public struct SchemaAttribute: Hashable, Sendable {
    public let type: SchemaType
    public let isRequired: Bool

    public init(type: SchemaType, isRequired: Bool) {
        self.type = type
        self.isRequired = isRequired
    }
}
