import ArgumentParser

/// `rta-gateway policy …`: the upstream `cedar` CLI's authorize, validate and check-parse,
/// run on the gateway's own Cedar engine, so an operator tests a policy change with exactly
/// the code that will enforce it.
struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Authorize requests, validate and parse Cedar policies with the gateway's engine.",
        discussion: """
            Flags and exit codes follow the upstream `cedar` CLI (cedar-policy-cli 4.x):
              0  success (authorize: ALLOW; validate/check-parse: no errors)
              1  failure (a file could not be read or parsed, or a batch line failed)
              2  authorize: DENY
              3  validate: the policies do not validate against the schema
             64  usage error (bad or conflicting flags)

            Policy ids are the @id("…") annotation when a policy has one, else policy0, \
            policy1, … in file order; --no-id-annotations always uses the numbered ids.
            """,
        subcommands: [PolicyAuthorizeCommand.self, PolicyValidateCommand.self, PolicyCheckParseCommand.self])
}
