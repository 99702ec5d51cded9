/// Short names for the event types of CAEP 1.0 §3, RISC 1.0 §2 and SSF 1.0 §8.1.4-5,
/// so a person at a shell can write `session-revoked` instead of the schema URI. Names
/// are the URI's last segment, which is unique across the three specs except for the
/// deprecated RISC `verification`, left out in favour of SSF's.
public enum SETEventCatalog {
    public static let caepBase = "https://schemas.openid.net/secevent/caep/event-type/"
    public static let riscBase = "https://schemas.openid.net/secevent/risc/event-type/"
    public static let ssfBase = "https://schemas.openid.net/secevent/ssf/event-type/"

    static let caepNames = [
        "session-revoked", "token-claims-change", "credential-change", "assurance-level-change",
        "device-compliance-change", "session-established", "session-presented", "risk-level-change",
    ]
    static let riscNames = [
        "account-credential-change-required", "account-purged", "account-disabled", "account-enabled",
        "identifier-changed", "identifier-recycled", "credential-compromise", "opt-in", "opt-out-initiated",
        "opt-out-cancelled", "opt-out-effective", "recovery-activated", "recovery-information-changed",
        "sessions-revoked",
    ]
    static let ssfNames = ["verification", "stream-updated"]

    /// Every short name, CAEP first, in spec order (for help text and error messages).
    public static let shortNames = caepNames + riscNames + ssfNames

    /// The event-type URI for a short name, or `nameOrURI` itself when it already is a
    /// URI (it contains `:`), so unknown and legacy types can still be sent; nil for an
    /// unknown short name.
    public static func uri(for nameOrURI: String) -> String? {
        if nameOrURI.contains(":") { return nameOrURI }
        if caepNames.contains(nameOrURI) { return caepBase + nameOrURI }
        if riscNames.contains(nameOrURI) { return riscBase + nameOrURI }
        if ssfNames.contains(nameOrURI) { return ssfBase + nameOrURI }
        return nil
    }

    /// The short name of a known URI (the inverse of `uri(for:)`), else nil.
    public static func shortName(for uri: String) -> String? {
        shortNames.first { self.uri(for: $0) == uri }
    }
}
