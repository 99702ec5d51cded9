/// A policy prepared for evaluation (constants folded), shared by reference.
final class EvaluablePolicy: Sendable {
    let policy: Policy

    init(_ policy: Policy) {
        self.policy = policy
    }
}
