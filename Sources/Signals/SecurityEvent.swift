import TokenExchange
import RTATokens

/// The one event a SET carries (SSF §4.2.1; CAEP Interop §2.8.1), parsed by type.
/// A payload that breaks its event definition (a required member missing or of the
/// wrong type) is `invalid_request`; an unknown type is kept as `.unknown` and has
/// no effect (RFC 8935 §3: SETs are not commands).
public struct SecurityEvent: Sendable, Equatable {
    /// What happened, with the members that decide the gateway's effect.
    public enum Kind: Sendable, Equatable {
        case sessionRevoked
        case credentialChange(credentialType: String, changeType: String)
        case assuranceLevelChange(namespace: String, current: String, previous: String?, direction: String?)
        case deviceComplianceChange(previous: DeviceCompliance, current: DeviceCompliance)
        case tokenClaimsChange(claims: [String: ClaimValue])
        case riskLevelChange(principal: String, current: RiskLevel, previous: RiskLevel?)
        case sessionEstablished
        case sessionPresented
        case accountCredentialChangeRequired
        case accountPurged
        case accountDisabled(reason: String?)
        case accountEnabled
        case credentialCompromise(credentialType: String)
        case sessionsRevoked
        case verification(state: String?)
        case streamUpdated(status: String, reason: String?)
        /// A known RISC type with no gateway effect (e.g. `opt-in`, `identifier-changed`).
        case informational
        case unknown
    }

    /// The event-type URI as received.
    public let type: String
    public let kind: Kind
    /// CAEP §2 `event_timestamp`, UNIX ms.
    public let timestamp: UInt64?
    /// CAEP §2 `initiating_entity`: admin, user, policy or system.
    public let initiatingEntity: String?
    /// CAEP §2 `reason_admin`, by language tag: for the audit log.
    public let reasonAdmin: [String: String]
    /// A pre-SSF in-event `subject`, used only when the SET has no `sub_id`.
    let legacySubject: JSONValue?

    init(type: String, payload: JSONValue) throws(SETError) {
        guard let members = payload.object else {
            throw SETError(.invalidRequest, "payload of \(type) must be a JSON object")
        }
        self.type = type
        if let stamp = members["event_timestamp"] {
            guard let milliseconds = stamp.numericDateMilliseconds else {
                throw SETError(.invalidRequest, "event_timestamp of \(type) must be a NumericDate")
            }
            timestamp = milliseconds
        } else {
            timestamp = nil
        }
        initiatingEntity = members["initiating_entity"]?.string
        reasonAdmin = members["reason_admin"]?.object?.compactMapValues(\.string) ?? [:]
        legacySubject = members["subject"]
        kind = try Self.kind(type: type, members: members)
    }

    private static func kind(type: String, members: [String: JSONValue]) throws(SETError) -> Kind {
        func required(_ name: String) throws(SETError) -> String {
            guard let value = members[name]?.string, !value.isEmpty else {
                throw SETError(.invalidRequest, "\(type) requires a string member \(name)")
            }
            return value
        }
        func compliance(_ name: String) throws(SETError) -> DeviceCompliance {
            let value = try required(name)
            guard let status = DeviceCompliance(rawValue: value), status != .unknown else {
                throw SETError(.invalidRequest, "\(name) of \(type) must be compliant or not-compliant, got \(value)")
            }
            return status
        }
        func risk(_ value: String, _ name: String) throws(SETError) -> RiskLevel {
            guard let level = RiskLevel(rawValue: value.lowercased()), level != .unknown else {
                throw SETError(.invalidRequest, "\(name) of \(type) must be LOW, MEDIUM or HIGH, got \(value)")
            }
            return level
        }
        typealias T = SecurityEventType
        switch type {
        case T.sessionRevoked: return .sessionRevoked
        case T.credentialChange:
            return .credentialChange(credentialType: try required("credential_type"), changeType: try required("change_type"))
        case T.assuranceLevelChange:
            return .assuranceLevelChange(namespace: try required("namespace"), current: try required("current_level"),
                                         previous: members["previous_level"]?.string,
                                         direction: members["change_direction"]?.string)
        case T.deviceComplianceChange:
            return .deviceComplianceChange(previous: try compliance("previous_status"), current: try compliance("current_status"))
        case T.tokenClaimsChange:
            guard let claims = members["claims"]?.object else {
                throw SETError(.invalidRequest, "\(type) requires an object member claims")
            }
            return .tokenClaimsChange(claims: claims.mapValues(\.claimValue))
        case T.riskLevelChange:
            var previous: RiskLevel?
            if let value = members["previous_level"]?.string { previous = try risk(value, "previous_level") }
            return .riskLevelChange(principal: try required("principal"), current: try risk(try required("current_level"), "current_level"),
                                    previous: previous)
        case T.sessionEstablished: return .sessionEstablished
        case T.sessionPresented: return .sessionPresented
        case T.accountCredentialChangeRequired: return .accountCredentialChangeRequired
        case T.accountPurged: return .accountPurged
        case T.accountDisabled: return .accountDisabled(reason: members["reason"]?.string)
        case T.accountEnabled: return .accountEnabled
        case T.credentialCompromise: return .credentialCompromise(credentialType: try required("credential_type"))
        case T.sessionsRevoked: return .sessionsRevoked
        case T.verification: return .verification(state: members["state"]?.string)
        case T.streamUpdated: return .streamUpdated(status: try required("status"), reason: members["reason"]?.string)
        default:
            if T.legacyVerification.contains(type) { return .verification(state: members["state"]?.string) }
            if T.legacyStreamUpdated.contains(type) {
                return .streamUpdated(status: try required("status"), reason: members["reason"]?.string)
            }
            return T.riscInformational.contains(type) ? .informational : .unknown
        }
    }
}
