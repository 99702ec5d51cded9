/// The validator's view of a Cedar type. Richer than `SchemaType`: booleans carry
/// singleton `true`/`false` types (so `false && e` is known to be false and `e` is never
/// checked), entity types can be unions, and `never` types an expression that cannot
/// produce a value.
///
/// Subtyping and least upper bounds follow `cedar-policy-core/src/validator/types.rs`;
/// strict mode is what the validator uses, permissive subtyping is what "expected one
/// of these types" checks use.
indirect enum ValidatorType: Hashable, Sendable {
    enum BoolKind: Hashable, Sendable {
        case any, alwaysTrue, alwaysFalse
    }

    /// Either any entity at all, or one of a known set of entity types.
    enum EntityKind: Hashable, Sendable {
        case any
        case union(Set<String>)
    }

    case never
    case bool(BoolKind)
    case long
    case string
    case entity(EntityKind)
    /// `nil` element: a set whose element type is unknown (only as an expectation).
    case set(ValidatorType?)
    case record([String: ValidatorAttribute], isOpen: Bool)
    case extensionType(String)

    static let anyBool = ValidatorType.bool(.any)
    static let anyEntity = ValidatorType.entity(.any)
    static let anySet = ValidatorType.set(nil)
    static let anyRecord = ValidatorType.record([:], isOpen: true)

    static func singleton(_ value: Bool) -> ValidatorType {
        .bool(value ? .alwaysTrue : .alwaysFalse)
    }

    static func entity(named name: String) -> ValidatorType {
        .entity(.union([name]))
    }

    init(_ type: SchemaType) {
        switch type {
        case .bool: self = .anyBool
        case .long: self = .long
        case .string: self = .string
        case .entity(let name): self = .entity(named: name)
        case .set(let element): self = .set(ValidatorType(element))
        case .record(let attributes): self = .record(ValidatorAttribute.from(attributes), isOpen: false)
        case .extensionType(let name): self = .extensionType(name)
        }
    }

    func isSubtype(of other: ValidatorType, strict: Bool) -> Bool {
        switch (self, other) {
        case (.never, _): return true
        case (.bool(let b0), .bool(let b1)): return b0 == b1 || b1 == .any
        case (.long, .long), (.string, .string): return true
        case (.set(let e0), .set(let e1)):
            switch (e0, e1) {
            case (.some(let t0), .some(let t1)): return t0.isSubtype(of: t1, strict: strict)
            case (_, .none): return true
            case (.none, .some): return false
            }
        case (.record(let a0, let open0), .record(let a1, let open1)):
            guard !open0 || open1 else { return false }
            if open1 && !strict && ValidatorAttribute.isSubtype(a0, of: a1, strict: strict) { return true }
            return Set(a0.keys) == Set(a1.keys) && ValidatorAttribute.isSubtype(a0, of: a1, strict: strict)
        case (.entity(let k0), .entity(let k1)):
            switch (k0, k1) {
            case (.union(let s0), .union(let s1)): return strict ? s0 == s1 : s0.isSubset(of: s1)
            case (.any, .any): return true
            case (.union, .any): return !strict
            case (.any, .union): return false
            }
        case (.extensionType(let n0), .extensionType(let n1)): return n0 == n1
        default: return false
        }
    }

    /// The least upper bound in strict mode, or nil when the types are incompatible
    /// (an `incompatibleTypes` error for sets, conditionals and equality).
    static func leastUpperBound(_ t0: ValidatorType, _ t1: ValidatorType) -> ValidatorType? {
        if t0.isSubtype(of: t1, strict: true) { return t1 }
        if t1.isSubtype(of: t0, strict: true) { return t0 }
        switch (t0, t1) {
        case (.bool, .bool): return .anyBool
        case (.set(nil), .set), (.set, .set(nil)): return .anySet
        case (.set(.some(let e0)), .set(.some(let e1))):
            return leastUpperBound(e0, e1).map { .set($0) }
        case (.record(let a0, let open0), .record(let a1, let open1)):
            guard Set(a0.keys) == Set(a1.keys) else { return nil }
            var attributes: [String: ValidatorAttribute] = [:]
            for (name, attribute0) in a0 {
                guard let attribute1 = a1[name], attribute0.isRequired == attribute1.isRequired,
                      let type = leastUpperBound(attribute0.type, attribute1.type) else { return nil }
                attributes[name] = ValidatorAttribute(type: type, isRequired: attribute0.isRequired)
            }
            return .record(attributes, isOpen: open0 || open1)
        default:
            return nil
        }
    }

    /// Folds `leastUpperBound` over `types`, starting from `never`.
    static func leastUpperBound(of types: [ValidatorType]) -> ValidatorType? {
        var result = ValidatorType.never
        for type in types {
            guard let next = leastUpperBound(result, type) else { return nil }
            result = next
        }
        return result
    }

    /// Two entity types with no entity type in common can never be equal.
    static func areDisjoint(_ t0: ValidatorType, _ t1: ValidatorType) -> Bool {
        if case .entity(.union(let s0)) = t0, case .entity(.union(let s1)) = t1 {
            return s0.isDisjoint(with: s1)
        }
        return false
    }

    /// Cedar's spelling of the type, used in validation messages.
    var displayName: String {
        switch self {
        case .never: return "__cedar::internal::Never"
        case .bool(.any): return "Bool"
        case .bool(.alwaysTrue): return "__cedar::internal::True"
        case .bool(.alwaysFalse): return "__cedar::internal::False"
        case .long: return "Long"
        case .string: return "String"
        case .entity(.any): return "__cedar::internal::AnyEntity"
        case .entity(.union(let names)):
            return names.count == 1 ? names.first ?? "" : "__cedar::internal::Union<\(names.sorted().joined(separator: ", "))>"
        case .set(let element): return "Set<\(element?.displayName ?? "__cedar::internal::Any")>"
        case .record(let attributes, let isOpen):
            let fields = attributes.sorted { $0.key < $1.key }
                .map { "\($0.key)\($0.value.isRequired ? "" : "?"): \($0.value.type.displayName)," }
            return (isOpen ? "__cedar::internal::OpenRecord" : "") + "{" + fields.joined() + "}"
        case .extensionType(let name): return name
        }
    }
}

