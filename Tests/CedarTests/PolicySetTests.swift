import Testing

@testable import Cedar

struct PolicySetTests {
    let text = """
        @id("allow-read") permit(principal, action == Action::"read", resource);
        forbid(principal, action, resource) when { context.blocked };
        @id("owner") permit(principal == ?principal, action, resource in ?resource);
        """

    @Test func idsFollowFileOrderByDefault() throws {
        let set = try PolicySet.parse(text: text)
        #expect(set.policies.map(\.id) == ["policy0", "policy1"])
        #expect(set.templates.keys.sorted() == ["policy2"])
    }

    @Test func idAnnotationsWhenAsked() throws {
        let set = try PolicySet.parse(text: text, useIDAnnotations: true)
        #expect(set.policies.map(\.id) == ["allow-read", "policy1"])
        #expect(set.templates["owner"] != nil)
    }

    @Test func duplicateIDsRejected() {
        let dup = #"@id("x") permit(principal, action, resource); @id("x") forbid(principal, action, resource);"#
        do {
            _ = try PolicySet.parse(text: dup, useIDAnnotations: true)
            Issue.record("accepted duplicate ids")
        } catch {
            guard case .policySet(let e) = error else {
                Issue.record("wrong error \(error)")
                return
            }
            #expect(e.code == .duplicateID)
        }
    }

    @Test func syntaxErrorsSurface() {
        do {
            _ = try PolicySet.parse(text: "permit(principal action, resource);", fileName: "a.cedar")
            Issue.record("accepted bad text")
        } catch {
            #expect(error.description == "a.cedar:1:18: unexpected token `action`, expected `,`")
        }
    }

    @Test func linkingFillsSlots() throws {
        var set = try PolicySet.parse(text: text, useIDAnnotations: true)
        let alice = EntityUID(type: "User", id: "alice")
        let folder = EntityUID(type: "Folder", id: "f")
        try set.link(templateID: "owner", newID: "owner-alice", values: [.principal: alice, .resource: folder])
        let linked = try #require(set.policies.last)
        #expect(linked.id == "owner-alice")
        #expect(linked.principal == .eq(.uid(alice)))
        #expect(linked.resource == .in(.uid(folder)))
        #expect(!linked.isTemplate)
        #expect(throws: PolicySetError.self) { try set.link(templateID: "owner", newID: "x", values: [.principal: alice]) }
        #expect(throws: PolicySetError.self) { try set.link(templateID: "allow-read", newID: "y", values: [:]) }
        #expect(throws: PolicySetError.self) { try set.link(templateID: "nope", newID: "z", values: [:]) }
        #expect(throws: PolicySetError.self) {
            try set.link(templateID: "owner", newID: "owner-alice", values: [.principal: alice, .resource: folder])
        }
    }
}
