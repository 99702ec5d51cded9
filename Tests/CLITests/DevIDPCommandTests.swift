import Foundation
import GatewayTesting
import Testing

/// `rta-gateway dev-idp`: starts, prints where it is, serves its JWKS and mints
/// tokens over real loopback HTTP, and keeps a `--key` across restarts.
@Suite struct DevIDPCommandTests {
    /// Starts `rta-gateway dev-idp --port 0 …` and returns it with its base URL as printed.
    static func start(_ arguments: [String] = []) async throws -> (process: ManagedProcess, baseURL: String) {
        let process = try ManagedProcess(executable: try GatewayProcess.executablePath(),
                                         arguments: ["dev-idp", "--port", "0"] + arguments)
        try await process.waitForLine(containing: "  curl ", timeout: .seconds(60))
        let marker = "listening on "
        let line = try #require(process.log().split(separator: "\n").first { $0.contains(marker) })
        let baseURL = String(try #require(line.split(separator: " ").last))
        return (process, baseURL)
    }

    static func json(_ text: String) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
    }

    static func jwk(_ baseURL: String) async throws -> [String: Any] {
        let result = try await runProcess("curl", ["-sS", "--max-time", "10", baseURL + "/jwks.json"])
        #expect(result.status == 0, "\(result.standardError)")
        let keys = try #require(json(result.standardOutput)?["keys"] as? [[String: Any]])
        #expect(keys.count == 1)
        return try #require(keys.first)
    }

    @Test func printsItsURLsAndServesTheJWKS() async throws {
        let (process, baseURL) = try await Self.start(["--issuer", "https://dev-idp.example"])
        let log = process.log()
        #expect(baseURL.hasPrefix("http://127.0.0.1:"))
        #expect(log.contains("DEVELOPMENT ONLY"))
        #expect(log.contains("issuer:        https://dev-idp.example\n"))
        #expect(log.contains("jwks:          \(baseURL)/jwks.json\n"))
        #expect(log.contains("token:         \(baseURL)/token\n"))

        let key = try await Self.jwk(baseURL)
        #expect(key["kty"] as? String == "RSA")
        #expect(key["kid"] as? String == "dev-key-1")
        await process.terminate()
    }

    @Test func theCurlExampleMintsASignedToken() async throws {
        let (process, baseURL) = try await Self.start()
        let result = try await runProcess("curl", ["-sS", "--max-time", "10", "-X", "POST", baseURL + "/token",
                                                   "-d", "sub=alice", "-d", "aud=rta-gateway", "-d", "scope=orders:read orders:write"])
        #expect(result.status == 0, "\(result.standardError)")
        let response = try #require(Self.json(result.standardOutput))
        let token = try #require(response["access_token"] as? String)
        #expect(token.split(separator: ".", omittingEmptySubsequences: false).count == 3)
        #expect(response["token_type"] as? String == "Bearer")
        await process.terminate()
    }

    @Test func keyFileIsCreatedAndReusedAcrossRestarts() async throws {
        let directory = try TemporaryDirectory()
        let keyFile = directory.path + "/idp.pem"
        let first = try await Self.start(["--key", keyFile])
        let firstKey = try await Self.jwk(first.baseURL)
        await first.process.terminate()
        #expect(FileManager.default.fileExists(atPath: keyFile))

        let second = try await Self.start(["--key", keyFile])
        let secondKey = try await Self.jwk(second.baseURL)
        await second.process.terminate()
        let modulus = try #require(firstKey["n"] as? String)
        #expect(secondKey["n"] as? String == modulus)
    }

    @Test func portInUseExitsTwoWithTheReason() async throws {
        let (holder, baseURL) = try await Self.start()
        let port = String(try #require(baseURL.split(separator: ":").last))
        let result = try await runProcess(GatewayProcess.executablePath(), ["dev-idp", "--port", port], timeout: .seconds(60))
        #expect(result.status == 2)
        #expect(result.standardError.hasPrefix("dev-idp: cannot start on 127.0.0.1:\(port): "))
        await holder.terminate()
    }
}
