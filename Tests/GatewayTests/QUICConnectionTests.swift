import DemoUpstream
import Foundation
import GatewayTesting
import NIOPosix
import Testing

/// A connection's address follows only paths ngtcp2 validated (`QUICConnection.remoteAddress`),
/// checked with the `rta-gateway` binary, the echo upstream, and `Tests/peers/quic_path_relay.py`
/// between an aioquic client and the gateway. The relay's second socket on 127.0.0.2 plays
/// an attacker whose packets reach the gateway but who never answers a path challenge.
@Suite(.serialized)
struct QUICConnectionTests {
    static let routes = """
          - name: public
            path: { prefix: /public/ }
            upstream: echo
            strip_prefix: true
            public: true

        """

    /// Headers padded so the request's 1-RTT datagram is the relay's trigger (≥ 700 bytes).
    static let padding: [[String]] = [["x-pad", String(repeating: "p", count: 900)]]

    private func withGatewayAndRelay(
        mode: String, _ body: (_ relayPort: Int, _ relay: ManagedProcess, _ gateway: GatewayProcess) async throws -> Void
    ) async throws {
        let upstream = EchoUpstream(eventLoopGroup: MultiThreadedEventLoopGroup.singleton)
        let upstreamPort = try await upstream.start()
        let gateway = try await GatewayProcess.start(configYAML: TestConfig.yaml(
            upstreams: [("echo", "http://127.0.0.1:\(upstreamPort)", "10s")], routes: Self.routes))
        var relay: ManagedProcess?
        do {
            let started = try ManagedProcess(executable: try H3Client.interpreter(), arguments: [
                RepositoryPaths.peers + "/quic_path_relay.py", "--gateway-port", "\(gateway.quicPort)", "--mode", mode,
            ])
            relay = started
            try await started.waitForLine(containing: "relay port=")
            let line = try #require(started.log().split(separator: "\n").first { $0.hasPrefix("relay port=") })
            let port = try #require(Int(line.dropFirst("relay port=".count)))
            try await body(port, started, gateway)
        } catch {
            _ = await relay?.terminate()
            await gateway.process.terminate()
            try await upstream.shutdown()
            throw error
        }
        _ = await relay?.terminate()
        await gateway.process.terminate()
        try await upstream.shutdown()
    }

    /// An on-path attacker copies the datagram carrying a request and gets its copy in
    /// first, from its own address. The copy decrypts, so ngtcp2 starts validating the new
    /// path, but the request must still report the validated address: the old code took
    /// the copy's source as the client address (`for=127.0.0.2`).
    @Test func aRacedCopyFromAnotherAddressDoesNotBecomeTheClientAddress() async throws {
        try await withGatewayAndRelay(mode: "copy") { relayPort, relay, _ in
            let run = try await H3Client.run(
                port: relayPort, plan: [["path": "/public/echo", "headers": Self.padding], ["path": "/public/after"]],
                extraArguments: ["--request-timeout", "10"])
            #expect(relay.log().contains("triggered"), "\(relay.log())")
            #expect(run.exitStatus == 0, "\(run.standardError)")
            #expect(run.responses.map(\.status) == [200, 200])
            for response in run.responses {
                let report = try EchoReport.decode(response.bodyText ?? "")
                #expect(report.values(of: "x-forwarded-for") == ["127.0.0.1"])
                #expect(report.values(of: "forwarded") == ["for=127.0.0.1;proto=https;host=localhost"])
            }
        }
    }

    /// One forged datagram (the connection's DCID, then random bytes) from another address
    /// arrives while the upstream is still answering. It fails decryption, so nothing
    /// changes: the answer reaches the client and nothing is sent to the forger. The old
    /// code sent the connection's next packets to the forged source.
    @Test func aForgedDatagramDoesNotRedirectTheConnection() async throws {
        try await withGatewayAndRelay(mode: "garbage") { relayPort, relay, _ in
            let run = try await H3Client.run(
                port: relayPort, plan: [["path": "/public/slow/300", "headers": Self.padding]],
                extraArguments: ["--request-timeout", "10"])
            #expect(relay.log().contains("triggered"), "\(relay.log())")
            #expect(run.exitStatus == 0, "\(run.standardError)")
            #expect(run.responses.first?.status == 200)
            #expect(!relay.log().contains("spoof received"), "\(relay.log())")
        }
    }

    /// A real migration still works: gtlsclient moves to a new local port after the
    /// handshake (answering the gateway's PATH_CHALLENGE) and its requests are served;
    /// the gateway logs the validated change of address.
    @Test func aValidatedMigrationMovesTheAddress() async throws {
        let upstream = EchoUpstream(eventLoopGroup: MultiThreadedEventLoopGroup.singleton)
        let upstreamPort = try await upstream.start()
        let gateway = try await GatewayProcess.start(configYAML: TestConfig.yaml(
            upstreams: [("echo", "http://127.0.0.1:\(upstreamPort)", "10s")], routes: Self.routes))
        let directory = try TemporaryDirectory()
        let result = try await runProcess("gtlsclient", [
            "-q", "--exit-on-all-streams-close", "--change-local-addr=100ms", "--delay-stream=500ms",
            "--download", directory.path, "127.0.0.1", "\(gateway.quicPort)", "https://localhost/public/bytes/5000",
        ])
        await gateway.process.terminate()
        try await upstream.shutdown()
        #expect(result.status == 0, "\(result.standardError)")
        let data = try Data(contentsOf: URL(fileURLWithPath: directory.path + "/5000"))
        #expect(data.count == 5000)
        #expect(gateway.process.log().contains("peer address changed after path validation"), "\(gateway.process.log())")
    }
}
