/// A dev IdP that could not start (bad key file, port in use).
public struct DevIdentityProviderError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
