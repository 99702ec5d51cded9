/// The policies an authorizer evaluates: static policies plus policies linked from
/// templates. Templates themselves are kept for linking but never evaluated.
public struct PolicySet: Sendable {
    /// Static and linked policies, in load order.
    public private(set) var policies: [Policy] = []
    /// Templates by id.
    public private(set) var templates: [PolicyID: Policy] = [:]
    /// `policies` with request-independent subexpressions pre-evaluated; what the
    /// authorizer runs. Same order and ids as `policies`. Boxed so that walking the list
    /// per request retains one reference per policy instead of copying each policy.
    private(set) var evaluable: [EvaluablePolicy] = []
    private var ids: Set<PolicyID> = []

    public init() {}

    /// Builds a set from parsed policies; templates go to `templates`.
    /// - Throws: `PolicySetError.duplicateID` when two policies share an id.
    public init(_ policies: [Policy]) throws(PolicySetError) {
        for p in policies { try add(p) }
    }

    /// Parses Cedar policy text. Ids are `policy0`, `policy1`, … in file order (as Cedar
    /// and its conformance corpus number them); with `useIDAnnotations`, a policy's
    /// `@id("…")` annotation is its id instead, which keeps ids stable when files are edited.
    /// - Throws: `ParseErrors` with every syntax error found, or a duplicate-id error.
    public static func parse(text: String, fileName: String? = nil, useIDAnnotations: Bool = false) throws(PolicySetLoadError) -> PolicySet {
        switch Parser.parsePolicies(text, fileName: fileName) {
        case .failure(let errors):
            throw .syntax(errors)
        case .success(var parsed):
            if useIDAnnotations {
                for i in parsed.indices {
                    if let id = parsed[i].annotation("id") { parsed[i].id = PolicyID(id) }
                }
            }
            do {
                return try PolicySet(parsed)
            } catch {
                throw .policySet(error)
            }
        }
    }

    /// Adds a static policy or a template.
    public mutating func add(_ policy: Policy) throws(PolicySetError) {
        guard ids.insert(policy.id).inserted else {
            throw PolicySetError(.duplicateID, "duplicate policy id `\(policy.id)`")
        }
        if policy.isTemplate {
            templates[policy.id] = policy
        } else {
            policies.append(policy)
            evaluable.append(EvaluablePolicy(ConstantFolder.fold(policy)))
        }
    }

    /// Links template `templateID` into a new static policy `newID`, filling each slot the
    /// template uses from `values` (exactly those slots must be given).
    public mutating func link(templateID: PolicyID, newID: PolicyID, values: [SlotID: EntityUID]) throws(PolicySetError) {
        guard let template = templates[templateID] else {
            throw PolicySetError(ids.contains(templateID) ? .notATemplate : .unknownTemplate, "no template with id `\(templateID)`")
        }
        guard Set(values.keys) == template.slots else {
            let needed = template.slots.map(\.rawValue).sorted().joined(separator: ", ")
            throw PolicySetError(.slotMismatch, "template `\(templateID)` needs values for exactly: \(needed)")
        }
        func fill(_ c: ScopeConstraint) -> ScopeConstraint {
            func ref(_ r: EntityReference) -> EntityReference {
                if case .slot(let s) = r, let uid = values[s] { return .uid(uid) }
                return r
            }
            switch c {
            case .any, .isType: return c
            case .eq(let r): return .eq(ref(r))
            case .in(let r): return .in(ref(r))
            case .isTypeIn(let t, let r): return .isTypeIn(t, ref(r))
            }
        }
        var linked = template
        linked.id = newID
        linked.principal = fill(template.principal)
        linked.resource = fill(template.resource)
        try add(linked)
    }
}

/// Failure to load policy text: syntax errors, or a well-formed file with conflicting ids.
public enum PolicySetLoadError: Error, Sendable, CustomStringConvertible {
    case syntax(ParseErrors)
    case policySet(PolicySetError)

    public var description: String {
        switch self {
        case .syntax(let e): e.description
        case .policySet(let e): e.description
        }
    }
}
