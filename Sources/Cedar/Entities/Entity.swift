/// One entity in the store: its attributes, tags, direct parents and (computed by
/// `Entities`) every ancestor, so `in` is a single set lookup at evaluation time.
public struct Entity: Sendable, Hashable {
    public let uid: EntityUID
    public var attributes: [String: Value]
    public var tags: [String: Value]
    /// Direct parents, as given.
    public var parents: Set<EntityUID>
    /// Transitive closure of `parents`; filled in when the entity joins an `Entities`.
    public internal(set) var ancestors: Set<EntityUID>

    public init(uid: EntityUID, attributes: [String: Value] = [:], parents: Set<EntityUID> = [], tags: [String: Value] = [:]) {
        self.uid = uid
        self.attributes = attributes
        self.tags = tags
        self.parents = parents
        self.ancestors = parents
    }
}
