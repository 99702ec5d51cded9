/// JSON as the generator writes it: member order is kept, so the file the oracle reads
/// and the text the Swift engine parses are byte-for-byte the same document.
indirect enum GeneratedJSON {
    case bool(Bool)
    case int(Int64)
    case string(String)
    case array([GeneratedJSON])
    case object([(String, GeneratedJSON)])

    /// `{"__entity": {"type": …, "id": …}}`.
    static func entity(_ type: String, _ id: String) -> GeneratedJSON {
        .object([("__entity", uid(type, id))])
    }

    /// `{"type": …, "id": …}`.
    static func uid(_ type: String, _ id: String) -> GeneratedJSON {
        .object([("type", .string(type)), ("id", .string(id))])
    }

    /// `{"__extn": {"fn": …, "arg": …}}`.
    static func extensionCall(_ function: String, _ argument: String) -> GeneratedJSON {
        .object([("__extn", .object([("fn", .string(function)), ("arg", .string(argument))]))])
    }

    var text: String {
        switch self {
        case .bool(let b): b ? "true" : "false"
        case .int(let n): String(n)
        case .string(let s): Self.quoted(s)
        case .array(let items): "[" + items.map(\.text).joined(separator: ",") + "]"
        case .object(let members): "{" + members.map { Self.quoted($0.0) + ":" + $0.1.text }.joined(separator: ",") + "}"
        }
    }

    private static func quoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case _ where scalar.value < 0x20: out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
