import ArgumentParser
import Foundation
import Gateway
import GatewayConfig
import SSFTransmitter

/// Starts the test SSF transmitter so the gateway's signal receiver can be pointed
/// at a real peer by hand: its JWKS for push verification and its poll endpoint.
struct SSFTransmitterServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "DEVELOPMENT ONLY: serve the test transmitter's metadata, JWKS and poll endpoint.",
        discussion: """
            Serves /.well-known/ssf-configuration, /jwks.json and POST /poll over plain \
            HTTP/1.1. Runs until interrupted. Configure the gateway with this issuer and \
            jwks_url in signals.transmitters[].
            """)

    @Option(help: "Address to listen on (keep it on loopback).")
    var host: String = "127.0.0.1"

    @Option(help: "TCP port to listen on (0 picks a free one).")
    var port: Int = 9191

    @Option(help: ArgumentHelp(
        "PEM RSA private key: loaded if it exists, generated and saved there (mode 0600) if not.",
        discussion: "Default: a fresh key in memory. Pass fixtures/dev-ssf-transmitter-key.pem (committed, "
            + "DEVELOPMENT ONLY) and give `send` the same --key, so pushed SETs verify against this JWKS.",
        valueName: "path"))
    var key: String?

    @Option(name: .customLong("key-id"), help: ArgumentHelp("The key's kid in /jwks.json.", valueName: "kid"))
    var keyID: String = SSFTransmitterCommand.defaultKeyID

    @Option(help: ArgumentHelp("The iss of the transmitter's metadata (default http://HOST:PORT).", valueName: "url"))
    var issuer: String?

    func run() async throws {
        let transmitter: SSFTransmitter
        do {
            let pem = try key.flatMap(Self.existingKey(at:))
            if let pem, let fixture = DevelopmentSecrets.fixture(matching: Array(pem.utf8)),
               !ConfigAddress(host: host, port: port).isLoopback {
                printError("warning: DEVELOPMENT SECRET IN USE ON A NON-LOOPBACK ADDRESS: --key is the committed "
                    + "\(fixture), which anyone can read; listening on \(host). Use a key of your own.")
            }
            transmitter = try await SSFTransmitter.start(
                SSFTransmitter.Configuration(host: host, port: port, issuer: issuer, keyID: keyID, privateKeyPEM: pem))
            if let key, pem == nil {
                try await Self.save(transmitter.key.privateKeyPEM, to: key)
            }
        } catch {
            printError("ssf-transmitter: cannot start on \(host):\(port): \(error)")
            throw ExitCode(2)
        }
        DevServerConsole.announce([
            "SSF transmitter (DEVELOPMENT ONLY) listening on \(transmitter.baseURL)",
            "issuer:   \(transmitter.issuer)",
            "metadata: \(transmitter.configurationURL)",
            "jwks:     \(transmitter.jwksURL)",
            "poll:     \(transmitter.pollURL)",
        ])
        try await DevServerConsole.runUntilInterrupted()
    }

    /// The PEM in `path`, or nil when there is no file yet (one is then generated).
    private static func existingKey(at path: String) throws(DevKeyFileError) -> String? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw DevKeyFileError(path: path, message: "cannot read: \(error.localizedDescription)")
        }
    }

    /// Owner-only, like any private key file.
    private static func save(_ pem: String, to path: String) throws(DevKeyFileError) {
        guard FileManager.default.createFile(atPath: path, contents: Data(pem.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw DevKeyFileError(path: path, message: "cannot write the generated key")
        }
    }
}
