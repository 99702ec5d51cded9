/// A Cedar expression: one node of a policy condition, with the source span it was
/// parsed from.
///
/// The node kinds mirror Cedar's abstract syntax (`cedar-policy-core/src/ast/expr.rs`)
/// rather than its concrete grammar: `!=`, `>` and `>=` stay distinct operators so
/// diagnostics can quote what the author wrote, and method calls on extension values
/// are plain `extensionCall`s whose first argument is the receiver.
public struct Expr: Hashable, Sendable {
    public var kind: ExprKind
    public var span: SourceSpan

    public init(_ kind: ExprKind, span: SourceSpan = .none) {
        self.kind = kind
        self.span = span
    }
}

/// The shape of an expression node; children are full `Expr`s carrying their own spans.
public indirect enum ExprKind: Hashable, Sendable {
    /// A literal `true`/`false`, integer, string or entity UID.
    case literal(Value)
    case variable(Variable)
    /// A template slot (`?principal`, `?resource`); only legal inside templates.
    case slot(SlotID)
    case ifThenElse(Expr, Expr, Expr)
    case and(Expr, Expr)
    case or(Expr, Expr)
    case unary(UnaryOp, Expr)
    case binary(BinaryOp, Expr, Expr)
    /// `e.attr` / `e["attr"]`.
    case getAttr(Expr, String)
    /// `e has attr`; `e has a.b` is parsed into nested `has`/`&&` as Cedar does.
    case hasAttr(Expr, String)
    case like(Expr, Pattern)
    /// `e is Type` (with `in`, it becomes `e is Type && e in x`).
    case isType(Expr, EntityType)
    case set([Expr])
    /// Record literal; keys are unique (the parser rejects duplicates), order is source order.
    case record([RecordField])
    /// A call of an extension function or method (`ip("…")`, `x.isInRange(y)`).
    case extensionCall(String, [Expr])
}

/// One `key: value` pair of a record literal.
public struct RecordField: Hashable, Sendable {
    public var key: String
    public var value: Expr

    public init(key: String, value: Expr) {
        self.key = key
        self.value = value
    }
}

/// The four request variables.
public enum Variable: String, Hashable, Sendable, CaseIterable {
    case principal, action, resource, context
}

/// Template slots: placeholders filled when a template is linked.
public enum SlotID: String, Hashable, Sendable {
    case principal = "?principal"
    case resource = "?resource"
}

/// Operators with one operand; `isEmpty` is the method form `e.isEmpty()`.
public enum UnaryOp: String, Hashable, Sendable {
    case not = "!"
    case neg = "-"
    /// `e.isEmpty()`.
    case isEmpty
}

/// Operators with two operands; the named cases are the method forms `a.contains(b)`,
/// `a.getTag(b)`, … whose receiver is the left operand.
public enum BinaryOp: String, Hashable, Sendable {
    case eq = "=="
    case notEq = "!="
    case less = "<"
    case lessEq = "<="
    case greater = ">"
    case greaterEq = ">="
    case add = "+"
    case sub = "-"
    case mul = "*"
    case `in` = "in"
    case contains
    case containsAll
    case containsAny
    case getTag
    case hasTag
}

/// A `like` pattern: literal characters and `*` wildcards (an escaped `\*` is literal).
public struct Pattern: Hashable, Sendable {
    public enum Element: Hashable, Sendable {
        case char(Unicode.Scalar)
        case wildcard
    }

    public var elements: [Element]

    public init(_ elements: [Element]) {
        self.elements = elements
    }
}
