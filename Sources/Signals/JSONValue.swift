import RTATokens

/// Any JSON value, decoded without loss (SET claims and event payloads may hold
/// members we do not know; SSF §4.2.3 says ignore them, not fail on them).
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

    var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    var object: [String: JSONValue]? {
        if case .object(let value) = self { return value }
        return nil
    }

    /// A NumericDate (RFC 7519 §2) in UNIX milliseconds; fractions are allowed.
    var numericDateMilliseconds: UInt64? {
        switch self {
        case .integer(let seconds) where seconds >= 0 && seconds < Int64.max / 1_000:
            return UInt64(seconds) * 1_000
        case .number(let seconds) where seconds >= 0 && seconds < 9.2e15:
            return UInt64((seconds * 1_000).rounded(.down))
        default:
            return nil
        }
    }

    /// The `ClaimValue` the context hash can take: integers stay integers, any other
    /// number becomes its decimal string (ClaimValue has no floating point on purpose).
    var claimValue: ClaimValue {
        switch self {
        case .null: .null
        case .bool(let flag): .bool(flag)
        case .integer(let value): .integer(value)
        case .number(let value): .string(String(value))
        case .string(let text): .string(text)
        case .array(let items): .list(items.map(\.claimValue))
        case .object(let members): .object(members.mapValues(\.claimValue))
        }
    }
}
