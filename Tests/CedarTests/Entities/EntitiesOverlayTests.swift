import Testing

@testable import Cedar

/// `Entities.overlaid(with:)` must answer exactly as a store rebuilt from scratch with
/// the same entities: checked on hand-picked shapes and on seeded random graphs.
struct EntitiesOverlayTests {
    func uid(_ type: String, _ id: String) -> EntityUID { EntityUID(type: type, id: id) }

    /// The stored entities as they would be listed, with `extra` replacing same-UID ones.
    func rebuilt(_ base: [Entity], _ extra: [Entity]) throws -> Entities {
        let replaced = Set(extra.map(\.uid))
        return try Entities(base.filter { !replaced.contains($0.uid) } + extra)
    }

    func expectSame(_ overlaid: Entities, _ expected: Entities, universe: [EntityUID]) {
        #expect(overlaid.count == expected.count)
        for a in universe {
            #expect(overlaid[a] == expected[a], "entity \(a)")
            for b in universe {
                #expect(overlaid.isDescendant(a, of: b) == expected.isDescendant(a, of: b), "\(a) in \(b)")
            }
        }
    }

    @Test func requestEntitiesOverAnEmptyStore() throws {
        let agent = Entity(uid: uid("Agent", "a7"), attributes: ["k": .long(1)], parents: [uid("User", "u")])
        let store = try Entities.empty.overlaid(with: [agent, Entity(uid: uid("User", "u"))])
        #expect(store[uid("Agent", "a7")]?.ancestors == [uid("User", "u")])
        #expect(store[uid("Agent", "a7")]?.attributes == ["k": .long(1)])
        #expect(store.isDescendant(uid("Agent", "a7"), of: uid("User", "u")))
        #expect(!store.isDescendant(uid("User", "u"), of: uid("Agent", "a7")))
        #expect(store.count == 2)
    }

    @Test func storedEntityBelowAnOverlayEntityInheritsItsNewAncestors() throws {
        let base = [
            Entity(uid: uid("Device", "d"), parents: [uid("Agent", "a7")]),
            Entity(uid: uid("Group", "g"), parents: [uid("Group", "top")]),
        ]
        let extra = [
            Entity(uid: uid("Agent", "a7"), parents: [uid("User", "u")]),
            Entity(uid: uid("User", "u"), parents: [uid("Group", "g")]),
        ]
        let store = try Entities(base).overlaid(with: extra)
        #expect(store[uid("Device", "d")]?.ancestors
                == [uid("Agent", "a7"), uid("User", "u"), uid("Group", "g"), uid("Group", "top")])
        expectSame(store, try rebuilt(base, extra),
                   universe: [uid("Device", "d"), uid("Agent", "a7"), uid("User", "u"), uid("Group", "g"), uid("Group", "top")])
    }

    @Test func droppingAStoredParentTakesTheFullRebuild() throws {
        let base = [Entity(uid: uid("U", "a"), parents: [uid("G", "1")]), Entity(uid: uid("U", "b"), parents: [uid("U", "a")])]
        let extra = [Entity(uid: uid("U", "a"), parents: [uid("G", "2")])]
        let store = try Entities(base).overlaid(with: extra)
        #expect(!store.isDescendant(uid("U", "b"), of: uid("G", "1")))
        #expect(store.isDescendant(uid("U", "b"), of: uid("G", "2")))
        expectSame(store, try rebuilt(base, extra), universe: [uid("U", "a"), uid("U", "b"), uid("G", "1"), uid("G", "2")])
    }

    @Test func overlayOfAnOverlayMatchesTheRebuild() throws {
        let base = [Entity(uid: uid("U", "a"), parents: [uid("G", "1")])]
        let first = [Entity(uid: uid("G", "1"), parents: [uid("G", "2")])]
        let second = [Entity(uid: uid("G", "2"), parents: [uid("G", "3")])]
        let store = try Entities(base).overlaid(with: first).overlaid(with: second)
        #expect(store.isDescendant(uid("U", "a"), of: uid("G", "3")))
        expectSame(store, try rebuilt(base + first, second),
                   universe: [uid("U", "a"), uid("G", "1"), uid("G", "2"), uid("G", "3")])
    }

    @Test func duplicateExtraEntityIsRejected() throws {
        #expect(throws: EntitiesError(.duplicateEntity, "duplicate entity `U::\"a\"`", path: "")) {
            try Entities.empty.overlaid(with: [Entity(uid: uid("U", "a")), Entity(uid: uid("U", "a"))])
        }
    }

    @Test(arguments: 0..<200)
    func randomGraphsMatchTheRebuild(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)  // a failing graph is reproduced from its seed
        // 12 UIDs: 8 may be stored, the rest are only ever parents or extra entities.
        let universe = (0..<12).map { uid($0 % 3 == 0 ? "User" : "Group", "n\($0)") }
        func parents(_ count: Int) -> Set<EntityUID> {
            Set((0..<count).map { _ in universe.randomElement(using: &random)! })
        }
        let stored = universe.prefix(8).filter { _ in Bool.random(using: &random) }
        let base = stored.map { Entity(uid: $0, attributes: ["v": .long(1)], parents: parents(Int.random(in: 0...3, using: &random))) }
        var extra: [Entity] = []
        for candidate in universe.shuffled(using: &random).prefix(Int.random(in: 0...3, using: &random)) {
            var own = parents(Int.random(in: 0...2, using: &random))
            if let existing = base.first(where: { $0.uid == candidate }), Int.random(in: 0..<4, using: &random) > 0 {
                own.formUnion(existing.parents)
            }
            extra.append(Entity(uid: candidate, attributes: ["v": .long(2)], parents: own))
        }
        let store = try Entities(base).overlaid(with: extra)
        expectSame(store, try rebuilt(base, extra), universe: universe)
    }
}

