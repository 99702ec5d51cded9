import ArgumentParser

/// `rta-gateway sessions …`: the admin API (docs/admin.md) from the shell, for the
/// operator who must answer "which agents act for alice?" and "cut them off now".
struct SessionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sessions",
        abstract: "List, inspect and revoke agent sessions through a running gateway's admin API.",
        discussion: """
            Talks to the control listener (default 127.0.0.1:9180) with the admin token \
            from gateway.yaml's admin section (--token-file, --token or RTA_ADMIN_TOKEN). \
            Answers are printed as JSON. Exit status: 0 success, 1 the gateway refused or \
            could not be reached.
            """,
        subcommands: [
            SessionsListCommand.self, SessionsShowCommand.self, SessionsRevokeCommand.self,
            SessionsRevokeSubjectCommand.self, SessionsSignalsCommand.self,
        ])
}
