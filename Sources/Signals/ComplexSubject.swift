import TokenExchange

/// The SSF `complex` subject (SSF §3.3): named simple subjects that all describe one
/// principal. A member left out is a wildcard (SSF §8.1.3.1), so `{user}` covers all
/// of the user's sessions and `{user, session}` exactly one IdP session.
public struct ComplexSubject: Sendable, Hashable, CustomStringConvertible {
    /// By member name: `user`, `session`, `device`, `tenant`, `application`, `org_unit`, `group`, or others.
    public let members: [String: SubjectIdentifier]

    public init(members: [String: SubjectIdentifier]) {
        self.members = members
    }

    init(_ object: [String: JSONValue]) throws(SETError) {
        var members: [String: SubjectIdentifier] = [:]
        for (name, value) in object where name != "format" {
            guard value.object != nil else { continue }
            members[name] = try SubjectIdentifier(value, nested: true)
        }
        guard !members.isEmpty else {
            throw SETError(.invalidRequest, "complex subject has no member subject")
        }
        self.members = members
    }

    public var user: SubjectIdentifier? { members["user"] }
    public var session: SubjectIdentifier? { members["session"] }
    public var device: SubjectIdentifier? { members["device"] }
    public var tenant: SubjectIdentifier? { members["tenant"] }

    public var description: String {
        "complex(" + members.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + ")"
    }
}
