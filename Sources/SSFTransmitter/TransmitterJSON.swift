import Foundation

/// A JSON value the test transmitter puts into SETs, metadata and poll responses.
/// Any shape is allowed on purpose: negative tests need claims the spec forbids.
public indirect enum TransmitterJSON: Sendable, Hashable, Codable, ExpressibleByStringLiteral,
    ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral, ExpressibleByDictionaryLiteral, ExpressibleByArrayLiteral {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([TransmitterJSON])
    case object([String: TransmitterJSON])

    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(dictionaryLiteral elements: (String, TransmitterJSON)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
    public init(arrayLiteral elements: TransmitterJSON...) { self = .array(elements) }

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

    /// Reads any JSON value. Booleans are tried before numbers and whole numbers before
    /// fractions, so `true` stays a boolean and `3` an integer.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let value = try? container.decode(Int64.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let text = try? container.decode(String.self) {
            self = .string(text)
        } else if let items = try? container.decode([TransmitterJSON].self) {
            self = .array(items)
        } else {
            self = .object(try container.decode([String: TransmitterJSON].self))
        }
    }

    /// Parses JSON text, e.g. a `--claims` or `--subject-json` command-line value.
    public init(parsing text: String) throws {
        self = try JSONDecoder().decode(TransmitterJSON.self, from: Data(text.utf8))
    }

    /// Compact JSON with sorted keys (stable bytes for signing and comparing).
    public var encoded: [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)).map { Array($0) } ?? Array("null".utf8)
    }

    // MARK: RFC 9493 / SSF subject builders

    public static func issSub(_ issuer: String, _ sub: String) -> TransmitterJSON {
        ["format": "iss_sub", "iss": .string(issuer), "sub": .string(sub)]
    }

    public static func email(_ address: String) -> TransmitterJSON {
        ["format": "email", "email": .string(address)]
    }

    public static func opaque(_ id: String) -> TransmitterJSON {
        ["format": "opaque", "id": .string(id)]
    }

    /// SSF §3.3 complex subject, e.g. `["user": .issSub(...), "session": .opaque(sid)]`.
    public static func complex(_ members: [String: TransmitterJSON]) -> TransmitterJSON {
        .object(members.merging(["format": "complex"]) { member, _ in member })
    }
}
