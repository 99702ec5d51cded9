import ArgumentParser

/// `rta-gateway ssf-transmitter …`: the test SSF transmitter, as a server the
/// gateway's signal receiver can poll and fetch keys from (`serve`), and as a
/// one-shot push from the shell (`send`), so "revoke alice and watch her agent get
/// cut off" is one command. No SSF/CAEP transmitter can be installed here.
struct SSFTransmitterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ssf-transmitter",
        abstract: "DEVELOPMENT ONLY: a test SSF transmitter (serve its JWKS and poll endpoint, or push one SET).",
        discussion: """
            Never use it as a real signal source: it signs security event tokens for any \
            event and subject it is told to. Both subcommands take the same --key, so SETs \
            pushed with `send` verify against the JWKS that `serve` publishes:

              rta-gateway ssf-transmitter serve --key fixtures/dev-ssf-transmitter-key.pem
              rta-gateway ssf-transmitter send --key fixtures/dev-ssf-transmitter-key.pem \\
                  --event session-revoked --email alice@example.com

            Without a subcommand, `serve` runs.
            """,
        subcommands: [SSFTransmitterServeCommand.self, SSFTransmitterSendCommand.self],
        defaultSubcommand: SSFTransmitterServeCommand.self)

    /// The dev transmitter's identity when nothing else is said: `serve` on its default
    /// port publishes this issuer, and `send` signs as it, so the two agree by default.
    static let defaultIssuer = "http://127.0.0.1:9191"
    static let defaultKeyID = "tx-key-1"
}
