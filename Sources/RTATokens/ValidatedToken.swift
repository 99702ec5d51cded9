/// A token that passed every check, with the session it belongs to (as read during
/// validation), for the policy and audit steps that follow.
public struct ValidatedToken: Sendable {
    public let token: RTAToken
    public let session: Session
}
