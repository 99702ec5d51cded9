import DemoUpstream
import Foundation
import HTTP3
import NIOCore
import Testing

@testable import Gateway

/// The proxy against a real `EchoUpstream` on loopback: what the upstream receives is
/// read from its own report, not from the proxy.
@Suite struct ReverseProxyTests {
    private func report(_ writer: CollectingResponseWriter) throws -> EchoReport {
        try JSONDecoder().decode(EchoReport.self, from: Data(writer.recorded.body))
    }

    @Test func forwardsMethodPathAndQueryUnchanged() async throws {
        try await ProxyHarness.run { harness in
            let writer = try await harness.send("DELETE", "/things/x%20y?q=1&r=%2F")
            #expect(writer.recorded.status == 200)
            #expect(writer.recorded.finished)
            let seen = try report(writer)
            #expect(seen.method == "DELETE")
            #expect(seen.path == "/things/x%20y")
            #expect(seen.query == "q=1&r=%2F")
        }
    }

    @Test func requestHopByHopFieldsAreStrippedAndViaForwardedHostAdded() async throws {
        try await ProxyHarness.run { harness in
            let writer = try await harness.send("GET", "/echo", headers: [
                HTTP3Header("connection", "x-hop, keep-alive"), HTTP3Header("x-hop", "1"),
                HTTP3Header("keep-alive", "300"), HTTP3Header("te", "trailers"), HTTP3Header("upgrade", "h2c"),
                HTTP3Header("proxy-authorization", "Basic abc"), HTTP3Header("transfer-encoding", "chunked"),
                HTTP3Header("authorization", "RTA token"), HTTP3Header("rta-subject", "forged"),
                HTTP3Header("host", "GW.example:4433"),
                HTTP3Header("x-end-to-end", "kept"), HTTP3Header("cookie", "a=1"), HTTP3Header("cookie", "b=2"),
                HTTP3Header("via", "1.1 corp-proxy"), HTTP3Header("forwarded", "for=10.0.0.1"),
            ])
            let seen = try report(writer)
            for name in ["connection", "x-hop", "keep-alive", "te", "upgrade", "proxy-authorization",
                         "transfer-encoding", "authorization", "rta-subject"] {
                #expect(seen.values(of: name).isEmpty, "\(name) reached the upstream")
            }
            #expect(seen.values(of: "host") == ["gw.example:4433"])
            #expect(seen.values(of: "x-end-to-end") == ["kept"])
            #expect(seen.values(of: "cookie") == ["a=1; b=2"])
            #expect(seen.values(of: "via") == ["1.1 corp-proxy", "3 rta-gateway"])
            #expect(seen.values(of: "forwarded") == [#"for=192.0.2.7;proto=https;host="gw.example:4433""#])
        }
    }

    /// Issue 20 item 4, from a peer that is not a trusted proxy: identity fields in any
    /// spelling are dropped and every address field is the gateway's own view.
    @Test func identityAndAddressFieldsFromAnUntrustedPeerAreReplaced() async throws {
        try await ProxyHarness.run { harness in
            let writer = try await harness.send("GET", "/echo", headers: [
                HTTP3Header("rta_subject", "admin"), HTTP3Header("rta-session", "forged"), HTTP3Header("rta", "x"),
                HTTP3Header("forwarded", "for=10.0.0.1"), HTTP3Header("x-forwarded-for", "10.9.9.9"),
                HTTP3Header("x_forwarded_for", "10.7.7.7"), HTTP3Header("x-forwarded-host", "evil.example"),
                HTTP3Header("x-forwarded-proto", "http"), HTTP3Header("x-forwarded-prefix", "/admin"),
                HTTP3Header("x-real-ip", "10.8.8.8"), HTTP3Header("true-client-ip", "10.6.6.6"),
                HTTP3Header("x-rta-note", "kept"),
            ])
            let seen = try report(writer)
            for name in ["rta_subject", "rta-session", "rta", "x_forwarded_for", "x-forwarded-prefix", "x-real-ip",
                         "true-client-ip"] {
                #expect(seen.values(of: name).isEmpty, "\(name) reached the upstream")
            }
            #expect(seen.values(of: "forwarded") == [#"for=192.0.2.7;proto=https;host="gw.example:4433""#])
            #expect(seen.values(of: "x-forwarded-for") == ["192.0.2.7"])
            #expect(seen.values(of: "x-forwarded-host") == ["gw.example:4433"])
            #expect(seen.values(of: "x-forwarded-proto") == ["https"])
            #expect(seen.values(of: "x-rta-note") == ["kept"])
        }
    }

