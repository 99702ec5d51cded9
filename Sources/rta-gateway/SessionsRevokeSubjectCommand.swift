import ArgumentParser

struct SessionsRevokeSubjectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke-subject",
        abstract: "Revoke every session of a user and refuse their current IdP tokens.",
        discussion: """
            Like a CAEP session-revoked signal: every agent acting for the user is cut off, \
            and IdP tokens issued before now can no longer be exchanged.
            """)

    @OptionGroup var connection: AdminConnectionOptions

    @OptionGroup var subject: AdminSubjectOptions

    @Option(help: "Reason shown to the agents and written to the audit log.")
    var reason: String = "admin"

    func validate() throws {
        guard subject.isComplete else {
            throw ValidationError("name the subject once: --iss ISS --sub SUB, or --email EMAIL")
        }
    }

    func run() async throws {
        try await AdminClient.call(.POST, "/admin/subjects/revoke", body: subject.fields.merging(["reason": reason]) { $1 },
                                   options: connection)
    }
}
