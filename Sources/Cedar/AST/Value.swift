/// A Cedar runtime value: the result of evaluating an expression, an entity attribute or
/// a context field.
///
/// Sets and records compare structurally (set order and record key order never matter),
/// which is what Cedar's `==` requires; values of different kinds are simply unequal.
public enum Value: Hashable, Sendable {
    case bool(Bool)
    case long(Int64)
    case string(String)
    case entity(EntityUID)
    case set(Set<Value>)
    case record([String: Value])
    case ext(ExtensionValue)

    /// The Cedar type name used in type-error messages.
    public var typeName: String {
        switch self {
        case .bool: "bool"
        case .long: "long"
        case .string: "string"
        case .entity(let uid): "(entity of type `\(uid.type.name)`)"
        case .set: "set"
        case .record: "record"
        case .ext(let e): e.typeName
        }
    }
}

/// A value of one of Cedar's extension types, produced by `ip(..)`, `decimal(..)`,
/// `datetime(..)` and `duration(..)`.
public enum ExtensionValue: Hashable, Sendable {
    case ipaddr(IPAddr)
    case decimal(CedarDecimal)
    case datetime(CedarDatetime)
    case duration(CedarDuration)

    public var typeName: String {
        switch self {
        case .ipaddr: "ipaddr"
        case .decimal: "decimal"
        case .datetime: "datetime"
        case .duration: "duration"
        }
    }
}

extension Value: CustomStringConvertible {
    /// Cedar syntax for the value (sets and records in sorted order, for stable output).
    public var description: String {
        switch self {
        case .bool(let b): return b ? "true" : "false"
        case .long(let n): return String(n)
        case .string(let s): return CedarString.quoted(s)
        case .entity(let uid): return uid.description
        case .set(let elements): return "[" + elements.map(\.description).sorted().joined(separator: ", ") + "]"
        case .record(let fields):
            let items = fields.sorted { $0.key < $1.key }.map { "\(CedarString.quoted($0.key)): \($0.value)" }
            return "{" + items.joined(separator: ", ") + "}"
        case .ext(let e):
            switch e {
            case .ipaddr(let ip): return "ip(\(CedarString.quoted(ip.description)))"
            case .decimal(let d): return "decimal(\(CedarString.quoted(d.description)))"
            case .datetime(let d): return "datetime(\(CedarString.quoted(d.description)))"
            case .duration(let d): return "duration(\(CedarString.quoted(d.description)))"
            }
        }
    }
}