    /// From a trusted proxy the chain is kept and this hop appended; underscore spellings
    /// and `rta-*` fields are still dropped.
    @Test func addressFieldsFromATrustedProxyAreExtended() async throws {
        try await ProxyHarness.run { harness in
            let writer = try await harness.send("GET", "/echo", headers: [
                HTTP3Header("forwarded", "for=203.0.113.5"), HTTP3Header("x-forwarded-for", "203.0.113.5, 10.1.1.1"),
                HTTP3Header("x-forwarded-proto", "https"), HTTP3Header("x-forwarded-host", "api.example"),
                HTTP3Header("x-real-ip", "203.0.113.5"), HTTP3Header("x_real_ip", "10.0.0.1"),
                HTTP3Header("rta-subject", "admin"),
            ], from: try SocketAddress(ipAddress: "198.51.100.9", port: 443))
            let seen = try report(writer)
            #expect(seen.values(of: "forwarded") == ["for=203.0.113.5", #"for=198.51.100.9;proto=https;host="gw.example:4433""#])
            #expect(seen.values(of: "x-forwarded-for") == ["203.0.113.5, 10.1.1.1, 198.51.100.9"])
            #expect(seen.values(of: "x-forwarded-proto") == ["https"])
            #expect(seen.values(of: "x-forwarded-host") == ["api.example"])
            #expect(seen.values(of: "x-real-ip") == ["203.0.113.5"])
            #expect(seen.values(of: "x_real_ip").isEmpty)
            #expect(seen.values(of: "rta-subject").isEmpty)

            let v6 = try await harness.send(
                "GET", "/echo", headers: [HTTP3Header("x-forwarded-for", "203.0.113.5")],
                from: try SocketAddress(ipAddress: "2001:db8:1::9", port: 443))
            #expect(try report(v6).values(of: "x-forwarded-for") == ["203.0.113.5, 2001:db8:1::9"])
        }
    }

