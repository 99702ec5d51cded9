import DemoUpstream
import Foundation
import GatewayTesting
import NIOPosix
import Testing

/// The whole product over real sockets: the `rta-gateway` binary, a real HTTP/1.1
/// upstream, and two independent HTTP/3 clients (ngtcp2's gtlsclient and aioquic).
@Suite(.serialized)
struct GatewayEndToEndTests {
    static let routes = """
          - name: public
            path: { prefix: /public/ }
            upstream: echo
            strip_prefix: true
            public: true
          - name: slow
            path: { prefix: /slow/ }
            upstream: echo
            public: true
          - name: orders
            path: { template: "/orders/{id}" }
            methods: [GET, PUT, POST]
            upstream: echo
            public: true
            max_body_bytes: 1073741824
          - name: down
            path: { prefix: /down/ }
            upstream: closed
            public: true
          - name: timeout
            path: { prefix: /timeout/ }
            upstream: sluggish
            strip_prefix: true
            public: true

        """

    /// Starts an echo upstream and the gateway binary, runs `body`, stops both.
    func withGateway(_ body: (GatewayProcess, Int) async throws -> Void) async throws {
        try await withGateway { gateway, port, _ in try await body(gateway, port) }
    }

    func withGateway(listen: String = "", _ body: (GatewayProcess, Int, EchoUpstream) async throws -> Void) async throws {
        let upstream = EchoUpstream(eventLoopGroup: MultiThreadedEventLoopGroup.singleton)
        let upstreamPort = try await upstream.start()
        let closedPort = try await FreePort.tcp()
        let yaml = TestConfig.yaml(
            upstreams: [
                ("echo", "http://127.0.0.1:\(upstreamPort)", "120s"),
                ("closed", "http://127.0.0.1:\(closedPort)", "10s"),
                ("sluggish", "http://127.0.0.1:\(upstreamPort)", "300ms"),
            ],
            routes: Self.routes, listen: listen)
        let gateway = try await GatewayProcess.start(configYAML: yaml)
        do {
            try await body(gateway, upstreamPort, upstream)
        } catch {
            await gateway.process.terminate()
            try await upstream.shutdown()
            throw error
        }
        await gateway.process.terminate()
        try await upstream.shutdown()
    }

    @Test func methodsHeadersAndBodiesArriveIntactThroughAioquic() async throws {
        try await withGateway { gateway, _ in
            let run = try await H3Client.run(port: gateway.quicPort, plan: [
                ["method": "GET", "path": "/orders/1?expand=items", "headers": [["x-custom", "one"]]],
                ["method": "POST", "path": "/orders/2", "body_size": 100_000],
                ["method": "PUT", "path": "/orders/3", "body_hex": "68656c6c6f"],
            ])
            #expect(run.exitStatus == 0, "\(run.standardError)")
            let reports = try run.responses.map { try EchoReport.decode($0.bodyText ?? "") }
            #expect(run.responses.map(\.status) == [200, 200, 200])
            #expect(reports.map(\.method) == ["GET", "POST", "PUT"])
            #expect(reports[0].path == "/orders/1" && reports[0].query == "expand=items")
            #expect(reports[0].values(of: "x-custom") == ["one"])
            #expect(reports[1].bodyBytes == 100_000)
            #expect(reports[1].bodySHA256 == BytePattern.sha256Hex(count: 100_000))
            #expect(reports[2].bodyBytes == 5)
            #expect(reports[2].bodySHA256 == "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824")
        }
    }

    @Test func requestTrailersAreTolerated() async throws {
        try await withGateway { gateway, _ in
            let run = try await H3Client.run(port: gateway.quicPort, plan: [
                ["method": "POST", "path": "/orders/5", "body_hex": "6869", "trailers": [["x-checksum", "abc"]]],
                ["path": "/orders/6"],
            ])
            #expect(run.exitStatus == 0, "\(run.standardError)")
            #expect(run.responses.map(\.status) == [200, 200])
            let report = try EchoReport.decode(run.responses[0].bodyText ?? "")
            #expect(report.bodyBytes == 2)
            #expect(report.values(of: "x-checksum").isEmpty)
        }
    }

