import ArgumentParser

/// `rta-gateway`: the HTTP/3 enforcement point and its operator tools.
@main
struct RTAGatewayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rta-gateway",
        abstract: "HTTP/3 gateway that gives AI agents continuous authorization.",
        discussion: """
            Terminates QUIC/HTTP/3, checks every request against the routes in gateway.yaml, \
            and forwards what is allowed to HTTP/1.1 upstreams.

            Start here:
              rta-gateway validate gateway.yaml      check a configuration, exactly as start-up does
              rta-gateway serve --config gateway.yaml
              rta-gateway echo-upstream --port 8081  a demo upstream for trying it out
              rta-gateway dev-idp                    a dev identity provider (DEVELOPMENT ONLY)
              rta-gateway policy check-parse -p F    check Cedar policies
              rta-gateway audit verify FILE…         verify the audit log's hash chain
              rta-gateway sessions list --email E    a subject's sessions (admin API)
              rta-gateway sessions revoke-subject …  cut off every agent of a user
            """,
        subcommands: [
            ServeCommand.self, ValidateCommand.self, EchoUpstreamCommand.self, PolicyCommand.self, AuditCommand.self,
            DevIDPCommand.self, SSFTransmitterCommand.self, SessionsCommand.self,
        ])
}
