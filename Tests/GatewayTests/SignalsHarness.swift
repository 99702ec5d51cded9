import DemoUpstream
import DevIdentityProvider
import Foundation
import GatewayTesting
import NIOPosix
import SSFTransmitter
import Testing

/// A whole deployment on loopback for the signal tests: dev IdP, echo upstream, a
/// real SSF transmitter, and the real `rta-gateway` binary with `signals` and `admin`
/// sections; agents are `Tests/peers/rta_agent.py` processes.
struct SignalsHarness {
    static let pushBearer = "push-secret-for-tests"
    static let adminToken = "admin-token-for-tests-0123456789"
    static let audience = "rta-gateway"
    static let caep = "https://schemas.openid.net/secevent/caep/event-type/"

    let idp: DevIdentityProvider
    let upstream: EchoUpstream
    let transmitter: SSFTransmitter
    let gateway: GatewayProcess
    let auditDirectory: TemporaryDirectory

    /// `auditYAML`: more keys of the `audit` section, one per line, e.g. `rotate_bytes: 1024`.
    static func start(maxAge: String = "300s", poll: Bool = false, auditYAML: String = "", extraYAML: String = "") async throws
        -> SignalsHarness
    {
        let idp = try await DevIdentityProvider.start()
        let upstream = EchoUpstream(eventLoopGroup: MultiThreadedEventLoopGroup.singleton)
        let upstreamPort = try await upstream.start()
        let transmitter = try await SSFTransmitter.start(SSFTransmitter.Configuration(longPollTimeout: .milliseconds(500)))
        let auditDirectory = try TemporaryDirectory()
        let pollLines = poll ? "\n      poll_url: \"\(transmitter.pollURL)\"\n      poll_interval: 1s" : ""
        let auditLines = auditYAML.split(separator: "\n").map { "\n  \($0)" }.joined()
        let yaml = TestConfig.yaml(upstreams: [("echo", "http://127.0.0.1:\(upstreamPort)", "60s")], routes: Self.routes,
                                  gracePeriod: "500ms")
            + """
            tokens:
              keys: [\(RepositoryPaths.fixtures)/dev-signing-key-1.json, \(RepositoryPaths.fixtures)/dev-signing-key-2.json]
              current_key_id: 2
              max_age: \(maxAge)
            identity_providers:
              - issuer: "\(idp.issuer)"
                audience: rta-gateway
                jwks_url: "\(idp.jwksURL)"
            audit:
              file: \(auditDirectory.path)/gateway.jsonl
              fsync: never\(auditLines)
            signals:
              receiver_audience: \(audience)
              transmitters:
                - issuer: "\(transmitter.issuer)"
                  jwks_url: "\(transmitter.jwksURL)"
                  bearer_token: \(pushBearer)
                  subject_issuers: ["\(idp.issuer)"]\(pollLines)
            admin:
              token: \(adminToken)
            \(extraYAML)
            """ + (extraYAML.contains("policies:") ? "" : TestConfig.permitAllPoliciesYAML)
        let gateway: GatewayProcess
        do {
            gateway = try await GatewayProcess.start(configYAML: yaml)
        } catch {
            await transmitter.shutdown()
            try? await upstream.shutdown()
            try? await idp.shutdown()
            throw error
        }
        return SignalsHarness(idp: idp, upstream: upstream, transmitter: transmitter, gateway: gateway,
                              auditDirectory: auditDirectory)
    }

    static let routes = """
          - name: order
            path: { template: "/orders/{id}" }
            methods: [GET]
            upstream: echo
          - name: bytes
            path: { prefix: /bytes/ }
            methods: [GET]
            upstream: echo

        """