    @Test func forwardedQuotesAnIPv6Client() async throws {
        try await ProxyHarness.run { harness in
            let writer = try await harness.send(
                "GET", "/echo", from: try SocketAddress(ipAddress: "2001:db8::7", port: 443))
            #expect(try report(writer).values(of: "forwarded")
                == [#"for="[2001:db8::7]";proto=https;host="gw.example:4433""#])
        }
    }

    @Test func responseHopByHopFieldsAreStrippedAndViaAdded() async throws {
        try await ProxyHarness.run { harness in
            let writer = try await harness.send(
                "GET", "/response-headers?connection=x-secret&x-secret=1&keep-alive=timeout%3D5"
                    + "&proxy-authenticate=Basic&upgrade=h2c&X-Kept=yes")
            #expect(writer.recorded.status == 200)
            let names = writer.recorded.headers.map(\.name)
            for name in ["connection", "x-secret", "keep-alive", "proxy-authenticate", "upgrade", "transfer-encoding"] {
                #expect(!names.contains(name), "\(name) reached the client")
            }
            #expect(names.allSatisfy { $0 == $0.lowercased() })
            #expect(writer.header("x-kept") == "yes")
            #expect(writer.headers(named: "via") == ["1.1 rta-gateway"])
            #expect(writer.header("content-type") == "application/json")
        }
    }

    @Test func bodyWithContentLengthIsStreamedWithThatLength() async throws {
        try await ProxyHarness.run { harness in
            let body = HTTP3RequestBody([ByteBuffer(string: "a"), ByteBuffer(string: "b"), ByteBuffer(string: "c")])
            let writer = try await harness.send("POST", "/upload", headers: [HTTP3Header("content-length", "3")], body: body)
            let seen = try report(writer)
            #expect(seen.bodyBytes == 3)
            #expect(seen.bodySHA256 == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
            #expect(seen.values(of: "content-length") == ["3"])
            #expect(seen.values(of: "transfer-encoding").isEmpty)
        }
    }

    @Test func bodyWithoutLengthIsSentChunked() async throws {
        try await ProxyHarness.run { harness in
            let body = HTTP3RequestBody([ByteBuffer(string: "ab"), ByteBuffer(string: "c")])
            let seen = try report(try await harness.send("PUT", "/upload", body: body))
            #expect(seen.bodyBytes == 3)
            #expect(seen.bodySHA256 == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
            #expect(seen.values(of: "transfer-encoding") == ["chunked"])
        }
    }

    @Test func emptyBodyIsSentAsNoBody() async throws {
        try await ProxyHarness.run { harness in
            let seen = try report(try await harness.send("GET", "/nothing"))
            #expect(seen.bodyBytes == 0)
            #expect(seen.values(of: "transfer-encoding").isEmpty)
            #expect(seen.values(of: "content-length").allSatisfy { $0 == "0" })
        }
    }

    @Test func stripPrefixBasePathAndRoundRobinShapeTheUpstreamPath() async throws {
        try await ProxyHarness.run { harness in
            var paths: [String] = []
            for _ in 0..<4 {
                paths.append(try report(try await harness.send("GET", "/spread/x?k=v")).path)
            }
            #expect(paths.sorted() == ["/a/x", "/a/x", "/b/x", "/b/x"])
            #expect(paths[0] != paths[1])
        }
    }

    @Test func aSmallFramedAnswerIsWrittenInOnePieceAnUnframedOneStreamed() async throws {
        try await ProxyHarness.run { harness in
            let small = try await harness.send("GET", "/small/x")
            let length = try #require(small.header("content-length").flatMap(Int.init), "the echo answer is framed")
            #expect(length <= ReverseProxy.wholeResponseLimit && small.recorded.bodyBytes == length)
            #expect(small.recorded.whole, "head, body and end in one call")
            #expect(try report(small).path == "/small/x")
            let streamed = try await harness.send("GET", "/bytes/1000", into: CollectingResponseWriter(retainLimit: 0))
            #expect(streamed.recorded.bodyBytes == 1000 && streamed.recorded.finished)
            #expect(!streamed.recorded.whole, "a chunked answer is streamed as it comes")
        }
    }

    @Test func upstreamStatusIsPassedThrough() async throws {
        try await ProxyHarness.run { harness in
            let writer = try await harness.send("GET", "/status/503")
            #expect(writer.recorded.status == 503)
            #expect(try report(writer).path == "/status/503")
        }
    }

    @Test func refusedConnectionIs502WithJSONBody() async throws {
        try await ProxyHarness.run { harness in
            let started = ContinuousClock.now
            let writer = try await harness.send("GET", "/down/x")
            #expect(writer.recorded.status == 502)
            #expect(writer.header("content-type") == "application/json")
            #expect(writer.bodyString == #"{"error":"bad_gateway","message":"the upstream could not be reached"}"#)
            #expect(started.duration(to: .now) < .seconds(2), "a refused connection must not wait for the connect timeout")
        }
    }

    @Test func slowUpstreamIs504AfterTheResponseTimeout() async throws {
        try await ProxyHarness.run { harness in
            let started = ContinuousClock.now
            let writer = try await harness.send("GET", "/impatient/slow/3000")
            let elapsed = started.duration(to: .now)
            #expect(writer.recorded.status == 504)
            #expect(writer.bodyString == #"{"error":"gateway_timeout","message":"the upstream did not answer in time"}"#)
            #expect(elapsed >= .milliseconds(300) && elapsed < .milliseconds(2500))
        }
    }
}
