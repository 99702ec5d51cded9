import RTATokens

/// Any JSON value, decoded without loss so it can be turned into a `ClaimValue`
/// (IdP claims, introspection responses, `agent_meta`) or read member by member
/// (Security Event Tokens in the Signals module, whose unknown members SSF §4.2.3
/// says to ignore, not to fail on).
///
/// Numbers are kept as integers when they are integers; anything else becomes the
/// shortest decimal string, because `ClaimValue` has no floating point (the context
/// hash must not depend on number formatting).
public enum JSONValue: Sendable, Hashable, Codable {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
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

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let flag): try container.encode(flag)
        case .integer(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let text): try container.encode(text)
        case .array(let items): try container.encode(items)
        case .object(let members): try container.encode(members)
        }
    }

    public var claimValue: ClaimValue {
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

    public var string: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// JWT NumericDate (RFC 7519 §2): seconds, possibly fractional; truncated.
    public var seconds: Int64? {
        switch self {
        case .integer(let integer): integer
        case .number(let number) where number.isFinite && abs(number) < 9e15: Int64(number)
        default: nil
        }
    }

    public var bool: Bool? {
        if case .bool(let flag) = self { return flag }
        return nil
    }

    public var object: [String: JSONValue]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// A NumericDate (RFC 7519 §2) in UNIX milliseconds; fractions are allowed.
    public var numericDateMilliseconds: UInt64? {
        switch self {
        case .integer(let seconds) where seconds >= 0 && seconds < Int64.max / 1_000:
            return UInt64(seconds) * 1_000
        case .number(let seconds) where seconds >= 0 && seconds < 9.2e15:
            return UInt64((seconds * 1_000).rounded(.down))
        default:
            return nil
        }
    }
}

/// Literals, for the test transmitter's SETs and for tests: `["format": "email", "email": "a@b"]`.
extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByDictionaryLiteral, ExpressibleByArrayLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
}
