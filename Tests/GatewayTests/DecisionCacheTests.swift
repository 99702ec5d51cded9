import DemoUpstream
import Foundation
import GatewayConfig
import GatewayTesting
import HTTP3
import NIOCore
import NIOPosix
import RTATokens
import Testing

@testable import Gateway
@testable import GatewayPolicy

/// Decision reuse through the real pipeline and policies: a repeated request is not
/// evaluated again, and every change that can change the answer (path, signals,
/// policies that read the time) is evaluated afresh.
@Suite struct DecisionCacheTests {
    @Test func aRepeatedRequestReusesItsDecisionUntilTheSessionContextChanges() async throws {
        let root = RepositoryPaths.root
        let harness = try await PolicyPipelineHarness.start(policyDirectory: "\(root)/policies", schema: "\(root)/policies/schema.cedarschema")
        var (session, token) = try await harness.newSession(scopes: ["orders:read"])
        let (_, unscoped) = try await harness.newSession(scopes: [])
        let cache = harness.enforcement.decisions

        #expect(try await harness.status(token, path: "/orders/42") == 200)
        #expect(try await harness.status(token, path: "/orders/42?page=2") == 200)
        #expect(cache.count == 1)
        #expect(try await harness.status(token, path: "/orders/43") == 200)
        #expect(try await harness.status(unscoped, path: "/orders/42") == 403)
        #expect(try await harness.status(unscoped, path: "/orders/42") == 403)
        #expect(cache.count == 3)

        // A risk signal re-hashes the context: the new token's requests are decided again
        // (forbid-high-risk), and the old token no longer gets that far.
        session.signals.riskLevel = .high
        let fresh = session.issueToken(keyRing: harness.enforcement.validator.keyRing, at: TokenClock.system.now())
        session = try await harness.enforcement.sessions.update(session, token: fresh)
        #expect(try await harness.status(fresh, path: "/orders/42") == 403)
        #expect(try await harness.status(token, path: "/orders/42") == 401)
        #expect(cache.count == 4)
        try await harness.shutdown()
    }

    @Test func policiesThatReadTheTimeAreEvaluatedForEveryRequest() async throws {
        let folder = try TemporaryDirectory()
        try #"""
            permit (principal, action, resource)
            when { context.scopes.contains("orders:read") && context.time > datetime("2000-01-01") };
            """#.write(toFile: "\(folder.path)/timed.cedar", atomically: true, encoding: .utf8)
        let harness = try await PolicyPipelineHarness.start(policyDirectory: folder.path)
        let (_, token) = try await harness.newSession(scopes: ["orders:read"])
        #expect(try await harness.status(token, path: "/orders/42") == 200)
        #expect(try await harness.status(token, path: "/orders/42") == 200)
        #expect(harness.enforcement.decisions.count == 0)
        try await harness.shutdown()
    }

    @Test func aFullCacheStartsOver() throws {
        let cache = DecisionCache(capacity: 2)
        let decision = PolicyDecision(
            isAllowed: true, reason: .permitted, epoch: 1, determiningPolicies: ["p"], failures: [], detail: nil)
        let session = try SessionID(hex: String(repeating: "ab", count: 16))
        let contextHash = try ContextHash(bytes: [UInt8](repeating: 7, count: 32))
        func key(_ path: String) -> DecisionCache.Key {
            DecisionCache.Key(session: session, contextHash: contextHash, epoch: 1, route: "r", method: "GET", path: path,
                              clientAddress: try? SocketAddress(ipAddress: "127.0.0.1", port: 4433))
        }
        cache.store(decision, for: key("/a"))
        cache.store(decision, for: key("/b"))
        #expect(cache.count == 2)
        cache.store(decision, for: key("/c"))
        #expect(cache.count == 1)
        #expect(cache.decision(for: key("/c")) == decision)
        #expect(cache.decision(for: key("/a")) == nil)
    }
}
