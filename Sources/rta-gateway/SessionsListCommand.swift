import ArgumentParser

struct SessionsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the sessions of one subject (by issuer+sub, email or IdP session id).")

    @OptionGroup var connection: AdminConnectionOptions

    @Option(help: "Subject's IdP issuer (with --sub).")
    var iss: String?

    @Option(help: "Subject identifier at the issuer (with --iss).")
    var sub: String?

    @Option(help: "Subject's email (case-insensitive).")
    var email: String?

    @Option(help: "IdP session id (`sid` claim).")
    var sid: String?

    func validate() throws {
        let named = [iss != nil && sub != nil, email != nil, sid != nil].filter { $0 }.count
        guard named == 1, (iss == nil) == (sub == nil) else {
            throw ValidationError("name the subject once: --iss ISS --sub SUB, --email EMAIL or --sid SID")
        }
    }

    func run() async throws {
        let query: String
        if let iss, let sub {
            query = "iss=\(AdminClient.query(iss))&sub=\(AdminClient.query(sub))"
        } else if let email {
            query = "email=\(AdminClient.query(email))"
        } else {
            query = "sid=\(AdminClient.query(sid ?? ""))"
        }
        try await AdminClient.call(.GET, "/admin/sessions?\(query)", options: connection)
    }
}
