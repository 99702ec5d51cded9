/// The continuously updated facts from CAEP/RISC signals (PROTOCOL.md §5) that
/// policy sees and the context hash covers.
public struct SignalState: Sendable, Hashable {
    /// CAEP `assurance-level-change` `current_level` (e.g. `nist-aal2`); nil before any signal.
    public var assuranceLevel: String?
    public var deviceCompliance: DeviceCompliance
    public var riskLevel: RiskLevel

    public init(assuranceLevel: String? = nil, deviceCompliance: DeviceCompliance = .unknown, riskLevel: RiskLevel = .unknown) {
        self.assuranceLevel = assuranceLevel
        self.deviceCompliance = deviceCompliance
        self.riskLevel = riskLevel
    }
}

/// CAEP `device-compliance-change` `current_status`, plus `unknown` before any signal.
public enum DeviceCompliance: String, Sendable, Hashable, CaseIterable {
    case unknown
    case compliant
    case notCompliant = "not-compliant"
}

/// CAEP `risk-level-change` `current_level` (lowercased), plus `unknown` before any signal.
public enum RiskLevel: String, Sendable, Hashable, CaseIterable {
    case unknown
    case low
    case medium
    case high
}
