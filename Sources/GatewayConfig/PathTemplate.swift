/// A path such as `/orders/{id}/items/{item}`: literal segments and whole-segment
/// parameters. A parameter matches one non-empty segment and captures it.
public struct PathTemplate: Sendable, Hashable, CustomStringConvertible {
    public enum Segment: Sendable, Hashable {
        case literal(String)
        case parameter(String)
    }

    public let segments: [Segment]
    public let description: String

    static func parse(_ text: String) -> Result<PathTemplate, ReasonText> {
        guard text.hasPrefix("/") else { return .failure(ReasonText("a path must start with \"/\"")) }
        var segments: [Segment] = []
        var names: Set<String> = []
        for part in text.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            if part.hasPrefix("{") && part.hasSuffix("}") && part.count > 2 {
                let name = String(part.dropFirst().dropLast())
                guard let first = name.first, first.isLetter || first == "_",
                      name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") })
                else { return .failure(ReasonText("invalid parameter name \"\(name)\": use letters, digits and _")) }
                guard names.insert(name).inserted else {
                    return .failure(ReasonText("parameter \"{\(name)}\" appears twice"))
                }
                segments.append(.parameter(name))
            } else if part.contains("{") || part.contains("}") {
                return .failure(ReasonText("\"\(part)\": a parameter must be a whole segment, e.g. /orders/{id}"))
            } else {
                segments.append(.literal(String(part)))
            }
        }
        return .success(PathTemplate(segments: segments, description: text))
    }

    /// The text before the first parameter: every path the template matches starts with it.
    public var literalPrefix: String {
        guard let brace = description.firstIndex(of: "{") else { return description }
        return String(description[..<brace])
    }
}

extension PathTemplate {
    /// The captured parameters when `path` (no query) has the template's shape, else nil.
    /// Captures are returned raw (still percent-encoded); callers decode if they need to.
    public func match(_ path: String) -> [String: String]? {
        let bytes = path.utf8
        guard bytes.first == UInt8(ascii: "/") else { return nil }
        // Walks the path's bytes once, segment by segment: this runs for every request
        // that reaches a template route.
        var captures: [String: String] = [:]
        var start = bytes.index(after: bytes.startIndex)
        for (position, segment) in segments.enumerated() {
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "/")) ?? bytes.endIndex
            let isLast = position == segments.count - 1
            guard isLast == (end == bytes.endIndex) else { return nil }
            switch segment {
            case .literal(let text):
                guard bytes[start..<end].elementsEqual(text.utf8) else { return nil }
            case .parameter(let name):
                guard start < end else { return nil }
                captures[name] = String(path[start..<end])
            }
            if !isLast { start = bytes.index(after: end) }
        }
        return captures
    }

    /// True when both templates match exactly the same paths (parameter names aside).
    func hasSameShape(as other: PathTemplate) -> Bool {
        guard segments.count == other.segments.count else { return false }
        return zip(segments, other.segments).allSatisfy { pair in
            switch pair {
            case (.literal(let a), .literal(let b)): a == b
            case (.parameter, .parameter): true
            default: false
            }
        }
    }
}
