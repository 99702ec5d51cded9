import ArgumentParser

struct SessionsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the sessions of one subject (by issuer+sub, email or IdP session id).")

    @OptionGroup var connection: AdminConnectionOptions

    @OptionGroup var subject: AdminSubjectOptions

    @Option(help: "IdP session id (`sid` claim), instead of a subject.")
    var sid: String?

    func validate() throws {
        guard subject.isComplete != (sid != nil), subject.isEmpty || subject.isComplete else {
            throw ValidationError("name the subject once: --iss ISS --sub SUB, --email EMAIL or --sid SID")
        }
    }

    func run() async throws {
        let fields = sid.map { ["sid": $0] } ?? subject.fields
        let query = fields.sorted { $0.key < $1.key }.map { "\($0.key)=\(AdminClient.query($0.value))" }.joined(separator: "&")
        try await AdminClient.call(.GET, "/admin/sessions?\(query)", options: connection)
    }
}
