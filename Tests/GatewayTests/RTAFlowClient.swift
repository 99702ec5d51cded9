import Foundation
import GatewayTesting

/// Runs requests one after another on ONE aioquic connection, substituting the RTA
/// token from an earlier exchange answer into later requests. `H3Client` plans are
/// static, but a token is bound to the connection it was issued on, so the exchange and
/// the calls that use it must share the connection. Reuses `Tests/peers/h3client.py`'s
/// protocol class; only the sequencing lives here.
enum RTAFlowClient {
    struct Step {
        var method: String
        var path: String
        var headers: [(String, String)] = []
        var body: String?
    }

    struct Answer {
        var status: Int?
        var headers: [(name: String, value: String)]
        var body: String

        func header(_ name: String) -> String? {
            headers.first { $0.name == name }?.value
        }
    }

    /// In header values and bodies, `{rta}` is the token from the last 200 answer with
    /// an `access_token`, and `{rta_flipped}` the same token with one signature bit flipped.
    static func run(port: Int, steps: [Step]) async throws -> [Answer] {
        let directory = try TemporaryDirectory()
        let script = directory.path + "/rta_flow.py"
        try Self.script.write(toFile: script, atomically: true, encoding: .utf8)
        let plan = steps.map { step -> [String: Any] in
            var object: [String: Any] = [
                "method": step.method, "path": step.path, "headers": step.headers.map { [$0.0, $0.1] },
            ]
            if let body = step.body { object["body"] = body }
            return object
        }
        let input = String(decoding: try JSONSerialization.data(withJSONObject: plan), as: UTF8.self)
        let result = try await runProcess(
            try H3Client.interpreter(), [script, RepositoryPaths.peers, "\(port)"], input: input, timeout: .seconds(60))
        guard result.status == 0 else {
            throw FlowFailure(description: "rta_flow.py failed (\(result.status)): \(result.standardError)")
        }
        return try result.standardOutput.split(separator: "\n").map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
            let headers = (object["headers"] as? [[String]] ?? []).compactMap { $0.count == 2 ? (name: $0[0], value: $0[1]) : nil }
            return Answer(status: object["status"] as? Int, headers: headers, body: object["body"] as? String ?? "")
        }
    }

    struct FlowFailure: Error, CustomStringConvertible {
        var description: String
    }

    static let script = #"""
    import asyncio, base64, json, ssl, sys
    sys.path.insert(0, sys.argv[1])
    import h3client
    from aioquic.asyncio.client import connect
    from aioquic.h3.connection import H3_ALPN
    from aioquic.quic.configuration import QuicConfiguration

    def b64d(text):
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))

    def b64e(data):
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    async def main():
        steps = json.load(sys.stdin)
        config = QuicConfiguration(is_client=True, alpn_protocols=H3_ALPN, server_name="localhost")
        config.verify_mode = ssl.CERT_NONE
        def make(*a, **kw):
            proto = h3client.H3ClientProtocol(*a, **kw)
            proto.authority = "localhost"
            return proto
        token = ""
        async with connect("127.0.0.1", int(sys.argv[2]), configuration=config, create_protocol=make) as proto:
            for index, step in enumerate(steps):
                raw = bytearray(b64d(token)) if token else bytearray()
                if raw:
                    raw[100] ^= 0x01
                def fill(text):
                    return text.replace("{rta_flipped}", b64e(bytes(raw))).replace("{rta}", token)
                request = h3client.Request(index=index, method=step["method"], path=step["path"])
                request.headers = [(n.encode(), fill(v).encode()) for n, v in step["headers"]]
                if "body" in step:
                    request.body = fill(step["body"]).encode()
                outcome = h3client.Outcome(request=request, connection=0)
                await proto.run(request, outcome, 20.0)
                body = bytes(outcome.captured).decode("utf-8", "replace")
                if outcome.status == 200:
                    try:
                        token = json.loads(body).get("access_token", token)
                    except (ValueError, AttributeError):
                        pass
                print(json.dumps({"status": outcome.status, "headers": outcome.headers, "body": body}), flush=True)

    asyncio.run(main())
    """#
}
