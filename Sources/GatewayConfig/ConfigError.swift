/// One problem found in a configuration file, located precisely enough that an
/// operator can jump to it: `gateway.yaml:12:7: routes[2].upstream: no upstream named "billing"`.
///
/// `code` is stable (tests and tooling match on it); `message` is for people.
public struct ConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The class of problem. Raw values are stable and appear in machine-readable output.
    public enum Code: String, Sendable, Hashable {
        case unreadableFile = "unreadable_file"
        case yamlSyntax = "yaml_syntax"
        case unknownKey = "unknown_key"
        case wrongType = "wrong_type"
        case missingKey = "missing_key"
        case badValue = "bad_value"
        case duplicateRouteName = "duplicate_route_name"
        case duplicateUpstreamName = "duplicate_upstream_name"
        case unknownUpstream = "unknown_upstream"
        case unreachableRoute = "unreachable_route"
        case duplicateIssuer = "duplicate_issuer"
        /// A public route forwards paths a protected route guards on the same upstream.
        case publicReachesProtected = "public_reaches_protected"
        /// A protected route with no `tokens` section: it could only be forwarded unchecked.
        case protectedRouteWithoutTokens = "protected_route_without_tokens"
        case insecureAdmin = "insecure_admin"
    }

    public var code: Code
    public var file: String
    /// 1-based; 0 when the problem has no position (an unreadable file).
    public var line: Int
    /// 1-based, counted in Unicode scalars as libyaml does.
    public var column: Int
    /// Where in the document, e.g. `routes[2].upstream`; empty for the document itself.
    public var keyPath: String
    public var message: String

    public init(_ code: Code, file: String, line: Int, column: Int, keyPath: String, message: String) {
        self.code = code
        self.file = file
        self.line = line
        self.column = column
        self.keyPath = keyPath
        self.message = message
    }

    public var description: String {
        let location = line > 0 ? "\(file):\(line):\(column)" : file
        return keyPath.isEmpty ? "\(location): \(message)" : "\(location): \(keyPath): \(message)"
    }
}

/// Every problem found in one pass over a configuration file, in document order, so an
/// operator fixes them all at once instead of one per restart.
public struct ConfigErrors: Error, Sendable, CustomStringConvertible {
    public var errors: [ConfigError]

    public init(_ errors: [ConfigError]) {
        self.errors = errors
    }

    /// One error per line, in the `file:line:column: key: message` format.
    public var description: String {
        errors.map(\.description).joined(separator: "\n")
    }
}
