import GatewayTesting
import Testing

/// `rta-gateway policy check-parse`: every syntax error with line, column, found, expected.
@Suite struct PolicyCheckParseCommandTests {
    @Test func wellFormedFileCountsPoliciesAndTemplates() async throws {
        let cli = try PolicyCLI()
        let policies = try cli.file("ok.cedar", """
            permit(principal, action, resource);
            permit(principal == ?principal, action, resource);

            """)
        let result = try await cli.run(["check-parse", "--policies", policies])
        #expect(result.status == 0)
        #expect(result.standardOutput == "\(policies): OK (1 policies, 1 templates)\n")
    }

    @Test func everySyntaxErrorIsReportedWithItsPosition() async throws {
        let cli = try PolicyCLI()
        let policies = try cli.file("bad.cedar", """
            permit(principal, action, resource)
            when { principal.age > 3 };

            forbid(principal == User::"x", action, resource) when { 1 + };
            @id("a")
            permit(principal, action ==, resource);

            """)
        let result = try await cli.run(["check-parse", "--policies", policies])
        #expect(result.status == 1)
        #expect(result.standardOutput == "")
        #expect(result.standardError == """
            \(policies):4:61: unexpected token `}`, expected expression
            \(policies):6:28: unexpected token `,`, expected identifier

            """)
    }

    /// The lexer runs before the parser, so a bad character is reported on its own.
    @Test func invalidCharacterIsReportedAtItsColumn() async throws {
        let cli = try PolicyCLI()
        let policies = try cli.file("char.cedar", "permit(principal, action, resource) when { a $ b };\n")
        let result = try await cli.run(["check-parse", "--policies", policies])
        #expect(result.status == 1)
        #expect(result.standardError == "\(policies):1:46: invalid character `$`\n")
    }

    @Test func standardInputErrorsShowFoundAndExpected() async throws {
        let cli = try PolicyCLI()
        let result = try await cli.run(["check-parse"], input: #"permit(principal, action, resource) when { "abc };"# + "\n")
        #expect(result.status == 1)
        #expect(result.standardError == "<stdin>:1:44: unterminated string literal\n  found: end of input\n  expected: `\"`\n")
    }

    @Test func duplicateIDAnnotationsFailUnlessNumbered() async throws {
        let cli = try PolicyCLI()
        let policies = try cli.file("dup.cedar", """
            @id("x") permit(principal, action, resource);
            @id("x") forbid(principal, action, resource);

            """)
        let annotated = try await cli.run(["check-parse", "-p", policies])
        #expect(annotated.status == 1)
        #expect(annotated.standardError == "\(policies): duplicate policy id `x`\n")
        let numbered = try await cli.run(["check-parse", "-p", policies, "--no-id-annotations"])
        #expect(numbered.status == 0)
    }

    @Test func missingFileIsNamed() async throws {
        let cli = try PolicyCLI()
        let path = cli.directory.path + "/none.cedar"
        let result = try await cli.run(["check-parse", "-p", path])
        #expect(result.status == 1)
        #expect(result.standardError == "\(path): cannot read policies: no such file\n")
    }
}
