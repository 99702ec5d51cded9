import Foundation

/// The JSON the dev IdP writes (tokens, JWKS, discovery, introspection).
indirect enum DevJSON: Sendable, Encodable {
    case string(String)
    case integer(Int64)
    case bool(Bool)
    case array([DevJSON])
    case object([String: DevJSON])

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let text): try container.encode(text)
        case .integer(let number): try container.encode(number)
        case .bool(let flag): try container.encode(flag)
        case .array(let items): try container.encode(items)
        case .object(let members): try container.encode(members)
        }
    }

    /// Keys sorted, slashes unescaped.
    var data: Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Strings, integers, booleans and containers of them always encode.
        return (try? encoder.encode(self)) ?? Data("null".utf8)
    }
}
