/// A JSON value from an IdP token or agent metadata, restricted to what has exactly
/// one canonical encoding: integers rather than floating point (a decimal claim is
/// carried as its string), so the context hash cannot depend on number formatting.
public indirect enum ClaimValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case integer(Int64)
    case string(String)
    case list([ClaimValue])
    case object([String: ClaimValue])
}