extension EntitiesOverlayTests {
    @Test func moreThanTheLimitTakesTheFullRebuild() throws {
        let base = [Entity(uid: uid("U", "root"), parents: [uid("G", "0")])]
        let extra = (0...Entities.overlayLimit).map { Entity(uid: uid("G", "\($0)"), parents: [uid("G", "\($0 + 1)")]) }
        let store = try Entities(base).overlaid(with: extra)
        #expect(store.isDescendant(uid("U", "root"), of: uid("G", "\(Entities.overlayLimit + 1)")))
        expectSame(store, try rebuilt(base, extra), universe: [uid("U", "root")] + extra.map(\.uid))
    }
}

extension EntitiesOverlayTests {
    @Test func anEntityTakenFromAnotherStoreGetsThisStoresAncestors() throws {
        let elsewhere = try Entities([Entity(uid: uid("U", "a"), parents: [uid("G", "1")]), Entity(uid: uid("G", "1"), parents: [uid("G", "2")])])
        let moved = try #require(elsewhere[uid("U", "a")])
        #expect(moved.ancestors == [uid("G", "1"), uid("G", "2")])
        let store = try Entities.empty.overlaid(with: [moved])
        #expect(store[uid("U", "a")]?.ancestors == [uid("G", "1")])
        #expect(!store.isDescendant(uid("U", "a"), of: uid("G", "2")))
    }
}

extension EntitiesOverlayTests {
    @Test func parentsChangedAfterCreationAreWhatCounts() throws {
        var agent = Entity(uid: uid("Agent", "a"), parents: [uid("G", "old")])
        agent.parents = [uid("User", "u")]
        let extra = [agent, Entity(uid: uid("User", "u"))]
        let store = try Entities.empty.overlaid(with: extra)
        #expect(store[uid("Agent", "a")]?.ancestors == [uid("User", "u")])
        expectSame(store, try rebuilt([], extra), universe: [uid("Agent", "a"), uid("User", "u"), uid("G", "g"), uid("G", "old")])
    }
}
