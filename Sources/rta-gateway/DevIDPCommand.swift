import ArgumentParser
import DevIdentityProvider

/// Starts the development identity provider the README demo and the token-exchange
/// tests use, so a gateway can be tried end to end without a real IdP.
struct DevIDPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev-idp",
        abstract: "DEVELOPMENT ONLY: run an OpenID provider that mints access tokens for anyone.",
        discussion: """
            Never point a production gateway at it: POST /token signs an RFC 9068 access \
            token for whatever subject, audience and scope the form asks for, without \
            authenticating anyone (it can also mint broken tokens for negative tests: \
            alg=none, wrong kid, past exp). Serves /.well-known/openid-configuration, \
            /jwks.json, /token and /introspect over plain HTTP/1.1. Runs until interrupted.
            """)

    @Option(help: "Address to listen on (keep it on loopback).")
    var host: String = "127.0.0.1"

    @Option(help: "TCP port to listen on (0 picks a free one).")
    var port: Int = 9190

    @Option(help: "The iss claim and discovery issuer (default http://HOST:PORT).")
    var issuer: String?

    @Option(help: "PEM private key: loaded if it exists, generated and saved there if not (default: a fresh key in memory).")
    var key: String?

    func run() async throws {
        let provider: DevIdentityProvider
        do {
            provider = try await DevIdentityProvider.start(
                DevIdentityProvider.Configuration(host: host, port: port, keyFile: key, issuer: issuer))
        } catch {
            printError("dev-idp: cannot start on \(host):\(port): \(error)")
            throw ExitCode(2)
        }
        DevServerConsole.announce([
            "dev identity provider (DEVELOPMENT ONLY) listening on \(provider.baseURL)",
            "issuer:        \(provider.issuer)",
            "discovery:     \(provider.baseURL)/.well-known/openid-configuration",
            "jwks:          \(provider.jwksURL)",
            "token:         \(provider.tokenURL)",
            "introspection: \(provider.introspectionURL)",
            "signing key:   \(provider.algorithm.rawValue), kid \(provider.keyID)",
            "mint a token:",
            "  curl -s -X POST \(provider.tokenURL) -d sub=alice -d aud=rta-gateway -d 'scope=orders:read orders:write'",
        ])
        try await DevServerConsole.runUntilInterrupted()
    }
}
