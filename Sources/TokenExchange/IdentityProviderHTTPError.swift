/// An IdP endpoint (JWKS, introspection) answered something other than 200; it ends
/// up in the `temporarily_unavailable` description.
struct IdentityProviderHTTPError: Error, CustomStringConvertible {
    let status: UInt
    var description: String { "HTTP \(status)" }
}
