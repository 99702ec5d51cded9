extension Entities {
    /// More extra entities than this take the full rebuild: the overlay is searched in
    /// order, which only pays for a handful.
    static let overlayLimit = 8

    /// This store plus `extra`, each replacing the stored entity with its UID, answering
    /// every lookup and `in` check exactly as `Entities(stored entities + extra)` would.
    ///
    /// Built for the gateway's per-request entities (an agent and its user) over a
    /// static store that is loaded once: instead of copying the store and recomputing
    /// every entity's ancestors on each request, only the extra entities' ancestors are
    /// computed, and a stored entity picks up what it gains through them when it is
    /// looked up. That holds when the extra entities only add parents; an entity that
    /// drops a parent of the one it replaces, more than `overlayLimit` entities, or a
    /// store that is itself an overlay take the full rebuild.
    /// - Throws: `EntitiesError.duplicateEntity` when a UID appears twice in `extra`.
    public func overlaid(with extra: [Entity]) throws(EntitiesError) -> Entities {
        var addsOnlyParents = overlay.isEmpty && extra.count <= Self.overlayLimit
        for (index, entity) in extra.enumerated() {
            guard !extra[..<index].contains(where: { $0.uid == entity.uid }) else {
                throw EntitiesError(.duplicateEntity, "duplicate entity `\(entity.uid)`", path: "")
            }
            if addsOnlyParents, let stored = storage[entity.uid], !entity.parents.isSuperset(of: stored.parents) {
                addsOnlyParents = false
            }
        }
        guard addsOnlyParents else {
            let replaced = Set(extra.map(\.uid))
            let current = storage.values.filter { overlaid($0.uid) == nil } + overlay
            return try Entities(current.filter { !replaced.contains($0.uid) } + extra)
        }
        var result = self
        result.overlay = extra
        // An entity is created with its parents as ancestors (one shared set, so the
        // comparison is an identity check). Most keep exactly those (an agent whose user
        // has no parents), and their array element is left alone.
        for (index, entity) in extra.enumerated()
        where entity.ancestors != entity.parents || !result.isClosed(entity.parents) {
            result.overlay[index].ancestors = result.closure(of: entity.parents)
        }
        return result
    }

    /// Whether `parents` is already its own closure: none of them has a parent.
    private func isClosed(_ parents: Set<EntityUID>) -> Bool {
        parents.allSatisfy { uid in overlaid(uid).map { $0.parents.isEmpty } ?? (storage[uid]?.ancestors.isEmpty ?? true) }
    }

    /// The overlay entity with this UID.
    func overlaid(_ uid: EntityUID) -> Entity? {
        for entity in overlay where entity.uid == uid { return entity }
        return nil
    }

    /// Every entity reachable from `start` over parent edges, where overlay entities
    /// use their own parents and a stored entity contributes its closed ancestor set
    /// (walking on only into overlay entities, whose new parents it does not know).
    private func closure(of start: Set<EntityUID>) -> Set<EntityUID> {
        var result: Set<EntityUID> = []
        var queue = Array(start)
        while let next = queue.popLast() {
            guard result.insert(next).inserted else { continue }
            if let entity = overlaid(next) {
                queue.append(contentsOf: entity.parents)
            } else if let stored = storage[next] {
                for ancestor in stored.ancestors {
                    if overlaid(ancestor) != nil {
                        queue.append(ancestor)
                    } else {
                        result.insert(ancestor)
                    }
                }
            }
        }
        return result
    }
}
