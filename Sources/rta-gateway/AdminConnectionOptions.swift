import ArgumentParser
import Foundation

/// Where the admin API is and how to authenticate to it; shared by every `sessions` subcommand.
struct AdminConnectionOptions: ParsableArguments {
    @Option(help: "Control listener address (host:port), as in gateway.yaml's listen.control.")
    var control: String = "127.0.0.1:9180"

    @Option(help: "File holding the admin token (gateway.yaml admin.token_file).")
    var tokenFile: String?

    @Option(help: "The admin token itself (prefer --token-file or RTA_ADMIN_TOKEN: arguments are visible to other users).")
    var token: String?

    /// The token from `--token`, `--token-file` or `RTA_ADMIN_TOKEN`, in that order.
    func resolvedToken() throws -> String {
        if let token { return token }
        if let tokenFile {
            do {
                return try String(contentsOfFile: tokenFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            } catch {
                throw ValidationError("cannot read --token-file \(tokenFile): \(error.localizedDescription)")
            }
        }
        if let token = ProcessInfo.processInfo.environment["RTA_ADMIN_TOKEN"], !token.isEmpty { return token }
        throw ValidationError("no admin token: pass --token-file FILE (gateway.yaml admin.token_file) or set RTA_ADMIN_TOKEN")
    }
}
