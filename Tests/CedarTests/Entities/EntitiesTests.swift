import Testing

@testable import Cedar

struct EntitiesTests {
    func uid(_ type: String, _ id: String) -> EntityUID { EntityUID(type: type, id: id) }

    @Test func ancestorsAreTransitive() throws {
        let store = try Entities([
            Entity(uid: uid("U", "a"), parents: [uid("G", "1")]),
            Entity(uid: uid("G", "1"), parents: [uid("G", "2"), uid("G", "3")]),
            Entity(uid: uid("G", "2"), parents: [uid("G", "4")]),
        ])
        #expect(store[uid("U", "a")]?.ancestors == [uid("G", "1"), uid("G", "2"), uid("G", "3"), uid("G", "4")])
        #expect(store.isDescendant(uid("U", "a"), of: uid("G", "4")))
        #expect(!store.isDescendant(uid("G", "4"), of: uid("U", "a")))
        #expect(store.isDescendant(uid("X", "unknown"), of: uid("X", "unknown")))
        #expect(!store.isDescendant(uid("X", "unknown"), of: uid("G", "1")))
    }

    @Test func parentsOutsideTheStoreStillCount() throws {
        let store = try Entities([Entity(uid: uid("U", "a"), parents: [uid("G", "ghost")])])
        #expect(store.isDescendant(uid("U", "a"), of: uid("G", "ghost")))
    }

    @Test func cyclesTerminateAndAreClosed() throws {
        let store = try Entities([
            Entity(uid: uid("G", "a"), parents: [uid("G", "b")]),
            Entity(uid: uid("G", "b"), parents: [uid("G", "c")]),
            Entity(uid: uid("G", "c"), parents: [uid("G", "a")]),
        ])
        for id in ["a", "b", "c"] {
            #expect(store[uid("G", id)]?.ancestors == [uid("G", "a"), uid("G", "b"), uid("G", "c")])
        }
    }

    @Test func diamondSharesWork() throws {
        let store = try Entities([
            Entity(uid: uid("U", "x"), parents: [uid("G", "l"), uid("G", "r")]),
            Entity(uid: uid("G", "l"), parents: [uid("G", "top")]),
            Entity(uid: uid("G", "r"), parents: [uid("G", "top")]),
        ])
        #expect(store[uid("U", "x")]?.ancestors.count == 3)
    }

    @Test func duplicateEntityRejected() {
        #expect(throws: EntitiesError.self) {
            try Entities([Entity(uid: uid("U", "a")), Entity(uid: uid("U", "a"))])
        }
    }

    @Test func readsJSONWithEscapes() throws {
        let store = try Entities.fromJSON(
            #"""
            [{"uid": {"__entity": {"type": "NS::User", "id": "a\"b"}},
              "attrs": {"boss": {"__entity": {"type": "NS::User", "id": "c"}}, "ip": {"__extn": {"fn": "ip", "arg": "10.0.0.1"}},
                        "when": {"__extn": {"fn": "offset", "args": [{"__extn": {"fn": "datetime", "arg": "1970-01-01"}},
                                                                    {"__extn": {"fn": "duration", "arg": "1s"}}]}},
                        "tags": ["x", "x", "y"], "rec": {"type": "T", "id": "i"}},
              "parents": [{"type": "NS::Group", "id": "g"}],
              "tags": {"t": 1}}]
            """#)
        let alice = try #require(store[uid("NS::User", "a\"b")])
        #expect(alice.attributes["boss"] == .entity(uid("NS::User", "c")))
        #expect(alice.attributes["ip"] == .ext(.ipaddr(try #require(IPAddr.parse("10.0.0.1")))))
        #expect(alice.attributes["when"] == .ext(.datetime(CedarDatetime(millisecondsSinceEpoch: 1000))))
        #expect(alice.attributes["tags"] == .set([.string("x"), .string("y")]))
        #expect(alice.attributes["rec"] == .record(["type": .string("T"), "id": .string("i")]))
        #expect(alice.tags["t"] == .long(1))
        #expect(alice.parents == [uid("NS::Group", "g")])
    }

    @Test(arguments: [
        (#"{"uid": {"type": "U", "id": "a"}}"#, EntitiesError.Code.invalidEntity),
        (#"[{"attrs": {}}]"#, .invalidEntity),
        (#"[{"uid": {"type": "U", "id": "a"}, "attrs": {"x": 1.5}}]"#, .invalidValue),
        (#"[{"uid": {"type": "U", "id": "a"}, "attrs": {"x": null}}]"#, .invalidValue),
        (#"[{"uid": {"type": "U", "id": "a"}, "attrs": {"x": 1, "x": 2}}]"#, .duplicateKey),
        (#"[{"uid": {"type": "U", "id": "a"}, "attrs": {"x": {"__extn": {"fn": "ip", "arg": "nope"}}}}]"#, .extensionError),
        (#"[{"uid": {"type": "U", "id": "a"}, "attrs": {"x": {"__extn": {"fn": "system", "arg": "rm"}}}}]"#, .extensionError),
        (#"[{"uid": {"type": "U", "id": "a"}, "parents": [{"type": "G"}]}]"#, .invalidEntity),
        (#"[{"uid": {"type": "U", "id": "a"}}, {"uid": {"type": "U", "id": "a"}}]"#, .duplicateEntity),
        ("[{", .invalidJSON),
    ])
    func rejectsBadDocuments(json: String, code: EntitiesError.Code) {
        do {
            _ = try Entities.fromJSON(json)
            Issue.record("accepted \(json)")
        } catch {
            #expect(error.code == code)
        }
    }

    @Test func schemaAllowsImplicitFormsAndAddsActions() throws {
        let schema = try Schema.parse(
            cedarSchema: """
                entity User = { boss: User, home: ipaddr, friends: Set<User> };
                action read;
                action write in [read];
                """)
        let store = try Entities.fromJSON(
            #"""
            [{"uid": {"type": "User", "id": "a"},
              "attrs": {"boss": {"type": "User", "id": "b"}, "home": {"fn": "ip", "arg": "::1"},
                        "friends": [{"type": "User", "id": "c"}]},
              "parents": []}]
            """#, schema: schema)
        let a = try #require(store[uid("User", "a")])
        #expect(a.attributes["boss"] == .entity(uid("User", "b")))
        #expect(a.attributes["friends"] == .set([.entity(uid("User", "c"))]))
        #expect(a.attributes["home"] == .ext(.ipaddr(try #require(IPAddr.parse("::1")))))
        #expect(store.isDescendant(uid("Action", "write"), of: uid("Action", "read")))
    }
}
