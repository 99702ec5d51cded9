import Foundation
import GatewayTesting
import Testing

/// What the gateway does when its audit log stops accepting records (docs/audit.md,
/// "Fail closed"): it refuses what it would have to record, keeps running, and says
/// why. The failure is real: `rotate_bytes` is small and the log's next file is a
/// directory, so the writer's first rotation cannot open it and the writer stops.
@Suite(.serialized)
struct AuditFailureTests {
    @Test func auditedRequestsAndExchangesAre503OnceUnauditedPublicRoutesStillServed() async throws {
        let harness = try await EnforcementHarness.start(fsync: "never", rotateBytes: 2_048)
        do {
            try blockRotation(in: harness.auditDirectory)
            let jwt = try await harness.mintIdPToken()
            let exchange = RTAFlowClient.Step(
                method: "POST", path: "/.well-known/rta/token", headers: EnforcementHarness.formHeaders,
                body: EnforcementHarness.exchangeForm(subjectToken: jwt))
            // Paced, so each call's record is written (or fails) before the next call.
            let calls = (1...16).map {
                RTAFlowClient.Step(method: "GET", path: "/orders/\($0)", headers: [("authorization", "RTA {rta}")],
                                   sleepMilliseconds: 30)
            }
            var exchangeAgain = exchange
            exchangeAgain.body = EnforcementHarness.exchangeForm(subjectToken: jwt)
            let answers = try await RTAFlowClient.run(
                port: harness.gateway.quicPort,
                steps: [exchange] + calls + [exchangeAgain, .init(method: "GET", path: "/public/audited"),
                                             .init(method: "GET", path: "/assets/still-served")])
            let statuses = answers.map(\.status)
            #expect(statuses.first == 200)
            let callStatuses = Array(statuses[1...calls.count])
            let firstRefusal = try #require(callStatuses.firstIndex(of: 503), "no call refused: \(callStatuses)")
            #expect(firstRefusal > 0 && callStatuses[..<firstRefusal].allSatisfy { $0 == 200 }
                    && callStatuses[firstRefusal...].allSatisfy { $0 == 503 },
                    "served until the writer stopped, refused from then on: \(callStatuses)")
            #expect(answers[1 + firstRefusal].body.contains("the audit log is unavailable"), "\(answers[1 + firstRefusal].body)")
            #expect(statuses[calls.count + 1] == 503, "a new exchange is refused: \(answers[calls.count + 1].body)")
            #expect(statuses[calls.count + 2] == 503, "an audited public route is refused too")
            #expect(statuses.last == 200, "a public route with audit: false stays served")
            #expect(harness.gateway.process.isRunning)
            #expect(harness.gateway.process.log().contains("audit writer stopped"))
        } catch {
            await harness.shutdown()
            throw error
        }
        await harness.shutdown()
    }

    /// A push is answered once its records are written; when they cannot be, 503, since
    /// a transmitter forgets a SET it got a 202 for.
    @Test func pushIsAnswered503WhenTheAuditLogCannotRecordIt() async throws {
        try await SignalsHarness.run(auditYAML: "rotate_bytes: 2048") { harness in
            try blockRotation(in: harness.auditDirectory.path)
            var statuses: [Int] = []
            while statuses.count < 40, statuses.last != 503 {
                let pushed = try await harness.push("session-revoked", subject: .email("nobody-\(statuses.count)@example.com"))
                statuses.append(pushed.status)
                if pushed.status == 503 {
                    #expect(pushed.body.contains("signal not recorded"), "\(pushed.body)")
                }
            }
            #expect(statuses.count > 1 && statuses.dropLast().allSatisfy { $0 == 202 } && statuses.last == 503,
                    "202 until the first file is full, then 503: \(statuses)")
            let again = try await harness.push("session-revoked", subject: .email("nobody-again@example.com"))
            #expect(again.status == 503, "\(again.body)")
            #expect(harness.gateway.process.isRunning)
            #expect(harness.gateway.process.log().contains("audit writer stopped"))
        }
    }
}

/// Makes the audit log's second file a directory, so rotating to it fails.
private func blockRotation(in auditDirectory: String) throws {
    try FileManager.default.createDirectory(atPath: auditDirectory + "/gateway.000002.jsonl", withIntermediateDirectories: false)
}