    @Test func proxyHeadersAreStrippedAndAdded() async throws {
        try await withGateway { gateway, _ in
            let run = try await H3Client.run(port: gateway.quicPort, plan: [
                ["path": "/orders/7", "headers": [["proxy-authorization", "secret"], ["te", "trailers"],
                                                  ["forwarded", "for=192.0.2.1"], ["via", "1.1 edge"]]],
            ])
            let report = try EchoReport.decode(run.responses.first?.bodyText ?? "")
            #expect(report.values(of: "proxy-authorization").isEmpty)
            #expect(report.values(of: "te").isEmpty)
            #expect(report.values(of: "via").last == "3 rta-gateway")
            #expect(report.values(of: "via").joined(separator: ", ").contains("1.1 edge"))
            #expect(report.values(of: "forwarded") == ["for=127.0.0.1;proto=https;host=localhost"])
            #expect(report.values(of: "host") == ["localhost"])

            let answer = try await H3Client.run(port: gateway.quicPort, plan: [
                ["path": "/public/response-headers?x-kept=1&proxy-thing=2&keep-alive=timeout%3D5"],
            ])
            let response = try #require(answer.responses.first)
            #expect(response.status == 200)
            #expect(response.header("x-kept") == "1")
            #expect(response.header("proxy-thing") == nil)
            #expect(response.header("keep-alive") == nil)
            #expect(response.header("via")?.contains("rta-gateway") == true)
        }
    }

    /// Issue 20 item 4: a client names itself in `rta_subject` and claims an address in
    /// `Forwarded`/`X-Forwarded-For`/`X-Real-IP`, on a public and a protected route. The
    /// upstream must see only what the gateway saw (the old code passed all of them on;
    /// CGI/WSGI servers read `rta_subject` as `HTTP_RTA_SUBJECT`).
    @Test func clientIdentityAndAddressHeadersNeverReachTheUpstream() async throws {
        let forged = [["forwarded", "for=10.0.0.1"], ["x-forwarded-for", "10.9.9.9"], ["rta_subject", "admin"],
                      ["rta-agent", "forged"], ["x-real-ip", "10.8.8.8"], ["x_forwarded_for", "10.7.7.7"],
                      ["x-forwarded-host", "evil.example"], ["x-forwarded-proto", "http"]]
        try await withGateway { gateway, _ in
            let run = try await H3Client.run(port: gateway.quicPort, plan: [
                ["path": "/public/hello", "headers": forged], ["path": "/orders/1", "headers": forged],
            ])
            #expect(run.responses.map(\.status) == [200, 200], "\(run.standardError)")
            for response in run.responses {
                let report = try EchoReport.decode(response.bodyText ?? "")
                for name in ["rta_subject", "rta-agent", "x-real-ip", "x_forwarded_for"] {
                    #expect(report.values(of: name).isEmpty, "\(name) reached the upstream")
                }
                #expect(report.values(of: "forwarded") == ["for=127.0.0.1;proto=https;host=localhost"])
                #expect(report.values(of: "x-forwarded-for") == ["127.0.0.1"])
                #expect(report.values(of: "x-forwarded-host") == ["localhost"])
                #expect(report.values(of: "x-forwarded-proto") == ["https"])
            }
        }
    }

