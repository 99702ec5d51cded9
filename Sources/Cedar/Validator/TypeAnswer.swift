/// The outcome of type-checking one expression: its type (nil when it could not be
/// determined), whether checking succeeded, and the capabilities (`has` facts) that
/// hold when the expression evaluates to `true`.
///
/// A failed sub-expression does not stop checking: its parent continues with whatever
/// type was recovered so that independent errors elsewhere are still reported, but the
/// parent is marked failed too and carries no capabilities.
struct TypeAnswer {
    var type: ValidatorType?
    var succeeded: Bool
    var capabilities: Set<Capability>

    static func success(_ type: ValidatorType?, _ capabilities: Set<Capability> = []) -> TypeAnswer {
        TypeAnswer(type: type, succeeded: true, capabilities: capabilities)
    }

    static func failure(_ type: ValidatorType?) -> TypeAnswer {
        TypeAnswer(type: type, succeeded: false, capabilities: [])
    }

    /// Continues with this answer's type; the result fails if this answer failed.
    func then(_ next: (ValidatorType?, Set<Capability>) -> TypeAnswer) -> TypeAnswer {
        if succeeded { return next(type, capabilities) }
        return .failure(next(type, []).type)
    }

    /// Like `then` over several answers at once (set and record literals, call arguments).
    static func all(_ answers: [TypeAnswer], _ next: ([ValidatorType?]) -> TypeAnswer) -> TypeAnswer {
        let result = next(answers.map(\.type))
        return answers.allSatisfy(\.succeeded) ? result : .failure(result.type)
    }
}
