import Foundation
import GatewayTesting
import Testing

/// PROTOCOL.md §8 under load: 10,000 requests with a valid token through the real
/// gateway (one aioquic connection, 32 streams in flight) produce exactly 10,000
/// `request` records plus the exchange's `token` record — none lost, none doubled —
/// the files verify with `rta-gateway audit verify`, and an edited line in a copy is
/// reported at its own line number.
@Suite(.serialized)
struct AuditVolumeTests {
    static let requests = 10_000
    /// 1-based position of the record edited in the copy.
    static let tamperedRecord = 7_777

    @Test func tenThousandRequestsAreTenThousandVerifiableRecords() async throws {
        let harness = try await EnforcementHarness.start(fsync: "interval")
        do {
            let jwt = try await harness.mintIdPToken()
            let report = try await RTALoadClient.run(
                port: harness.gateway.quicPort, exchangeForm: EnforcementHarness.exchangeForm(subjectToken: jwt),
                phases: [.init(name: "orders", path: "/orders/1", authenticated: true)],
                requests: Self.requests, concurrency: 32)
            let result = try #require(report.results.first, "rta_load.py: \(report.standardError)")
            #expect(report.exitStatus == 0)
            #expect(result.statuses == ["200": Self.requests], "client-side failures: \(result.errors)")

            await harness.stopGateway()
            let (files, records) = try harness.auditRecords()
            #expect(records.count == Self.requests + 1, """
                the client saw \(result.statuses) and \(result.errors); gateway warnings and errors:
                \(harness.gateway.process.log().split(separator: "\n").filter { $0.contains(" warning ") || $0.contains(" error ") }
                    .suffix(20).joined(separator: "\n"))
                """)
            #expect(records.first?["kind"] as? String == "token")
            let requestRecords = records.dropFirst()
            #expect(requestRecords.allSatisfy { $0["kind"] as? String == "request" })
            #expect(requestRecords.allSatisfy { $0["decision"] as? String == "allow" && $0["status"] as? Int == 200 })
            #expect(records.map { $0["seq"] as? Int ?? 0 } == Array(1...records.count))

            let verified = try await runProcess(GatewayProcess.executablePath(), ["audit", "verify"] + files)
            let head = try #require(records.last?["hash"] as? String)
            #expect(verified.status == 0, "\(verified.standardError)")
            #expect(verified.standardOutput == "OK: \(Self.requests + 1) records, head \(head)\n")

            try await expectTamperedCopyIsReported(files)
        } catch {
            await harness.shutdown()
            throw error
        }
        await harness.shutdown()
    }

    /// Copies the files, changes `status` 200 → 201 in record `tamperedRecord`, and
    /// expects the verifier to name that file and line.
    private func expectTamperedCopyIsReported(_ files: [String]) async throws {
        let copy = try TemporaryDirectory()
        var copies: [String] = []
        var remaining = Self.tamperedRecord
        var tampered: (file: String, line: Int)?
        for file in files {
            let target = copy.path + "/" + (file as NSString).lastPathComponent
            var lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
                .map(String.init)
            let count = lines.last == "" ? lines.count - 1 : lines.count
            if tampered == nil, remaining <= count {
                #expect(lines[remaining - 1].contains(#""status":200,"#))
                lines[remaining - 1] = lines[remaining - 1].replacingOccurrences(of: #""status":200,"#, with: #""status":201,"#)
                tampered = (target, remaining)
            } else if tampered == nil {
                remaining -= count
            }
            try lines.joined(separator: "\n").write(toFile: target, atomically: true, encoding: .utf8)
            copies.append(target)
        }
        let spot = try #require(tampered)
        let result = try await runProcess(GatewayProcess.executablePath(), ["audit", "verify"] + copies)
        #expect(result.status == 1)
        #expect(result.standardOutput == "")
        #expect(result.standardError.hasPrefix("\(spot.file):\(spot.line): hash_mismatch: seq \(Self.tamperedRecord): "),
                "\(result.standardError)")
    }
}
