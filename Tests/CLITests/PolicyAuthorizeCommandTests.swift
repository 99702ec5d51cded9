import Foundation
import GatewayTesting
import Testing

/// `rta-gateway policy authorize` on the corpus' photo-sharing example (sandbox_a).
@Suite struct PolicyAuthorizeCommandTests {
    let corpus = PolicyCLI.corpus
    var policies1a: String { corpus + "/tests/example_use_cases/policies_1a.cedar" }
    var entities: String { corpus + "/sample-data/sandbox_a/entities.json" }
    var schema: String { corpus + "/sample-data/sandbox_a/schema.cedarschema" }
    let photo = "Photo::\"VacationPhoto94.jpg\""

    @Test func allowExitsZeroAndNamesTheDeterminingPolicy() async throws {
        let cli = try PolicyCLI()
        let context = try cli.file("context.json", #"{"source_ip": "123.123.123.123", "confidence_score": "0.6", "authenticated": true}"#)
        let result = try await cli.run([
            "authorize", "--policies", policies1a, "--entities", entities, "--schema", schema,
            "--principal", "User::\"alice\"", "--action", "Action::\"view\"", "--resource", photo,
            "--context", context, "--verbose",
        ])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput == "ALLOW\n\nnote: this decision was due to the following policies:\n  policy0\n")
    }

    @Test func denyExitsTwoLikeUpstream() async throws {
        let cli = try PolicyCLI()
        let result = try await cli.run([
            "authorize", "-p", policies1a, "--entities", entities,
            "-l", "User::\"bob\"", "-a", "Action::\"view\"", "-r", photo, "-v",
        ])
        #expect(result.status == 2)
        #expect(result.standardOutput == "DENY\n\nnote: no policies applied to this request\n")
    }

    @Test func requestJSONUsesTheSchemaForImplicitExtensionValues() async throws {
        let cli = try PolicyCLI()
        let policies = try cli.file("ip.cedar", """
            permit(principal, action, resource) when { context.source_ip.isInRange(ip("123.0.0.0/8")) };
            """)
        let request = try cli.file("request.json", """
            {"principal": {"type": "User", "id": "alice"}, "action": {"type": "Action", "id": "view"},
             "resource": {"type": "Photo", "id": "VacationPhoto94.jpg"},
             "context": {"source_ip": {"fn": "ip", "arg": "123.4.5.6"},
                         "confidence_score": {"fn": "decimal", "arg": "0.6"}, "authenticated": true}}
            """)
        let withSchema = try await cli.run([
            "authorize", "--policies", policies, "--entities", entities, "--schema", schema, "--request-json", request,
        ])
        #expect(withSchema.status == 0, "\(withSchema.standardError)")
        #expect(withSchema.standardOutput == "ALLOW\n")
        // Without a schema the unescaped `{"fn", "arg"}` is a plain record, so the policy errors and denies.
        let withoutSchema = try await cli.run(["authorize", "--policies", policies, "--entities", entities, "--request-json", request])
        #expect(withoutSchema.status == 2)
        #expect(withoutSchema.standardOutput.hasPrefix("DENY\n\n\(policies):1:44: error while evaluating policy `policy0`: type error"))
    }

    @Test func idAnnotationsNameReasonsUnlessDisabled() async throws {
        let cli = try PolicyCLI()
        let policies = try cli.file("ids.cedar", """
            @id("alice-may-view")
            permit(principal == User::"alice", action == Action::"view", resource);
            """)
        let arguments = ["authorize", "-p", policies, "--entities", entities,
                         "-l", "User::\"alice\"", "-a", "Action::\"view\"", "-r", photo, "-v"]
        let annotated = try await cli.run(arguments)
        #expect(annotated.standardOutput.contains("\n  alice-may-view\n"))
        let numbered = try await cli.run(arguments + ["--no-id-annotations"])
        #expect(numbered.status == 0)
        #expect(numbered.standardOutput.contains("\n  policy0\n"))
    }

    @Test func unreadableInputsAreAllReportedWithExitOne() async throws {
        let cli = try PolicyCLI()
        let badPolicies = try cli.file("bad.cedar", "permit(principal, action, resource) when { 1 + };\n")
        let result = try await cli.run([
            "authorize", "-p", badPolicies, "--entities", cli.directory.path + "/missing.json",
            "-l", "User::\"alice\"", "-a", "Action::\"view\"", "-r", photo,
        ])
        #expect(result.status == 1)
        #expect(result.standardOutput == "")
        #expect(result.standardError.contains("\(badPolicies):1:48: unexpected token `}`"))
        #expect(result.standardError.contains("\(cli.directory.path)/missing.json: cannot read entities: no such file"))
    }

    @Test func malformedEntityLiteralIsAFailureNamingTheField() async throws {
        let cli = try PolicyCLI()
        let result = try await cli.run([
            "authorize", "-p", policies1a, "--entities", entities, "-l", "alice", "-a", "Action::\"view\"", "-r", photo,
        ])
        #expect(result.status == 1)
        #expect(result.standardError.contains("request.principal"))
        #expect(result.standardError.contains("`alice` is not an entity literal"))
    }

    @Test func conflictingRequestFlagsAreUsageErrors() async throws {
        let cli = try PolicyCLI()
        let request = try cli.file("r.json", "{}")
        let both = try await cli.run([
            "authorize", "-p", policies1a, "--entities", entities, "--request-json", request, "-l", "User::\"alice\"",
        ])
        #expect(both.status == 64)
        #expect(both.standardError.contains("give exactly one of --principal/--action/--resource, --request-json or --batch"))
        let partial = try await cli.run(["authorize", "-p", policies1a, "--entities", entities, "-l", "User::\"alice\""])
        #expect(partial.status == 64)
        #expect(partial.standardError.contains("must be given together"))
    }
}
