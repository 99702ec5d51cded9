import RTATokens

/// Any JSON value, decoded without loss so it can be turned into a `ClaimValue`
/// (IdP claims, introspection responses, `agent_meta`).
///
/// Numbers are kept as integers when they are integers; anything else becomes the
/// shortest decimal string, because `ClaimValue` has no floating point (the context
/// hash must not depend on number formatting).
enum JSONValue: Sendable, Hashable, Decodable {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let integer = try? container.decode(Int64.self) {
            self = .integer(integer)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if let text = try? container.decode(String.self) {
            self = .string(text)
        } else if let items = try? container.decode([JSONValue].self) {
            self = .array(items)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    var claimValue: ClaimValue {
        switch self {
        case .null: .null
        case .bool(let flag): .bool(flag)
        case .integer(let integer): .integer(integer)
        case .number(let number): .string(String(number))
        case .string(let text): .string(text)
        case .array(let items): .list(items.map(\.claimValue))
        case .object(let members): .object(members.mapValues(\.claimValue))
        }
    }

    var string: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// JWT NumericDate (RFC 7519 §2): seconds, possibly fractional; truncated.
    var seconds: Int64? {
        switch self {
        case .integer(let integer): integer
        case .number(let number) where number.isFinite && abs(number) < 9e15: Int64(number)
        default: nil
        }
    }

    var bool: Bool? {
        if case .bool(let flag) = self { return flag }
        return nil
    }
}
