import Foundation
import GatewayTesting
import Testing

/// `rta-gateway ssf-transmitter`: starts, prints its URLs, serves its metadata and
/// JWKS over real loopback HTTP, and keeps a `--key` across restarts.
@Suite struct SSFTransmitterCommandTests {
    static func start(_ arguments: [String] = []) async throws -> (process: ManagedProcess, baseURL: String) {
        let process = try ManagedProcess(executable: try GatewayProcess.executablePath(),
                                         arguments: ["ssf-transmitter", "--port", "0"] + arguments)
        try await process.waitForLine(containing: "poll:", timeout: .seconds(60))
        let line = try #require(process.log().split(separator: "\n").first { $0.contains("listening on ") })
        return (process, String(try #require(line.split(separator: " ").last)))
    }

    static func get(_ url: String) async throws -> [String: Any] {
        let result = try await runProcess("curl", ["-sS", "--fail", "--max-time", "10", url])
        #expect(result.status == 0, "\(result.standardError)")
        return try #require((try? JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8))) as? [String: Any])
    }

    @Test func servesMetadataAndJWKSAtThePrintedURLs() async throws {
        let (process, baseURL) = try await Self.start()
        let log = process.log()
        #expect(log.contains("DEVELOPMENT ONLY"))
        #expect(log.contains("metadata: \(baseURL)/.well-known/ssf-configuration\n"))
        #expect(log.contains("jwks:     \(baseURL)/jwks.json\n"))

        let metadata = try await Self.get(baseURL + "/.well-known/ssf-configuration")
        #expect(metadata["issuer"] as? String == baseURL)
        #expect(metadata["jwks_uri"] as? String == baseURL + "/jwks.json")
        let keys = try #require(try await Self.get(baseURL + "/jwks.json")["keys"] as? [[String: Any]])
        #expect(keys.first?["kid"] as? String == "tx-key-1")
        await process.terminate()
    }

    @Test func keyFileIsCreatedAndReusedAcrossRestarts() async throws {
        let directory = try TemporaryDirectory()
        let keyFile = directory.path + "/tx.pem"
        let first = try await Self.start(["--key", keyFile])
        let firstKeys = try await Self.get(first.baseURL + "/jwks.json")["keys"] as? [[String: Any]]
        await first.process.terminate()
        let attributes = try FileManager.default.attributesOfItem(atPath: keyFile)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)

        let second = try await Self.start(["--key", keyFile])
        let secondKeys = try await Self.get(second.baseURL + "/jwks.json")["keys"] as? [[String: Any]]
        await second.process.terminate()
        let modulus = try #require(firstKeys?.first?["n"] as? String)
        #expect(secondKeys?.first?["n"] as? String == modulus)
    }

    /// The committed dev key on a non-loopback address earns a loud warning (found by
    /// content, so the path does not matter); on loopback it stays quiet.
    @Test func committedKeyOffLoopbackIsWarnedAbout() async throws {
        let key = RepositoryPaths.fixtures + "/dev-ssf-transmitter-key.pem"
        let exposed = try await Self.start(["--host", "0.0.0.0", "--key", key])
        let exposedLog = exposed.process.log()
        await exposed.process.terminate()
        #expect(exposedLog.contains(
            "DEVELOPMENT SECRET IN USE ON A NON-LOOPBACK ADDRESS: --key is the committed fixtures/dev-ssf-transmitter-key.pem"))
        let local = try await Self.start(["--key", key])
        let localLog = local.process.log()
        await local.process.terminate()
        #expect(!localLog.contains("DEVELOPMENT SECRET"))
    }
}
