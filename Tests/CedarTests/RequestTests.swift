import Testing

@testable import Cedar

struct RequestTests {
    @Test func parsesRequestJSON() throws {
        let r = try Request.fromJSON(
            #"""
            {"principal": {"type": "User", "id": "a"}, "action": {"type": "Action", "id": "read"},
             "resource": {"__entity": {"type": "Doc", "id": "d"}},
             "context": {"ip": {"__extn": {"fn": "ip", "arg": "10.0.0.1"}}, "n": 3}}
            """#)
        #expect(r.principal == EntityUID(type: "User", id: "a"))
        #expect(r.resource == EntityUID(type: "Doc", id: "d"))
        #expect(r.context["n"] == .long(3))
        #expect(r.context["ip"] == .ext(.ipaddr(try #require(IPAddr.parse("10.0.0.1")))))
    }

    @Test func acceptsCedarLiteralEntities() throws {
        let r = try Request.fromJSON(
            #"{"principal": "NS::User::\"a\\\"b\"", "action": "Action::\"read\"", "resource": {"type": "Doc", "id": "d"}}"#)
        #expect(r.principal == EntityUID(type: "NS::User", id: "a\"b"))
        #expect(r.action == EntityUID(type: "Action", id: "read"))
        #expect(r.context.isEmpty)
        let bad = #expect(throws: EntitiesError.self) {
            try Request.fromJSON(#"{"principal": "alice", "action": "Action::\"r\"", "resource": "D::\"d\""}"#)
        }
        #expect(bad?.path == "request.principal")
    }

    @Test func contextMustBeAnObject() {
        let e = #expect(throws: EntitiesError.self) {
            try Request.fromJSON(
                #"{"principal": {"type": "U", "id": "a"}, "action": {"type": "Action", "id": "r"}, "resource": {"type": "D", "id": "d"}, "context": []}"#)
        }
        #expect(e?.message == "context must be an object, got array")
        let missing = #expect(throws: EntitiesError.self) { try Request.fromJSON(#"{"action": {"type": "Action", "id": "r"}}"#) }
        #expect(missing?.message == "missing `principal`")
    }

    @Test func schemaTypesTheContext() throws {
        let schema = try Schema.parse(
            cedarSchema: """
                entity User;
                action read appliesTo { principal: User, resource: User, context: { who: User, from: ipaddr } };
                """)
        let r = try Request.fromJSON(
            #"""
            {"principal": {"type": "User", "id": "a"}, "action": {"type": "Action", "id": "read"}, "resource": {"type": "User", "id": "b"},
             "context": {"who": {"type": "User", "id": "c"}, "from": {"fn": "ip", "arg": "1.2.3.4"}}}
            """#, schema: schema)
        #expect(r.context["who"] == .entity(EntityUID(type: "User", id: "c")))
        #expect(r.context["from"] == .ext(.ipaddr(try #require(IPAddr.parse("1.2.3.4")))))
    }
}
