import GatewayTesting
import Testing

/// The `policy` group's help: each subcommand documents every flag and its exit codes.
@Suite struct PolicyCommandTests {
    @Test func groupHelpListsSubcommandsAndExitCodes() async throws {
        let result = try await PolicyCLI().run(["--help"])
        #expect(result.status == 0)
        for text in ["authorize", "validate", "check-parse", "2  authorize: DENY", "3  validate:", "--no-id-annotations"] {
            #expect(result.standardOutput.contains(text), "missing \(text)")
        }
    }

    @Test(arguments: [
        ("authorize", ["--policies", "--entities", "--principal", "--action", "--resource", "--context",
                       "--request-json", "--batch", "--schema", "--schema-format", "--no-id-annotations", "--verbose",
                       "-l,", "-a,", "-r,", "-c,", "-s,", "-v,", "Exit status: 0 ALLOW, 2 DENY"]),
        ("validate", ["--policies", "--schema", "--schema-format", "--no-id-annotations", "values: cedar, json",
                      "default: cedar", "Exit status: 0 when the policies validate, 3"]),
        ("check-parse", ["--policies", "--no-id-annotations", "Exit status: 0 when the file parses, 1"]),
    ])
    func subcommandHelpMentionsEachFlag(command: String, texts: [String]) async throws {
        let result = try await PolicyCLI().run([command, "--help"])
        #expect(result.status == 0)
        for text in texts {
            #expect(result.standardOutput.contains(text), "\(command) --help lacks \(text)")
        }
    }
}
