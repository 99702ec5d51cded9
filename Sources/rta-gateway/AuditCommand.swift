import ArgumentParser

/// `rta-gateway audit …`: offline tools for the hash-chained audit log, so an
/// operator can check a log without starting (or trusting) a gateway.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Work with the hash-chained audit log.",
        subcommands: [AuditVerifyCommand.self])
}
