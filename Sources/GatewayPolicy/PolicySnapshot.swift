import Cedar

/// One successfully loaded policy set with everything a decision needs. Immutable: the
/// hot path takes a snapshot and evaluates against it while reloads build the next one.
public struct PolicySnapshot: Sendable {
    /// Bumped by every successful (re)load; part of the session `context_hash`
    /// (PROTOCOL §3), so a reload makes older tokens `stale_context`.
    public let epoch: UInt64
    public let policies: PolicySet
    /// Static entities from the configured entities file (empty when none).
    public let entities: Entities
    public let schema: Schema?
    /// The file each policy came from, for logs and audit records.
    public let files: [PolicyID: String]
    /// Some policy may read `context.time`: then no decision may be reused for a later
    /// request (`PolicyTimeDependence`).
    public let readsTime: Bool

    public init(epoch: UInt64, policies: PolicySet, entities: Entities, schema: Schema?, files: [PolicyID: String]) {
        self.epoch = epoch
        self.policies = policies
        self.entities = entities
        self.schema = schema
        self.files = files
        self.readsTime = PolicyTimeDependence.readsTime(policies)
    }
}
