import Cedar
import Foundation
import GatewayConfig
import Testing

@testable import GatewayPolicy

@Suite struct PolicyStoreTests {
    @Test func loadsEveryCedarFileSortedWithAnnotatedOrFileBasedIDs() throws {
        let folder = try PolicyFolder()
        defer { folder.remove() }
        try folder.write("b.cedar", """
            @id("b-named")
            permit (principal, action, resource);
            forbid (principal, action, resource) when { false };
            """)
        try folder.write("a.cedar", "permit (principal, action == Action::\"Read\", resource);\n")
        try folder.write("notes.txt", "not a policy")
        let store = PolicyStore(configuration: folder.configuration())
        #expect(store.snapshot == nil)
        let snapshot = try store.reload()
        #expect(snapshot.policies.policies.map(\.id.rawValue) == ["a.cedar:policy0", "b-named", "b.cedar:policy1"])
        #expect(snapshot.files[PolicyID("b-named")] == folder.file("b.cedar"))
        #expect(snapshot.epoch == 1)
        #expect(store.epoch == 1)
    }

    @Test func duplicateIDsAcrossFilesAreAnError() throws {
        let folder = try PolicyFolder()
        defer { folder.remove() }
        try folder.write("a.cedar", "@id(\"same\")\npermit (principal, action, resource);\n")
        try folder.write("b.cedar", "\n\n@id(\"same\")\nforbid (principal, action, resource);\n")
        let store = PolicyStore(configuration: folder.configuration())
        #expect(throws: PolicyLoadError.self) { try store.reload() }
        do {
            try store.reload()
        } catch {
            #expect(error.problems.map(\.description) == [
                "\(folder.file("b.cedar")):3:1: same: duplicate policy id (first defined at \(folder.file("a.cedar")):1)",
            ])
            #expect(error.problems.map(\.code) == [.duplicatePolicyID])
        }
        #expect(store.snapshot == nil)
    }

    @Test func syntaxErrorKeepsTheLastGoodSetAndReportsLineAndColumn() throws {
        let folder = try PolicyFolder()
        defer { folder.remove() }
        try folder.write("main.cedar", "permit (principal, action, resource);\n")
        let store = PolicyStore(configuration: folder.configuration())
        try store.reload()
        try folder.write("main.cedar", "permit (principal, action, resource);\nforbid (principal, action, resource) when { 1 + };\n")
        try folder.write("other.cedar", "permit (principal, action resource);\n")
        do {
            try store.reload()
            Issue.record("expected a load error")
        } catch {
            #expect(error.problems.map(\.code) == [.syntax, .syntax])
            #expect(error.problems.map { "\($0.file):\($0.line):\($0.column)" } == [
                folder.file("main.cedar") + ":2:49", folder.file("other.cedar") + ":1:27",
            ])
            #expect(error.description.contains("main.cedar:2:49: "))
        }
        #expect(store.epoch == 1)
        #expect(store.snapshot?.policies.policies.count == 1)
    }

    @Test func schemaValidationFailureKeepsTheLastGoodSet() throws {
        let folder = try PolicyFolder()
        defer { folder.remove() }
        try folder.write("schema.cedarschema", PolicyFolder.schema)
        try folder.write("docs.cedar", """
            @id("read")
            permit (principal is Agent, action == Action::"Read", resource is Doc)
            when { context.scopes.contains("docs:read") };
            """)
        let store = PolicyStore(configuration: folder.configuration(schema: "schema.cedarschema"))
        try store.reload()
        try folder.write("docs.cedar", """
            @id("read")
            permit (principal is Agent, action == Action::"Read", resource is Doc)
            when { context.scope.contains("docs:read") };
            """)
        do {
            try store.reload()
            Issue.record("expected a validation error")
        } catch {
            #expect(error.problems.count == 1)
            let problem = try #require(error.problems.first)
            #expect(problem.code == .validation)
            #expect(problem.policyID == "read")
            #expect(problem.file == folder.file("docs.cedar"))
            #expect(problem.line == 3)
            #expect(problem.message.contains("scope"))
        }
        #expect(store.epoch == 1)
        let kept = try #require(store.snapshot)
        #expect(kept.policies.policies.first?.conditions.count == 1)
        #expect(kept.schema != nil)
    }

    @Test func schemaAndEntitiesErrorsAreReported() throws {
        let folder = try PolicyFolder()
        defer { folder.remove() }
        try folder.write("schema.cedarschema", "entity User;\nentity Agent in [Usr];\n")
        try folder.write("entities.json", "[{\"uid\": 3}]")
        try folder.write("a.cedar", "permit (principal, action, resource);\n")
        let store = PolicyStore(configuration: folder.configuration(schema: "schema.cedarschema", entities: "entities.json"))
        do {
            try store.reload()
            Issue.record("expected a schema error")
        } catch {
            #expect(error.problems.map(\.code) == [.schema])
            #expect(error.problems.first?.line == 2)
        }
        try folder.write("schema.cedarschema", PolicyFolder.schema)
        do {
            try store.reload()
            Issue.record("expected an entities error")
        } catch {
            #expect(error.problems.map(\.code) == [.entities])
        }
        try folder.write("entities.json", #"[{"uid": {"type": "User", "id": "alice"}, "attrs": {}, "parents": []}]"#)
        #expect(try store.reload().entities[EntityUID(type: "User", id: "alice")] != nil)
    }

    @Test func epochIncrementsOnlyOnSuccessAndObserversSeeEachSuccess() async throws {
        let folder = try PolicyFolder()
        defer { folder.remove() }
        try folder.write("a.cedar", "permit (principal, action, resource);\n")
        let store = PolicyStore(configuration: folder.configuration(), initialEpoch: 41)
        var updates = store.updates().makeAsyncIterator()
        #expect(try store.reload().epoch == 42)
        #expect(await updates.next()?.epoch == 42)
        try folder.write("a.cedar", "permit (principal, action, resource)\n")
        #expect(throws: PolicyLoadError.self) { try store.reload() }
        #expect(store.epoch == 42)
        try folder.write("a.cedar", "forbid (principal, action, resource);\n")
        #expect(try store.reload().epoch == 43)
        #expect(await updates.next()?.epoch == 43)
        #expect(store.snapshot?.policies.policies.first?.effect == .forbid)
    }

    @Test func missingDirectoryIsAnUnreadableFileProblem() throws {
        let store = PolicyStore(configuration: PoliciesConfig(directory: "/nonexistent/rta-policies"))
        do {
            try store.reload()
            Issue.record("expected an error")
        } catch {
            #expect(error.problems.map(\.code) == [.unreadableFile])
            #expect(error.problems.first?.file == "/nonexistent/rta-policies")
        }
    }

    @Test func templatesAreRejectedWithTheirPosition() throws {
        let folder = try PolicyFolder()
        defer { folder.remove() }
        try folder.write("t.cedar", "\npermit (principal == ?principal, action, resource);\n")
        let store = PolicyStore(configuration: folder.configuration())
        do {
            try store.reload()
            Issue.record("expected an error")
        } catch {
            #expect(error.problems.map { "\($0.code.rawValue):\($0.line):\($0.column)" } == ["template_not_supported:2:1"])
        }
    }
}
