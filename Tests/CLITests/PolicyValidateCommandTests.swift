import GatewayTesting
import Testing

/// `rta-gateway policy validate`: exit 0/3/1 and errors at FILE:LINE:COLUMN.
@Suite struct PolicyValidateCommandTests {
    var schema: String { PolicyCLI.corpus + "/sample-data/sandbox_a/schema.cedarschema" }

    @Test func corpusExampleValidates() async throws {
        let cli = try PolicyCLI()
        let policies = PolicyCLI.corpus + "/tests/example_use_cases/policies_1a.cedar"
        let result = try await cli.run(["validate", "--policies", policies, "--schema", schema])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput == "policy set validation passed: 1 policy in \(policies)\n")
    }

    @Test func errorsCarryFileLineColumnPolicyAndCode() async throws {
        let cli = try PolicyCLI()
        let policies = try cli.file("invalid.cedar", """
            permit(principal, action == Action::"view", resource)
            when { principal.nosuch == 3 };
            @id("second")
            permit(principal == Usr::"a", action, resource);

            """)
        let result = try await cli.run(["validate", "-p", policies, "-s", schema])
        #expect(result.status == 3)
        #expect(result.standardOutput == "")
        #expect(result.standardError == """
            \(policies):2:8: policy `policy0`: attribute `nosuch` not found on User [unsafeAttributeAccess]
            \(policies):2:8: policy `policy0`: attribute `nosuch` not found on Administrator [unsafeAttributeAccess]
            \(policies):3:1: policy `second`: unrecognized entity type `Usr` [unrecognizedEntityType]
            \(policies):3:1: policy `second`: no action in the scope applies to the principal and resource types in the scope [invalidActionApplication]
            policy set validation failed: 4 errors

            """)
    }

    @Test func jsonSchemaNeedsTheFormatFlagAndTheErrorSaysSo() async throws {
        let cli = try PolicyCLI()
        let policies = try cli.file("p.cedar", #"permit(principal == User::"a", action == Action::"view", resource);"#)
        let json = try cli.file("schema.json", """
            {"": {"entityTypes": {"User": {}, "Photo": {}},
                  "actions": {"view": {"appliesTo": {"principalTypes": ["User"], "resourceTypes": ["Photo"]}}}}}
            """)
        let asCedar = try await cli.run(["validate", "-p", policies, "-s", json])
        #expect(asCedar.status == 1)
        #expect(asCedar.standardError.hasPrefix("\(json):1:1: schema error: "))
        #expect(asCedar.standardError.contains("hint: this looks like a JSON schema; pass --schema-format json"))
        let asJSON = try await cli.run(["validate", "-p", policies, "-s", json, "--schema-format", "json"])
        #expect(asJSON.status == 0, "\(asJSON.standardError)")
    }

    @Test func schemaErrorsPointAtTheSchemaFile() async throws {
        let cli = try PolicyCLI()
        let policies = try cli.file("p.cedar", "permit(principal, action, resource);\n")
        let badSchema = try cli.file("bad.cedarschema", """
            entity User;
            action view appliesTo { principal: [User], resource: [Usr] };

            """)
        let result = try await cli.run(["validate", "-p", policies, "-s", badSchema])
        #expect(result.status == 1)
        #expect(result.standardError == "\(badSchema):2:55: schema error: entity type `Usr` is not declared\n")
    }
}
