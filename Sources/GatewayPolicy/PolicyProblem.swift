/// One reason a policy load failed, located precisely enough to jump to it:
/// `policies/orders.cedar:12:5: orders.cedar:policy1: unexpected token ...`.
///
/// `code` is stable (tests, logs and metrics match on it); `message` is for people.
public struct PolicyProblem: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        case unreadableFile = "unreadable_file"
        case syntax
        case duplicatePolicyID = "duplicate_policy_id"
        case templateNotSupported = "template_not_supported"
        case schema
        case validation
        case entities
    }

    public var code: Code
    /// The file as it was configured (absolute when the config made it so).
    public var file: String
    /// 1-based; 0 when the problem has no position (an unreadable file, an entities error).
    public var line: Int
    public var column: Int
    /// The policy concerned, for validation and duplicate-id problems.
    public var policyID: String?
    public var message: String

    public init(_ code: Code, file: String, line: Int = 0, column: Int = 0, policyID: String? = nil, message: String) {
        self.code = code
        self.file = file
        self.line = line
        self.column = column
        self.policyID = policyID
        self.message = message
    }

    public var description: String {
        let location = line > 0 ? "\(file):\(line):\(column)" : file
        return policyID.map { "\(location): \($0): \(message)" } ?? "\(location): \(message)"
    }
}

/// Every problem found by one load attempt, in file order. The store that saw it keeps
/// serving its last good policy set.
public struct PolicyLoadError: Error, Sendable, CustomStringConvertible {
    public var problems: [PolicyProblem]

    public init(_ problems: [PolicyProblem]) {
        self.problems = problems
    }

    /// One problem per line, `file:line:column: message`.
    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