    /// From a peer in `listen.trusted_proxies` the chain is kept and extended with the
    /// peer, and `rta_*` fields are still dropped: no proxy speaks for the gateway.
    @Test func trustedProxyChainIsExtended() async throws {
        try await withGateway(listen: "  trusted_proxies: [127.0.0.0/8]\n") { gateway, _, _ in
            let run = try await H3Client.run(port: gateway.quicPort, plan: [
                ["path": "/public/hello", "headers": [
                    ["forwarded", "for=198.51.100.7;proto=https"], ["x-forwarded-for", "198.51.100.7"],
                    ["x-forwarded-proto", "https"], ["x-real-ip", "198.51.100.7"], ["rta_subject", "admin"],
                ]],
            ])
            let report = try EchoReport.decode(run.responses.first?.bodyText ?? "")
            #expect(report.values(of: "forwarded")
                == ["for=198.51.100.7;proto=https", "for=127.0.0.1;proto=https;host=localhost"])
            #expect(report.values(of: "x-forwarded-for") == ["198.51.100.7, 127.0.0.1"])
            #expect(report.values(of: "x-forwarded-proto") == ["https"])
            #expect(report.values(of: "x-forwarded-host") == ["localhost"])
            #expect(report.values(of: "x-real-ip") == ["198.51.100.7"])
            #expect(report.values(of: "rta_subject").isEmpty)
        }
    }

    @Test func errorsMapToStatusesWithJSONBodies() async throws {
        try await withGateway { gateway, _ in
            let run = try await H3Client.run(port: gateway.quicPort, plan: [
                ["path": "/nowhere"],
                ["path": "/down/x"],
                ["path": "/timeout/slow/2000"],
                ["method": "DELETE", "path": "/orders/1"],
            ])
            #expect(run.responses.map(\.status) == [404, 502, 504, 405])
            for response in run.responses {
                let json = try JSONSerialization.jsonObject(with: Data((response.bodyText ?? "").utf8)) as? [String: Any]
                #expect(json?["error"] is String, "\(response.bodyText ?? "")")
                #expect(response.header("content-type") == "application/json")
            }
            #expect(run.responses[3].header("allow")?.contains("GET") == true)
        }
    }

    @Test func gtlsclientGetsCorrectBodiesForHundredStreamsOnOneConnection() async throws {
        try await withGateway { gateway, _ in
            let directory = try TemporaryDirectory()
            let uris = (0..<100).map { "https://localhost/public/bytes/\(1000 + $0)" }
            let result = try await runProcess(
                "gtlsclient",
                ["-q", "--exit-on-all-streams-close", "--download", directory.path, "127.0.0.1", "\(gateway.quicPort)"]
                    + uris)
            #expect(result.status == 0, "\(result.standardError)")
            for index in 0..<100 {
                let data = try Data(contentsOf: URL(fileURLWithPath: "\(directory.path)/\(1000 + index)"))
                #expect(data.count == 1000 + index)
                #expect(data.enumerated().allSatisfy { $0.element == UInt8($0.offset % 251) })
            }
        }
    }

    @Test func hundredConcurrentStreamsAndFiftyConnectionsThroughAioquic() async throws {
        try await withGateway { gateway, _ in
            let oneConnection = try await H3Client.run(
                port: gateway.quicPort, plan: (0..<100).map { ["path": "/orders/\($0)"] })
            #expect(oneConnection.exitStatus == 0, "\(oneConnection.standardError)")
            #expect(oneConnection.responses.count == 100)
            let paths = try oneConnection.responses.map { try EchoReport.decode($0.bodyText ?? "").path }
            #expect(paths == (0..<100).map { "/orders/\($0)" })

            let fifty = try await H3Client.run(
                port: gateway.quicPort, plan: (0..<100).map { ["path": "/public/c\($0)"] }, connections: 50)
            #expect(fifty.exitStatus == 0, "\(fifty.standardError)")
            #expect(fifty.responses.filter { $0.status == 200 }.count == 100)
        }
    }

    @Test func malformedRequestIsResetWhileTheConnectionKeepsServing() async throws {
        try await withGateway { gateway, _ in
            let run = try await H3Client.run(port: gateway.quicPort, plan: [
                ["raw_headers": [[":method", "GET"], [":scheme", "https"], [":authority", "localhost"]],
                 "expect_stream_reset": true],
                ["raw_headers": [[":method", "GET"], [":scheme", "https"], [":authority", "localhost"],
                                 [":path", "/orders/1"], ["Bad-Case", "x"]],
                 "expect_stream_reset": true],
                ["path": "/orders/9"],
            ])
            #expect(run.exitStatus == 0, "\(run.standardError)")
            #expect(run.responses[0].resetCode == 0x10e)
            #expect(run.responses[1].resetCode == 0x10e)
            #expect(run.responses[2].status == 200)
        }
    }

    @Test func largeBodiesStreamBothWaysWithBoundedMemory() async throws {
        let size = 256 * 1024 * 1024
        try await withGateway { gateway, _ in
            let before = try gateway.memoryKiB().current
            let run = try await H3Client.run(port: gateway.quicPort, plan: [
                ["method": "POST", "path": "/orders/upload", "body_size": size, "chunk_size": 65536],
                ["path": "/public/bytes/\(size)"],
            ], extraArguments: ["--request-timeout", "240", "--total-timeout", "280"])
            #expect(run.exitStatus == 0, "\(run.standardError)")
            #expect(run.responses.map(\.status) == [200, 200])
            let upload = try EchoReport.decode(run.responses[0].bodyText ?? "")
            #expect(upload.bodyBytes == size)
            #expect(upload.bodySHA256 == BytePattern.sha256Hex(count: size))
            #expect(run.responses[1].bodyBytes == size)
            #expect(run.responses[1].bodySHA256 == BytePattern.sha256Hex(count: size))
            let peak = try gateway.memoryKiB().peak
            #expect(peak - before < 64 * 1024, "RSS grew from \(before) KiB to a peak of \(peak) KiB")
        }
    }

    @Test func sigtermDrainsAnInFlightRequest() async throws {
        try await withGateway { gateway, _, upstream in
            async let slow = H3Client.run(port: gateway.quicPort, plan: [["path": "/slow/1500"]])
            // SIGTERM only once the request has reached the upstream (the Python client's
            // start-up time varies a lot on a fresh virtualenv).
            let deadline = ContinuousClock.now + .seconds(30)
            while upstream.traffic.requestsStarted == 0, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(upstream.traffic.requestsStarted == 1)
            let status = await gateway.process.terminate(grace: .seconds(10))
            let run = try await slow
            #expect(run.responses.first?.status == 200, "\(run.standardError)")
            #expect(try EchoReport.decode(run.responses.first?.bodyText ?? "").path == "/slow/1500")
            #expect(status == 0, "\(gateway.process.log())")
            #expect(gateway.process.log().contains("draining"))
        }
    }
}

extension EchoReport {
    static func decode(_ text: String) throws -> EchoReport {
        try JSONDecoder().decode(EchoReport.self, from: Data(text.utf8))
    }
}