    /// Starts a harness, runs `body`, and stops everything whether `body` threw or not.
    static func run(
        maxAge: String = "300s", poll: Bool = false, auditYAML: String = "", extraYAML: String = "",
        _ body: (SignalsHarness) async throws -> Void
    ) async throws {
        let harness = try await start(maxAge: maxAge, poll: poll, auditYAML: auditYAML, extraYAML: extraYAML)
        do {
            try await body(harness)
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }

    func stop() async {
        await gateway.process.terminate()
        await transmitter.shutdown()
        try? await upstream.shutdown()
        try? await idp.shutdown()
    }

    /// A JWT from the dev IdP for `sub` with the given extra claims; `knobs` are more
    /// dev IdP form fields (`email_verified`, `iat`, …).
    func jwt(sub: String, email: String? = nil, sid: String? = nil, scope: String = "orders:read orders:write",
             knobs: [String: String] = [:]) async throws -> String
    {
        var form = "sub=\(sub)&scope=\(scope.replacingOccurrences(of: " ", with: "+"))"
        if let email { form += "&email=\(email)" }
        if let sid { form += "&sid=\(sid)" }
        for (name, value) in knobs.sorted(by: { $0.key < $1.key }) { form += "&\(name)=\(value)" }
        let minted = try await LoopbackHTTP1.request(
            "/token", method: "POST", port: idp.port, headers: [("Content-Type", "application/x-www-form-urlencoded")],
            body: form)
        let object = try JSONSerialization.jsonObject(with: Data(minted.body.utf8)) as? [String: Any]
        return try #require(object?["access_token"] as? String, "dev IdP answered \(minted.status): \(minted.body)")
    }

    /// Starts an agent process; wait for its `ready` line with `Agent.waitFor`.
    func agent(_ config: [String: Any]) throws -> Agent {
        let json = String(decoding: try JSONSerialization.data(withJSONObject: config), as: UTF8.self)
        let process = try ManagedProcess(
            executable: try H3Client.interpreter(),
            arguments: [RepositoryPaths.peers + "/rta_agent.py", "\(gateway.quicPort)", json])
        return Agent(process: process)
    }

    /// Signs `event` for `subject` and pushes it to the control listener.
    /// `event` is a CAEP event name, or a full event-type URI with `fullType`.
    func push(_ event: String, subject: TransmitterJSON, payload: [String: TransmitterJSON] = [:], jti: String? = nil,
              fullType: Bool = false) async throws -> (set: String, status: Int, body: String)
    {
        let set = try await sign(event, subject: subject, payload: payload, jti: jti, fullType: fullType)
        let answer = try await transmitter.push(
            set, to: "http://127.0.0.1:\(gateway.controlPort)/ssf/events", authorization: "Bearer \(Self.pushBearer)")
        return (set, answer.status, answer.body)
    }

    func sign(_ event: String, subject: TransmitterJSON, payload: [String: TransmitterJSON] = [:], jti: String? = nil,
              fullType: Bool = false) async throws -> String
    {
        var payload = payload
        // A second ahead: the processor caps the event time at "now", so every session
        // created before the push is covered, whatever the second boundaries.
        payload["event_timestamp"] = payload["event_timestamp"] ?? .integer(Int64(Date().timeIntervalSince1970) + 1)
        var recipe = SETRecipe(eventType: fullType ? event : Self.caep + event, payload: payload, subject: subject, audience: .string(Self.audience))
        if let jti { recipe.jti = jti }
        return try await transmitter.sign(recipe)
    }

    func admin(_ path: String, method: String = "GET", body: String = "") async throws -> LoopbackHTTP1.Response {
        try await LoopbackHTTP1.request(
            path, method: method, port: gateway.controlPort,
            headers: [("Authorization", "Bearer \(Self.adminToken)"), ("Content-Type", "application/json")], body: body)
    }

    /// The audit records written so far (the writer flushes each record; fsync is off).
    func auditRecords() throws -> [[String: Any]] {
        let files = try FileManager.default.contentsOfDirectory(atPath: auditDirectory.path).filter { $0.hasSuffix(".jsonl") }.sorted()
        return try files.flatMap { file in
            try String(contentsOfFile: auditDirectory.path + "/" + file, encoding: .utf8).split(separator: "\n").compactMap {
                try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }
        }
    }
}

/// One `rta_agent.py` process and the JSON lines it printed.
struct Agent {
    let process: ManagedProcess

    var lines: [[String: Any]] {
        process.log().split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    func lines(type: String) -> [[String: Any]] {
        lines.filter { $0["type"] as? String == type }
    }

    func call(_ phase: String) -> [String: Any]? {
        lines(type: "call").first { $0["phase"] as? String == phase }
    }

    /// Waits for a line of this type; fails early with the log if the agent reported an error.
    func waitFor(_ type: String, timeout: Duration = .seconds(30)) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if !lines(type: type).isEmpty { return }
            if !lines(type: "error").isEmpty || !process.isRunning && lines(type: type).isEmpty {
                if !lines(type: type).isEmpty { return }
                Issue.record("agent stopped before \(type): \(process.log())")
                throw AgentFailure(log: process.log())
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw AgentFailure(log: "timed out waiting for \(type): " + process.log())
    }
}

struct AgentFailure: Error, CustomStringConvertible {
    let log: String
    var description: String { log }
}
