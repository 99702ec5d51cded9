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

    @Option(help: "Subject's IdP issuer (with --sub).")
    var iss: String?

    @Option(help: "Subject identifier at the issuer (with --iss).")
    var sub: String?

    @Option(help: "Subject's email (case-insensitive).")
    var email: String?

    @Option(help: "Reason shown to the agents and written to the audit log.")
    var reason: String = "admin"

    func validate() throws {
        guard (iss != nil && sub != nil && email == nil) || (iss == nil && sub == nil && email != nil) else {
            throw ValidationError("name the subject once: --iss ISS --sub SUB, or --email EMAIL")
        }
    }

    func run() async throws {
        var body = ["reason": reason]
        if let iss, let sub {
            body["iss"] = iss
            body["sub"] = sub
        } else if let email {
            body["email"] = email
        }
        try await AdminClient.call(.POST, "/admin/subjects/revoke", body: body, options: connection)
    }
}
