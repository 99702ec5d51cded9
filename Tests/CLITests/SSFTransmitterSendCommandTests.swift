import Foundation
import GatewayTesting
import Testing

/// `rta-gateway ssf-transmitter send`: the real binary pushes to a real loopback
/// listener; the bytes it sent must be a SET signed by the committed dev key (checked
/// with openssl, an independent verifier) about the right event and subject, and the
/// exit status must follow the receiver's answer.
@Suite struct SSFTransmitterSendCommandTests {
    static let caep = "https://schemas.openid.net/secevent/caep/event-type/"
    static var keyPath: String { RepositoryPaths.fixtures + "/dev-ssf-transmitter-key.pem" }

    static func send(_ arguments: [String], to url: String) async throws -> ProcessResult {
        try await runProcess(try GatewayProcess.executablePath(),
                             ["ssf-transmitter", "send", "--key", keyPath, "--to", url] + arguments, timeout: .seconds(60))
    }

    /// The JWS parts of `set`: decoded header and claims, and what was signed.
    static func decode(_ set: String) throws -> (header: [String: Any], claims: [String: Any], input: String, signature: Data) {
        let parts = set.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        try #require(parts.count == 3)
        func json(_ part: String) throws -> [String: Any] {
            let data = try #require(base64URL(part))
            return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        }
        return (try json(parts[0]), try json(parts[1]), parts[0] + "." + parts[1], try #require(base64URL(parts[2])))
    }

    static func base64URL(_ text: String) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64)
    }

    /// RS256 verification by openssl against the fixture key's public half.
    static func opensslVerifies(input: String, signature: Data) async throws -> Bool {
        let directory = try TemporaryDirectory()
        let publicKey = directory.path + "/public.pem", signed = directory.path + "/input", sig = directory.path + "/sig"
        let extract = try await runProcess("openssl", ["pkey", "-in", keyPath, "-pubout", "-out", publicKey])
        try #require(extract.status == 0, "\(extract.standardError)")
        try Data(input.utf8).write(to: URL(fileURLWithPath: signed))
        try signature.write(to: URL(fileURLWithPath: sig))
        let verify = try await runProcess("openssl", ["dgst", "-sha256", "-verify", publicKey, "-signature", sig, signed])
        return verify.status == 0 && verify.standardOutput.contains("Verified OK")
    }

    static func object(_ json: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    }

    static func same(_ value: Any?, _ expected: [String: Any]) -> Bool {
        guard let value = value as? [String: Any] else { return false }
        return NSDictionary(dictionary: value).isEqual(to: expected)
    }

    @Test func sessionRevokedByEmailArrivesAsAVerifiableSET() async throws {
        let receiver = try SSFTransmitterTestReceiver(status: 202)
        defer { receiver.stop() }
        let before = Int(Date().timeIntervalSince1970)
        let result = try await Self.send(["--event", "session-revoked", "--email", "alice@example.com",
                                          "--bearer", "push-secret"], to: receiver.url)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput == "HTTP 202\n")

        let request = try #require(receiver.requests.first)
        #expect(receiver.requests.count == 1)
        #expect(request.method == "POST" && request.path == "/ssf/events")
        #expect(request.headers["content-type"] == "application/secevent+jwt")
        #expect(request.headers["authorization"] == "Bearer push-secret")
        let set = try Self.decode(request.body)
        #expect(set.header["typ"] as? String == "secevent+jwt")
        #expect(set.header["alg"] as? String == "RS256")
        #expect(set.header["kid"] as? String == "tx-key-1")
        #expect(set.claims["iss"] as? String == "http://127.0.0.1:9191")
        #expect(set.claims["aud"] as? String == "rta-gateway")
        #expect((set.claims["jti"] as? String)?.isEmpty == false)
        #expect(set.claims["sub"] == nil && set.claims["exp"] == nil)
        #expect(Self.same(set.claims["sub_id"], ["format": "email", "email": "alice@example.com"]))
        let events = try #require(set.claims["events"] as? [String: Any])
        #expect(Array(events.keys) == [Self.caep + "session-revoked"])
        let payload = try #require(events[Self.caep + "session-revoked"] as? [String: Any])
        let stamp = try #require(payload["event_timestamp"] as? Int)
        #expect(stamp >= before && stamp <= before + 60)
        #expect((set.claims["iat"] as? Int).map { $0 >= before } == true)
        #expect(try await Self.opensslVerifies(input: set.input, signature: set.signature))
    }

    @Test func aRefusalExitsOneAndPrintsTheReceiversAnswer() async throws {
        let body = #"{"err":"invalid_audience","description":"aud does not name this receiver"}"#
        let receiver = try SSFTransmitterTestReceiver(status: 400, body: body)
        defer { receiver.stop() }
        let result = try await Self.send(["--event", "account-disabled", "--iss-sub", "http://127.0.0.1:9190,alice",
                                          "--reason", "hijacking", "--audience", "someone-else"], to: receiver.url)
        #expect(result.status == 1)
        #expect(result.standardOutput == "HTTP 400\n\(body)\n")
        let set = try Self.decode(try #require(receiver.requests.first).body)
        #expect(set.claims["aud"] as? String == "someone-else")
        #expect(Self.same(set.claims["sub_id"], ["format": "iss_sub", "iss": "http://127.0.0.1:9190", "sub": "alice"]))
        let events = try #require(set.claims["events"] as? [String: Any])
        let payload = events["https://schemas.openid.net/secevent/risc/event-type/account-disabled"] as? [String: Any]
        #expect(payload?["reason"] as? String == "hijacking")
    }

    /// Arguments, event short name, and the expected `sub_id` and payload (without
    /// `event_timestamp`) as JSON text.
    @Test(arguments: [
        (["--event", "assurance-level-change", "--sid", "idp-session-7", "--current-level", "nist-aal1",
          "--previous-level", "nist-aal2", "--change-direction", "decrease"],
         "assurance-level-change", #"{"format":"opaque","id":"idp-session-7"}"#,
         #"{"namespace":"RFC8176","current_level":"nist-aal1","previous_level":"nist-aal2","change_direction":"decrease"}"#),
        (["--event", "device-compliance-change", "--email", "bob@example.com", "--current-status", "not-compliant"],
         "device-compliance-change", #"{"format":"email","email":"bob@example.com"}"#,
         #"{"current_status":"not-compliant","previous_status":"compliant"}"#),
        (["--event", "token-claims-change", "--subject-json", #"{"format":"account","uri":"acct:bob@example.com"}"#,
          "--claims", #"{"groups":["ops"],"role":"admin"}"#],
         "token-claims-change", #"{"format":"account","uri":"acct:bob@example.com"}"#,
         #"{"claims":{"groups":["ops"],"role":"admin"}}"#),
        (["--event", "credential-change", "--email", "carol@example.com", "--payload", #"{"change_type":"revoke"}"#],
         "credential-change", #"{"format":"email","email":"carol@example.com"}"#,
         #"{"credential_type":"password","change_type":"revoke"}"#),
    ])
    func eventOptionsBecomePayloadMembers(arguments: [String], event: String, subject: String, members: String) async throws {
        let receiver = try SSFTransmitterTestReceiver(status: 202)
        defer { receiver.stop() }
        let result = try await Self.send(arguments, to: receiver.url)
        #expect(result.status == 0, "\(result.standardError)")
        let set = try Self.decode(try #require(receiver.requests.first).body)
        #expect(Self.same(set.claims["sub_id"], try Self.object(subject)))
        let events = try #require(set.claims["events"] as? [String: Any])
        var payload = try #require(events[Self.caep + event] as? [String: Any])
        #expect(payload.removeValue(forKey: "event_timestamp") is Int)
        #expect(Self.same(payload, try Self.object(members)), "\(payload)")
    }

    @Test(arguments: [
        (["--event", "assurance-level-change", "--email", "a@example.com"], "assurance-level-change needs --current-level"),
        (["--event", "session-revoked", "--email", "a@example.com", "--sid", "s1"], "give exactly one subject"),
        (["--event", "session-revoked"], "give exactly one subject"),
        (["--event", "session-revoked", "--email", "a@example.com", "--current-status", "compliant"],
         "--current-status does not apply to session-revoked"),
        (["--event", "session-revokd", "--email", "a@example.com"], #"unknown event "session-revokd""#),
        (["--event", "token-claims-change", "--email", "a@example.com", "--claims", "[1]"], "--claims must be a JSON object"),
        (["--event", "session-revoked", "--iss-sub", "alice", ], "--iss-sub must be ISS,SUB"),
    ])
    func badOptionsAreUsageErrorsAndSendNothing(arguments: [String], message: String) async throws {
        let receiver = try SSFTransmitterTestReceiver(status: 202)
        defer { receiver.stop() }
        let result = try await Self.send(arguments, to: receiver.url)
        #expect(result.status == 64)
        #expect(result.standardError.contains(message), "\(result.standardError)")
        #expect(receiver.requests.isEmpty)
    }

    @Test func noReceiverExitsOneWithTheReason() async throws {
        let receiver = try SSFTransmitterTestReceiver(status: 202)
        let url = receiver.url
        receiver.stop()
        let result = try await Self.send(["--event", "session-revoked", "--email", "a@example.com", "--timeout", "1"], to: url)
        #expect(result.status == 1)
        #expect(result.standardError.contains("ssf-transmitter: cannot reach the receiver: \(url): "), "\(result.standardError)")
    }

    /// `serve --key` with the committed fixture publishes the key `send --key` signs with.
    @Test func serveWithTheFixtureKeyPublishesTheSendersKey() async throws {
        let process = try ManagedProcess(executable: try GatewayProcess.executablePath(),
                                         arguments: ["ssf-transmitter", "serve", "--port", "0", "--key", Self.keyPath])
        try await process.waitForLine(containing: "poll:", timeout: .seconds(60))
        let line = try #require(process.log().split(separator: "\n").first { $0.contains("listening on ") })
        let baseURL = String(try #require(line.split(separator: " ").last))
        let jwks = try await runProcess("curl", ["-sS", "--fail", "--max-time", "10", baseURL + "/jwks.json"])
        await process.terminate()
        let keys = try #require((try JSONSerialization.jsonObject(with: Data(jwks.standardOutput.utf8)) as? [String: Any])?["keys"]
            as? [[String: Any]])
        #expect(keys.first?["kid"] as? String == "tx-key-1")
        let n = try #require(keys.first?["n"] as? String)
        let modulus = try #require(Self.base64URL(n))
        let openssl = try await runProcess("openssl", ["rsa", "-in", Self.keyPath, "-noout", "-modulus"])
        #expect(openssl.standardOutput == "Modulus=" + modulus.map { String(format: "%02X", $0) }.joined() + "\n")
    }
}
