/// The event-type URIs this receiver understands (CAEP 1.0 §3, RISC 1.0 §2,
/// SSF 1.0 §8.1.4-8.1.5), plus the legacy spellings older transmitters still send.
public enum SecurityEventType {
    public static let caepBase = "https://schemas.openid.net/secevent/caep/event-type/"
    public static let riscBase = "https://schemas.openid.net/secevent/risc/event-type/"
    public static let ssfBase = "https://schemas.openid.net/secevent/ssf/event-type/"

    public static let sessionRevoked = caepBase + "session-revoked"
    public static let tokenClaimsChange = caepBase + "token-claims-change"
    public static let credentialChange = caepBase + "credential-change"
    public static let assuranceLevelChange = caepBase + "assurance-level-change"
    public static let deviceComplianceChange = caepBase + "device-compliance-change"
    public static let sessionEstablished = caepBase + "session-established"
    public static let sessionPresented = caepBase + "session-presented"
    public static let riskLevelChange = caepBase + "risk-level-change"

    public static let accountCredentialChangeRequired = riscBase + "account-credential-change-required"
    public static let accountPurged = riscBase + "account-purged"
    public static let accountDisabled = riscBase + "account-disabled"
    public static let accountEnabled = riscBase + "account-enabled"
    public static let credentialCompromise = riscBase + "credential-compromise"
    /// Deprecated by RISC §2.11 in favour of CAEP `session-revoked`; still accepted.
    public static let sessionsRevoked = riscBase + "sessions-revoked"
    /// RISC types with no gateway effect (identity lifecycle, opt-in/out, recovery).
    public static let riscInformational: Set<String> = Set([
        "identifier-changed", "identifier-recycled", "opt-in", "opt-out-initiated", "opt-out-cancelled",
        "opt-out-effective", "recovery-activated", "recovery-information-changed",
    ].map { riscBase + $0 })

    public static let verification = ssfBase + "verification"
    public static let streamUpdated = ssfBase + "stream-updated"
    /// Pre-1.0 spellings (SSF history; see SIGNALS.md §5.5-5.6).
    static let legacyVerification: Set<String> = [
        "https://schemas.openid.net/secevent/sse/event-type/verification",
        riscBase + "verification",
        "http://schemas.openid.net/secevent/risc/event-type/verification",
    ]
    static let legacyStreamUpdated: Set<String> = ["https://schemas.openid.net/secevent/sse/event-type/stream-updated"]
}
