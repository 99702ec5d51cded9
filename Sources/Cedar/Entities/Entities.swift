/// The entity store an authorization request is evaluated against: entities by UID with
/// their ancestor sets precomputed, so attribute reads and `in` checks are hash lookups.
public struct Entities: Sendable {
    /// Entities with their ancestors closed over this store alone.
    var storage: [EntityUID: Entity]
    /// Entities laid over `storage` by `overlaid(with:)`, ancestors closed over both:
    /// a handful (a request's agent and user), so an array searched in order.
    var overlay: [Entity] = []

    /// Builds the store and computes every entity's transitive ancestors (cycles allowed).
    /// - Throws: `EntitiesError.duplicateEntity` when a UID appears twice.
    public init(_ entities: [Entity]) throws(EntitiesError) {
        var storage = [EntityUID: Entity](minimumCapacity: entities.count)
        for entity in entities {
            guard storage.updateValue(entity, forKey: entity.uid) == nil else {
                throw EntitiesError(.duplicateEntity, "duplicate entity `\(entity.uid)`", path: "")
            }
        }
        self.storage = storage
        computeAncestors()
    }

    public static let empty = Entities(storage: [:])

    private init(storage: [EntityUID: Entity]) {
        self.storage = storage
    }

    /// The entity with its ancestors in this store (overlay included). A stored entity
    /// below an overlay entity also has that entity's ancestors.
    public subscript(uid: EntityUID) -> Entity? {
        if overlay.isEmpty { return storage[uid] }
        if let entity = overlaid(uid) { return entity }
        guard var entity = storage[uid] else { return nil }
        for above in overlay where !above.ancestors.isEmpty && entity.ancestors.contains(above.uid) {
            entity.ancestors.formUnion(above.ancestors)
        }
        return entity
    }

    public var count: Int { storage.count + overlay.count(where: { storage[$0.uid] == nil }) }

    /// Cedar's `a in b`: equal, or `b` is an ancestor of `a`.
    @inline(__always)
    public func isDescendant(_ a: EntityUID, of b: EntityUID) -> Bool {
        a == b || (self[a]?.ancestors.contains(b) ?? false)
    }

    /// Parses Cedar's JSON entity format: an array of `{"uid", "attrs", "parents", "tags"}`.
    ///
    /// With a `schema`, attribute and tag values may use the implicit entity and extension
    /// forms (no `__entity`/`__extn` escape) where the schema expects those types, and the
    /// schema's action hierarchy is added for action entities the document does not list.
    public static func fromJSON(_ text: String, schema: Schema? = nil) throws(EntitiesError) -> Entities {
        let json: JSONValue
        do {
            json = try JSONValue.parse(text)
        } catch {
            throw EntitiesError(.invalidJSON, error.description, path: "")
        }
        return try fromJSON(json, schema: schema)
    }

    /// As `fromJSON(_: String, schema:)`, for an already-parsed document.
    static func fromJSON(_ json: JSONValue, schema: Schema? = nil) throws(EntitiesError) -> Entities {
        guard let items = json.arrayValue else {
            throw EntitiesError(.invalidEntity, "expected an array of entities", path: "")
        }
        var entities: [Entity] = []
        entities.reserveCapacity(items.count)
        for (i, item) in items.enumerated() {
            entities.append(try entity(item, schema: schema, path: "entity \(i)"))
        }
        if let schema {
            let listed = Set(entities.map(\.uid))
            for action in schema.actions.values {
                let uid = EntityUID(type: action.id.type, id: action.id.id)
                guard !listed.contains(uid) else { continue }
                let parents = Set(action.parents.map { EntityUID(type: $0.type, id: $0.id) })
                entities.append(Entity(uid: uid, parents: parents))
            }
        }
        return try Entities(entities)
    }

    private static func entity(_ json: JSONValue, schema: Schema?, path: String) throws(EntitiesError) -> Entity {
        guard case .object = json, let uidJSON = json["uid"] else {
            throw EntitiesError(.invalidEntity, "expected an object with a `uid`", path: path)
        }
        let uid = try JSONValueDecoder.entityUID(uidJSON, path: "\(path).uid")
        let where_ = "\(path) (\(uid))"
        var attributes: [String: Value] = [:]
        if let attrs = json["attrs"] {
            guard case .object(let members) = attrs else {
                throw EntitiesError(.invalidEntity, "`attrs` must be an object", path: where_)
            }
            let shape = schema?.entityTypes[uid.type.name]?.attributes
            attributes = try JSONValueDecoder.record(members, attributes: shape, path: "\(where_).attrs")
        }
        var tags: [String: Value] = [:]
        if let tagsJSON = json["tags"] {
            guard case .object(let members) = tagsJSON else {
                throw EntitiesError(.invalidEntity, "`tags` must be an object", path: where_)
            }
            let tagType = schema?.entityTypes[uid.type.name]?.tagType
            var tagShape: [String: SchemaAttribute]?
            if let tagType {
                tagShape = Dictionary(uniqueKeysWithValues: members.map { ($0.key, SchemaAttribute(type: tagType, isRequired: true)) })
            }
            tags = try JSONValueDecoder.record(members, attributes: tagShape, path: "\(where_).tags")
        }
        var parents: Set<EntityUID> = []
        if let parentsJSON = json["parents"] {
            guard let list = parentsJSON.arrayValue else {
                throw EntitiesError(.invalidEntity, "`parents` must be an array", path: where_)
            }
            for (i, p) in list.enumerated() {
                parents.insert(try JSONValueDecoder.entityUID(p, path: "\(where_).parents[\(i)]"))
            }
        }
        return Entity(uid: uid, attributes: attributes, parents: parents, tags: tags)
    }

    /// Transitive closure over `parents`: a breadth-first walk per entity that reuses the
    /// finished closure of any entity it reaches (always complete, so cycles stay correct).
    /// Parents that are not in the store are still ancestors, with no further ancestors.
    private mutating func computeAncestors() {
        var done: [EntityUID: Set<EntityUID>] = [:]
        for (uid, entity) in storage {
            var result: Set<EntityUID> = []
            var queue = Array(entity.parents)
            while let next = queue.popLast() {
                guard result.insert(next).inserted else { continue }
                if let finished = done[next] {
                    result.formUnion(finished)
                } else if let parents = storage[next]?.parents {
                    queue.append(contentsOf: parents)
                }
            }
            done[uid] = result
        }
        for (uid, ancestors) in done {
            storage[uid]?.ancestors = ancestors
        }
    }
}