/// A record or entity attribute as the validator sees it.
struct ValidatorAttribute: Hashable, Sendable {
    let type: ValidatorType
    let isRequired: Bool

    static func from(_ attributes: [String: SchemaAttribute]) -> [String: ValidatorAttribute] {
        attributes.mapValues { ValidatorAttribute(type: ValidatorType($0.type), isRequired: $0.isRequired) }
    }

    /// Width subtyping: every attribute of `other` exists in `attributes` with a subtype.
    static func isSubtype(_ attributes: [String: ValidatorAttribute], of other: [String: ValidatorAttribute], strict: Bool) -> Bool {
        other.allSatisfy { name, expected in
            guard let actual = attributes[name] else { return false }
            let qualifierOK = strict ? actual.isRequired == expected.isRequired : actual.isRequired || !expected.isRequired
            return qualifierOK && actual.type.isSubtype(of: expected.type, strict: strict)
        }
    }

    /// Permissive least upper bound of two attribute maps: attributes present in both
    /// whose types have a bound; used to merge the attributes of an entity union.
    static func permissiveMerge(_ a0: [String: ValidatorAttribute], _ a1: [String: ValidatorAttribute]) -> [String: ValidatorAttribute] {
        var result: [String: ValidatorAttribute] = [:]
        for (name, attribute0) in a0 {
            guard let attribute1 = a1[name] else { continue }
            if attribute0.type.isSubtype(of: attribute1.type, strict: false) {
                result[name] = ValidatorAttribute(type: attribute1.type, isRequired: attribute0.isRequired && attribute1.isRequired)
            } else if attribute1.type.isSubtype(of: attribute0.type, strict: false) {
                result[name] = ValidatorAttribute(type: attribute0.type, isRequired: attribute0.isRequired && attribute1.isRequired)
            }
        }
        return result
    }
}
