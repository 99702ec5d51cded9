/// A policy id: the `@id` annotation when the loader is asked to use it, otherwise
/// `policy0`, `policy1`, … in file order (as Cedar and its conformance corpus number them).
public struct PolicyID: Hashable, Sendable, Comparable, CustomStringConvertible,
    ExpressibleByStringLiteral
{
    public let rawValue: String

    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    public var description: String { rawValue }
    public static func < (lhs: PolicyID, rhs: PolicyID) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// What a satisfied policy contributes: `forbid` always wins over `permit`.
public enum Effect: String, Hashable, Sendable {
    case permit, forbid
}

/// The target of a `==` or `in` scope constraint: a concrete entity or a template slot.
public enum EntityReference: Hashable, Sendable {
    case uid(EntityUID)
    case slot(SlotID)
}

/// The constraint on `principal` or `resource` in a policy's scope.
public enum ScopeConstraint: Hashable, Sendable {
    /// No constraint (`principal`).
    case any
    /// `principal == X`.
    case eq(EntityReference)
    /// `principal in X`.
    case `in`(EntityReference)
    /// `principal is T`.
    case isType(EntityType)
    /// `principal is T in X`.
    case isTypeIn(EntityType, EntityReference)
}

/// The constraint on `action` in a policy's scope. Action scopes never contain slots or `is`.
public enum ActionConstraint: Hashable, Sendable {
    case any
    case eq(EntityUID)
    /// `action in A` (single) — kept apart from the list form so it prints as written.
    case `in`(EntityUID)
    /// `action in [A, B]`.
    case inSet([EntityUID])
}

/// One `when { … }` or `unless { … }` clause.
public struct Condition: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable {
        case when, unless
    }

    public var kind: Kind
    public var body: Expr

    public init(kind: Kind, body: Expr) {
        self.kind = kind
        self.body = body
    }
}

/// One `@key("value")` annotation; `@key` alone has an empty value as in Cedar 4.
public struct Annotation: Hashable, Sendable {
    public var key: String
    public var value: String
    public var span: SourceSpan

    public init(key: String, value: String, span: SourceSpan = .none) {
        self.key = key
        self.value = value
        self.span = span
    }
}

/// A parsed policy or template (a policy whose scope mentions `?principal`/`?resource`).
///
/// Templates are not evaluated directly; `PolicySet.link` makes a `Policy` whose slots
/// are replaced by entities.
public struct Policy: Hashable, Sendable {
    public var id: PolicyID
    public var effect: Effect
    public var principal: ScopeConstraint
    public var action: ActionConstraint
    public var resource: ScopeConstraint
    public var conditions: [Condition]
    /// In source order; keys are unique.
    public var annotations: [Annotation]
    public var span: SourceSpan

    public init(
        id: PolicyID, effect: Effect, principal: ScopeConstraint = .any, action: ActionConstraint = .any,
        resource: ScopeConstraint = .any, conditions: [Condition] = [], annotations: [Annotation] = [],
        span: SourceSpan = .none
    ) {
        self.id = id
        self.effect = effect
        self.principal = principal
        self.action = action
        self.resource = resource
        self.conditions = conditions
        self.annotations = annotations
        self.span = span
    }

    /// The value of annotation `key`, if present.
    public func annotation(_ key: String) -> String? {
        annotations.first { $0.key == key }?.value
    }

    /// The slots this policy's scope uses; empty for a static policy.
    public var slots: Set<SlotID> {
        var result: Set<SlotID> = []
        for constraint in [principal, resource] {
            switch constraint {
            case .eq(.slot(let s)), .in(.slot(let s)), .isTypeIn(_, .slot(let s)): result.insert(s)
            default: break
            }
        }
        return result
    }

    public var isTemplate: Bool { !slots.isEmpty }
}
