/// The outcome of one validation step: it passed, or it failed with the reason.
public enum TokenCheckResult: Sendable, Equatable {
    case passed
    case failed(TokenError)
}
