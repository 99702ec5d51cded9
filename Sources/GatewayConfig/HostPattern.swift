/// Which `Host`/`:authority` a route answers: one exact name, or `*.example.com` for
/// exactly one extra leading label (the TLS wildcard rule, so a route never matches a
/// name its certificate could not cover).
public enum HostPattern: Sendable, Hashable, CustomStringConvertible {
    case exact(String)
    /// The part after `*`, including the leading dot: `.example.com`.
    case wildcard(suffix: String)

    static func parse(_ text: String) -> Result<HostPattern, ReasonText> {
        let lower = text.lowercased()
        let name = lower.hasPrefix("*.") ? String(lower.dropFirst(2)) : lower
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        let valid = !name.isEmpty && labels.allSatisfy { label in
            !label.isEmpty && label.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        }
        guard valid else {
            return .failure(ReasonText(
                #"expected a host name without port, e.g. "api.example.com" or "*.example.com""#))
        }
        return .success(lower.hasPrefix("*.") ? .wildcard(suffix: "." + name) : .exact(name))
    }

    /// `host` must already be lowercase and without its port.
    public func matches(_ host: String) -> Bool {
        switch self {
        case .exact(let name):
            return host == name
        case .wildcard(let suffix):
            guard host.hasSuffix(suffix) else { return false }
            let label = host.dropLast(suffix.count)
            return !label.isEmpty && !label.contains(".")
        }
    }

    public var description: String {
        switch self {
        case .exact(let name): name
        case .wildcard(let suffix): "*" + suffix
        }
    }
}
