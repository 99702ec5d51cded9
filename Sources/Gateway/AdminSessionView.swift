import RTATokens

/// A session as the admin API shows it: everything PROTOCOL.md §3 records except the
/// PoP key bytes (shown as present or not), with times in UNIX ms.
struct AdminSessionView: Encodable, Sendable {
    struct SubjectView: Encodable, Sendable {
        var issuer: String
        var sub: String
        var email: String?
        var sid: String?
    }

    struct SignalView: Encodable, Sendable {
        var assuranceLevel: String?
        var deviceCompliance: String
        var riskLevel: String

        enum CodingKeys: String, CodingKey {
            case assuranceLevel = "assurance_level", deviceCompliance = "device_compliance", riskLevel = "risk_level"
        }
    }

    struct RevocationView: Encodable, Sendable {
        var reason: String
        var event: String?
        var jti: String?
        var cascadedFrom: String?
        var at: UInt64

        enum CodingKeys: String, CodingKey {
            case reason, event, jti, at
            case cascadedFrom = "cascaded_from"
        }
    }

    var id: String
    var state: String
    var revocation: RevocationView?
    var subject: SubjectView
    var agentID: String
    /// The OAuth client the IdP token named, and whether it proves `agent_id`.
    var clientID: String?
    var agentVerified: Bool
    var chain: [String]
    var parent: String?
    var children: [String]?
    var scopes: [String]
    var signals: SignalView
    var claims: [String: ClaimJSON]?
    var policyEpoch: UInt64
    var contextHash: String
    var hasPoPKey: Bool
    var boundConnection: UInt64
    var createdAt: UInt64
    var refreshedAt: UInt64
    var lastActiveAt: UInt64

    enum CodingKeys: String, CodingKey {
        case id, state, revocation, subject, chain, parent, children, scopes, signals, claims
        case agentID = "agent_id", clientID = "client_id", agentVerified = "agent_verified", policyEpoch = "policy_epoch", contextHash = "context_hash", hasPoPKey = "has_pop_key"
        case boundConnection = "bound_connection", createdAt = "created_at", refreshedAt = "refreshed_at"
        case lastActiveAt = "last_active_at"
    }

    /// The summary (`children` and `claims` nil) or, with `children`, the detail view.
    init(_ session: Session, children: [SessionID]? = nil) {
        id = session.id.hex
        switch session.state {
        case .active:
            state = "active"
        case .revoked(let reason):
            state = "revoked"
            revocation = RevocationView(reason: reason.reason, event: reason.event, jti: reason.jti,
                                        cascadedFrom: reason.cascadedFrom?.hex, at: reason.at)
        }
        subject = SubjectView(issuer: session.subject.issuer, sub: session.subject.sub, email: session.subject.email,
                              sid: session.subject.sid)
        agentID = session.agentID
        clientID = session.clientID
        agentVerified = session.agentVerified
        chain = session.chain
        parent = session.parent?.hex
        self.children = children?.map(\.hex)
        scopes = session.scopes
        signals = SignalView(assuranceLevel: session.signals.assuranceLevel,
                             deviceCompliance: session.signals.deviceCompliance.rawValue,
                             riskLevel: session.signals.riskLevel.rawValue)
        claims = children == nil ? nil : session.claims.mapValues(ClaimJSON.init)
        policyEpoch = session.policyEpoch
        contextHash = session.contextHash.hex
        hasPoPKey = session.popKey != nil
        boundConnection = session.boundConnection
        createdAt = session.createdAt
        refreshedAt = session.refreshedAt
        lastActiveAt = session.lastActiveAt
    }
}

/// A `ClaimValue` as plain JSON.
struct ClaimJSON: Encodable, Sendable {
    let value: ClaimValue

    init(_ value: ClaimValue) {
        self.value = value
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch value {
        case .null: try container.encodeNil()
        case .bool(let flag): try container.encode(flag)
        case .integer(let number): try container.encode(number)
        case .string(let text): try container.encode(text)
        case .list(let items): try container.encode(items.map(ClaimJSON.init))
        case .object(let members): try container.encode(members.mapValues(ClaimJSON.init))
        }
    }
}
