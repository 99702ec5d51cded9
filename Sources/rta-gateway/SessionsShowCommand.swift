import ArgumentParser

struct SessionsShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show one session: context, claims, delegation chain, children, state.")

    @OptionGroup var connection: AdminConnectionOptions

    @Argument(help: "Session id (32 hex digits, as in the audit log's `session` field).")
    var session: String

    func run() async throws {
        try await AdminClient.call(.GET, "/admin/sessions/\(AdminClient.query(session))", options: connection)
    }
}
