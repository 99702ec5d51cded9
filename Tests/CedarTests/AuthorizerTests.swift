import Testing

@testable import Cedar

struct AuthorizerTests {
    let alice = EntityUID(type: "User", id: "alice")
    let read = EntityUID(type: "Action", id: "read")
    let doc = EntityUID(type: "Doc", id: "d")

    func authorize(_ policies: String, context: [String: Value] = [:], entities: Entities = .empty) throws -> Response {
        let set = try PolicySet.parse(text: policies)
        return Authorizer.isAuthorized(Request(principal: alice, action: read, resource: doc, context: context), policies: set, entities: entities)
    }

    @Test func defaultDeny() throws {
        let r = try authorize("")
        #expect(r.decision == .deny)
        #expect(r.reason.isEmpty)
        #expect(r.errors.isEmpty)
    }

    @Test func permitAllowsWithReason() throws {
        let r = try authorize(#"permit(principal == User::"alice", action, resource); permit(principal, action, resource is Other);"#)
        #expect(r.decision == .allow)
        #expect(r.reason == ["policy0"])
    }

    @Test func forbidOverridesPermit() throws {
        let r = try authorize("permit(principal, action, resource); forbid(principal, action, resource) when { context.bad };", context: ["bad": .bool(true)])
        #expect(r.decision == .deny)
        #expect(r.reason == ["policy1"])
    }

    @Test func erroringPolicyIsSkippedAndReported() throws {
        let r = try authorize(
            "permit(principal, action, resource); forbid(principal, action, resource) when { context.missing };")
        #expect(r.decision == .allow)
        #expect(r.reason == ["policy0"])
        #expect(r.errors.map(\.policyID) == ["policy1"])
        #expect(r.errors.first?.error.code == .missingAttribute)
    }

    @Test func nonBooleanConditionIsAnError() throws {
        let r = try authorize("permit(principal, action, resource) when { 1 };")
        #expect(r.decision == .deny)
        #expect(r.errors.first?.error.message == "type error: expected bool, got long")
    }

    @Test func unlessAndScopeHierarchy() throws {
        let entities = try Entities([Entity(uid: alice, parents: [EntityUID(type: "Group", id: "g")]), Entity(uid: read, parents: [EntityUID(type: "Action", id: "all")])])
        let r = try authorize(
            #"""
            permit(principal in Group::"g", action in [Action::"all"], resource is Doc) unless { context.off };
            permit(principal is User in Group::"other", action, resource);
            """#, context: ["off": .bool(false)], entities: entities)
        #expect(r.decision == .allow)
        #expect(r.reason == ["policy0"])
    }

    @Test func templatesAreNotEvaluatedUntilLinked() throws {
        var set = try PolicySet.parse(text: "permit(principal == ?principal, action, resource);")
        let request = Request(principal: alice, action: read, resource: doc)
        #expect(Authorizer.isAuthorized(request, policies: set, entities: .empty).decision == .deny)
        try set.link(templateID: "policy0", newID: "linked", values: [.principal: alice])
        let r = Authorizer.isAuthorized(request, policies: set, entities: .empty)
        #expect(r.decision == .allow)
        #expect(r.reason == ["linked"])
    }
}
