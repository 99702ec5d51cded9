import Cedar
import Foundation
import GatewayConfig
import Testing

@testable import GatewayPolicy

@Suite struct PolicyTimeDependenceTests {
    private func readsTime(_ text: String) throws -> Bool {
        PolicyTimeDependence.readsTime(try PolicySet.parse(text: text))
    }

    @Test func otherContextFieldsAndHasDoNotReadTheTime() throws {
        #expect(try !readsTime(#"permit (principal, action, resource) when { context.scopes.contains("a") };"#))
        #expect(try !readsTime(#"permit (principal, action, resource) when { context has time };"#))
        #expect(try !readsTime(#"forbid (principal, action, resource) when { context.risk_level == "high" } unless { principal has x };"#))
        #expect(try !readsTime(#"permit (principal, action, resource) when { context["method"] == "GET" };"#))
    }

    @Test func readingTheTimeAnywhereIsFound() throws {
        #expect(try readsTime(#"permit (principal, action, resource) when { context.time < datetime("2030-01-01") };"#))
        #expect(try readsTime(#"permit (principal, action, resource) when { context["time"].toDate() == datetime("2030-01-01") };"#))
        #expect(try readsTime(#"permit (principal, action, resource) when { true } unless { if context.risk_level == "x" then false else context.time.toTime() > duration("1h") };"#))
        #expect(try readsTime(#"permit (principal, action, resource) when { [1, {a: context.time}].contains(2) };"#))
    }

    @Test func contextUsedWholeCountsAsReadingTheTime() throws {
        #expect(try readsTime(#"permit (principal, action, resource) when { context == {} };"#))
        #expect(try readsTime(#"permit (principal, action, resource) when { {c: context}.c has time };"#))
    }

    @Test func oneTimePolicyAmongOthersMarksTheSet() throws {
        let set = try PolicySet.parse(text: """
            permit (principal, action, resource) when { context.scopes.contains("a") };
            forbid (principal, action, resource) when { context.time > datetime("2030-01-01") };
            """)
        #expect(PolicyTimeDependence.readsTime(set))
        #expect(PolicyTimeDependence.readsTime(set.policies[1]))
        #expect(!PolicyTimeDependence.readsTime(set.policies[0]))
    }

    @Test func templatesAreChecked() throws {
        #expect(try readsTime(#"permit (principal == ?principal, action, resource) when { context.time > datetime("2030-01-01") };"#))
    }

    /// The shipped policies must keep decision reuse on (docs/policies.md says so).
    @Test func theRepositoryPoliciesCanReuseDecisions() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        let snapshot = try PolicyStore(configuration: PoliciesConfig(
            directory: "\(root)/policies", schemaPath: "\(root)/policies/schema.cedarschema")).reload()
        #expect(!snapshot.readsTime)
        #expect(snapshot.policies.policies.count >= 5)
    }
}
