/// A resource id such as `{id}` or `tenant-{tenant}/{id}`: literal text and `{param}`
/// placeholders naming path parameters of the route's template.
public struct ResourceIDTemplate: Sendable, Hashable, CustomStringConvertible {
    public enum Part: Sendable, Hashable {
        case literal(String)
        case parameter(String)
    }

    public let parts: [Part]
    public let description: String

    /// The parameter names used, in order of appearance.
    public var parameters: [String] {
        parts.compactMap { if case .parameter(let name) = $0 { name } else { nil } }
    }

    static func parse(_ text: String) -> Result<ResourceIDTemplate, ReasonText> {
        var parts: [Part] = []
        var rest = Substring(text)
        while let open = rest.firstIndex(where: { $0 == "{" || $0 == "}" }) {
            guard rest[open] == "{", let close = rest[open...].firstIndex(of: "}") else {
                return .failure(ReasonText("unbalanced brace; write a parameter as {name}"))
            }
            if open > rest.startIndex { parts.append(.literal(String(rest[..<open]))) }
            let name = rest[rest.index(after: open)..<close]
            guard let first = name.first, first.isLetter || first == "_",
                  name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") })
            else { return .failure(ReasonText("invalid parameter name \"\(name)\": use letters, digits and _")) }
            parts.append(.parameter(String(name)))
            rest = rest[rest.index(after: close)...]
        }
        if !rest.isEmpty { parts.append(.literal(String(rest))) }
        return .success(ResourceIDTemplate(parts: parts, description: text))
    }

    /// The id for one request; nil when a parameter is missing from `parameters`.
    public func render(_ values: [String: String]) -> String? {
        var out = ""
        for part in parts {
            switch part {
            case .literal(let text): out += text
            case .parameter(let name):
                guard let value = values[name] else { return nil }
                out += value
            }
        }
        return out
    }
}
