import ArgumentParser

struct SessionsSignalsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "signals", abstract: "Show the most recent CAEP/RISC signals the gateway handled and what they did.")

    @OptionGroup var connection: AdminConnectionOptions

    @Option(help: "How many, newest last.")
    var limit: Int = 20

    func run() async throws {
        try await AdminClient.call(.GET, "/admin/signals?limit=\(limit)", options: connection)
    }
}
