import DemoUpstream
import Foundation
import GatewayTesting
import Testing

/// Requests crafted to slip past routing or to confuse the gateway or its upstream:
/// each is refused with a clear status, recorded in the audit log, and the gateway
/// goes on serving. Tests run the real binary (`EnforcementHarness`) with aioquic.
@Suite("Attack: crafted requests", .serialized)
struct RequestAttackTests {
    static func records(_ harness: EnforcementHarness) async throws -> [[String: Any]] {
        await harness.stopGateway()
        return try harness.auditRecords().records.filter { $0["kind"] as? String == "request" }
    }

    @Test("the public route cannot reach the protected API: /public/orders/42 reaches the upstream as itself, and is audited")
    func publicRouteDoesNotReachTheProtectedAPI() async throws {
        try await EnforcementHarness.run { harness in
            let run = try await H3Client.run(port: harness.gateway.quicPort, plan: [["path": "/public/orders/42"]])
            #expect(run.responses.first?.status == 200)
            let report = try EchoReport.decode(try #require(run.responses.first?.bodyText))
            #expect(report.path == "/public/orders/42", "the upstream saw \(report.path)")
            let records = try await Self.records(harness)
            #expect(records.count == 1)
            #expect(records.first?["reason"] as? String == "public_route" && records.first?["decision"] as? String == "allow")
            #expect(records.first?["route"] as? String == "public" && records.first?["status"] as? Int == 200)
        }
    }

    @Test("path tricks (.., %2e%2e, //, ;, encoded slash, encoded NUL), unknown paths and wrong methods are refused and audited")
    func pathTricksAreRefusedAndAudited() async throws {
        try await EnforcementHarness.run { harness in
            let tricks = ["/public/../orders/1", "/public/%2e%2E/orders/1", "/public//orders/1", "/public/..;/orders/1",
                          "/orders/1;jsessionid=x", "/public/a%2Fb", "/public/a%00b"]
            var plan: [[String: Any]] = tricks.map { ["path": $0] }
            plan.append(["path": "/nowhere"])
            plan.append(["method": "DELETE", "path": "/orders/1"])
            let run = try await H3Client.run(port: harness.gateway.quicPort, plan: plan)
            #expect(run.responses.map(\.status) == Array(repeating: 400, count: tricks.count) + [404, 405])
            for response in run.responses.prefix(tricks.count) {
                #expect(response.bodyText?.contains(#""error":"bad_request""#) == true, "\(response.bodyText ?? "")")
            }
            let after = try await H3Client.run(port: harness.gateway.quicPort, plan: [["path": "/public/still-serving"]])
            #expect(after.responses.first?.status == 200)

            let records = try await Self.records(harness)
            let reasons = records.filter { $0["decision"] as? String == "block" }.compactMap { $0["reason"] as? String }
            #expect(reasons.filter { $0 == "bad_path" }.count == tricks.count, "\(reasons)")
            #expect(reasons.contains("no_route") && reasons.contains("method_not_allowed"), "\(reasons)")
        }
    }

    static func request(_ extra: [[String]]) -> [String: Any] {
        ["raw_headers": [[":method", "GET"], [":scheme", "https"], [":authority", "localhost"], [":path", "/public/h"]] + extra]
    }

    /// nghttp3 removes a field whose value is not valid (RFC 9110 §5.5) before the
    /// gateway sees the request, so nothing of it can be forwarded.
    @Test("CR, LF and NUL in a header value never reach the upstream: the field is removed")
    func controlCharactersInHeaderValuesAreRemoved() async throws {
        try await EnforcementHarness.run { harness in
            let run = try await H3Client.run(port: harness.gateway.quicPort, plan: [
                Self.request([["x-note", "a\r\nx-injected: 1"], ["x-kept", "fine"]]),
                Self.request([["x-note", "a\u{0}b"], ["x-kept", "fine"]]),
            ])
            for response in run.responses {
                #expect(response.status == 200, "\(response)")
                let report = try EchoReport.decode(response.bodyText ?? "")
                #expect(report.values(of: "x-note").isEmpty && report.values(of: "x-injected").isEmpty, "\(report.headers)")
                #expect(report.values(of: "x-kept") == ["fine"])
            }
        }
    }

    @Test("a host that differs from :authority is refused and audited; a repeated host or :authority is reset")
    func conflictingHostIsRefused() async throws {
        try await EnforcementHarness.run { harness in
            let run = try await H3Client.run(port: harness.gateway.quicPort, plan: [
                Self.request([["host", "admin.internal"]]),
                Self.request([["host", "LOCALHOST"]]),
                ["raw_headers": [[":method", "GET"], [":scheme", "https"], [":authority", "localhost"],
                                 [":path", "/public/h"], ["host", "localhost"], ["host", "admin.internal"]],
                 "expect_stream_reset": true],
                ["raw_headers": [[":method", "GET"], [":scheme", "https"], [":authority", "localhost"],
                                 [":authority", "admin.internal"], [":path", "/public/h"]],
                 "expect_stream_reset": true],
            ])
            #expect(run.responses.map(\.status) == [400, 200, nil, nil])
            #expect(run.responses[0].bodyText?.contains("host must name the same host as :authority") == true,
                    "\(run.responses[0])")
            // nghttp3 treats a repeated host or :authority as a malformed request (RFC 9114 §4.1.2).
            #expect(run.responses[2].resetCode == 0x10e, "\(run.responses[2])")
            #expect(run.responses[3].resetCode == 0x10e, "\(run.responses[3])")
            let after = try await H3Client.run(port: harness.gateway.quicPort, plan: [["path": "/public/still-serving"]])
            #expect(after.responses.first?.status == 200)
            let records = try await Self.records(harness)
            #expect(records.filter { $0["reason"] as? String == "conflicting_host" }.count == 1, "\(records)")
        }
    }

    @Test("an oversized header section is 431; a body over the route's limit is 413, declared or streamed")
    func oversizedRequestsAreRefused() async throws {
        try await EnforcementHarness.run { harness in
            let run = try await H3Client.run(port: harness.gateway.quicPort, plan: [
                ["path": "/public/big-headers", "headers": [["x-filler", String(repeating: "a", count: 40_000)]]],
                ["method": "POST", "path": "/uploads/declared", "headers": [["content-length", "4096"]], "body_size": 4096],
                ["method": "POST", "path": "/uploads/streamed", "body_size": 4096, "chunk_size": 512],
                ["method": "POST", "path": "/uploads/small", "body_size": 1000],
            ])
            #expect(run.responses.map(\.status) == [431, 413, 413, 200], "\(run.responses)")
            #expect(run.responses[0].bodyText?.contains("request_header_fields_too_large") == true)
            #expect(run.responses[1].bodyText?.contains(#""error":"payload_too_large""#) == true)
            #expect(harness.gateway.process.isRunning)
            let records = try await Self.records(harness)
            #expect(records.contains { $0["reason"] as? String == "header_too_large" && $0["status"] as? Int == 431 })
            #expect(records.contains { $0["reason"] as? String == "body_too_large" && $0["route"] as? String == "uploads" })
            #expect(records.contains { $0["path"] as? String == "/uploads/streamed" && $0["status"] as? Int == 413 })
        }
    }
}
