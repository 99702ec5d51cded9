import ArgumentParser

struct SessionsRevokeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke",
        abstract: "Revoke one session and every session delegated from it.",
        discussion: "Its agents' event streams get a `revoked` event and their in-flight requests are reset.")

    @OptionGroup var connection: AdminConnectionOptions

    @Argument(help: "Session id (32 hex digits).")
    var session: String

    @Option(help: "Reason shown to the agent and written to the audit log.")
    var reason: String = "admin"

    func run() async throws {
        try await AdminClient.call(.POST, "/admin/sessions/\(AdminClient.query(session))/revoke", body: ["reason": reason],
                                   options: connection)
    }
}
