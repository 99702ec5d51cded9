/// Attribute, tag and entity-type tests: the rules that make optional attributes and
/// tags safe to read only after a `has` / `hasTag` guard.
extension Typechecker {
    /// Attributes of a record, or the attributes shared by the entity types of a union.
    func attribute(_ name: String, of type: ValidatorType) -> ValidatorAttribute? {
        switch type {
        case .record(let attributes, _):
            return attributes[name]
        case .entity(.union(let names)):
            let shapes = names.sorted().map { ValidatorAttribute.from(schema.entityTypes[$0]?.attributes ?? [:]) }
            guard var merged = shapes.first else { return nil }
            for shape in shapes.dropFirst() { merged = ValidatorAttribute.permissiveMerge(merged, shape) }
            return merged[name]
        default:
            return nil
        }
    }

    /// Whether some value of `type` could have attribute `name` (so `has` is not statically false).
    private func mayHaveAttribute(_ name: String, _ type: ValidatorType) -> Bool {
        switch type {
        case .never, .entity(.any): return true
        case .entity(.union(let names)):
            return names.contains { entity in
                guard let declared = schema.entityTypes[entity] else { return !schema.isActionType(entity) }
                return declared.attributes[name] != nil
            }
        case .record(let attributes, let isOpen): return isOpen || attributes[name] != nil
        default: return false
        }
    }

    func typecheckGetAttr(_ expr: Expr, _ subject: Expr, _ name: String, _ prior: Set<Capability>) -> TypeAnswer {
        expect(subject, [.anyEntity, .anyRecord], prior).then { subjectType, _ in
            guard let subjectType else { return .failure(nil) }
            guard let attribute = attribute(name, of: subjectType) else {
                report(.unsafeAttributeAccess, "attribute `\(name)` not found on \(subjectType.displayName)", at: expr.span)
                return .failure(nil)
            }
            if attribute.isRequired || prior.contains(.attribute(subject, name)) {
                return .success(attribute.type)
            }
            report(.unsafeOptionalAttributeAccess,
                   "unable to guarantee safety of access to optional attribute `\(name)`; guard it with `has \(name)`", at: expr.span)
            return .failure(attribute.type)
        }
    }

    func typecheckHasAttr(_ subject: Expr, _ name: String, _ prior: Set<Capability>) -> TypeAnswer {
        expect(subject, [.anyEntity, .anyRecord], prior).then { subjectType, _ in
            guard let subjectType else { return .failure(.anyBool) }
            let capability = Capability.attribute(subject, name)
            guard let attribute = attribute(name, of: subjectType) else {
                return .success(mayHaveAttribute(name, subjectType) ? .anyBool : .singleton(false))
            }
            let isRecord = if case .record = subjectType { true } else { false }
            let known = prior.contains(capability) || (attribute.isRequired && isRecord)
            return .success(known ? .singleton(true) : .anyBool, [capability])
        }
    }

    func typecheckIs(_ subject: Expr, _ type: String, _ prior: Set<Capability>) -> TypeAnswer {
        expect(subject, [.anyEntity], prior).then { subjectType, _ in
            switch subjectType {
            case .entity(.union(let names))?:
                if !names.contains(type) { return .success(.singleton(false)) }
                return .success(names.count == 1 ? .singleton(true) : .anyBool)
            case .entity(.any)?:
                return .success(.anyBool)
            default:
                return .failure(.anyBool)
            }
        }
    }

    /// Tag types of the entity types an expression may denote.
    private func tagTypes(_ kind: ValidatorType.EntityKind) -> [ValidatorType] {
        let types: [SchemaEntityType]
        switch kind {
        case .any: types = Array(schema.entityTypes.values)
        case .union(let names): types = names.compactMap { schema.entityTypes[$0] }
        }
        return Array(Set(types.compactMap { $0.tagType.map(ValidatorType.init) }))
    }

    func typecheckHasTag(_ subject: Expr, _ key: Expr, _ prior: Set<Capability>) -> TypeAnswer {
        expect(subject, [.anyEntity], prior).then { subjectType, _ in
            expect(key, [.string], prior).then { _, _ in
                guard case .entity(let kind)? = subjectType else { return .failure(nil) }
                let capability = Capability.tag(subject, key)
                let type: ValidatorType = tagTypes(kind).isEmpty ? .singleton(false)
                    : prior.contains(capability) ? .singleton(true) : .anyBool
                return .success(type, [capability])
            }
        }
    }

    func typecheckGetTag(_ expr: Expr, _ subject: Expr, _ key: Expr, _ prior: Set<Capability>) -> TypeAnswer {
        expect(subject, [.anyEntity], prior).then { subjectType, _ in
            expect(key, [.string], prior).then { _, _ in
                guard case .entity(let kind)? = subjectType else { return .failure(nil) }
                guard prior.contains(.tag(subject, key)) else {
                    report(.unsafeTagAccess, "unable to guarantee safety of tag access; guard it with `hasTag`", at: expr.span)
                    return .failure(nil)
                }
                let types = tagTypes(kind)
                if types.isEmpty {
                    report(.noTagsAllowed, "\(subjectType?.displayName ?? "entity") does not allow tags", at: expr.span)
                    return .failure(nil)
                }
                return .success(leastUpperBound(types, at: expr.span, context: "the tag types"))
            }
        }
    }
}
