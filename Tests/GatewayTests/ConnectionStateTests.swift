import NIOCore
import RTATokens
import Testing

@testable import Gateway
@testable import GatewayPolicy

@Suite struct ConnectionStateTests {
    private static func key(_ path: String, port: Int = 4433, epoch: UInt64 = 1) throws -> DecisionCache.Key {
        DecisionCache.Key(
            session: try SessionID(hex: String(repeating: "ab", count: 16)),
            contextHash: try ContextHash(bytes: [UInt8](repeating: 7, count: 32)), epoch: epoch, route: "r",
            method: "GET", path: path, clientAddress: try SocketAddress(ipAddress: "127.0.0.1", port: port))
    }

    private static func decision(allowed: Bool) -> PolicyDecision {
        PolicyDecision(isAllowed: allowed, reason: allowed ? .permitted : .noMatchingPermit, epoch: 1,
                       determiningPolicies: allowed ? ["p"] : [], failures: [], detail: nil)
    }

    @Test func theLastDecisionIsReturnedOnlyForTheSameKey() throws {
        let state = ConnectionState()
        #expect(state.decision(for: try Self.key("/a")) == nil)
        state.remember(Self.decision(allowed: true), for: try Self.key("/a"))
        #expect(state.decision(for: try Self.key("/a")) == Self.decision(allowed: true))
        #expect(state.decision(for: try Self.key("/b")) == nil, "another path")
        #expect(state.decision(for: try Self.key("/a", port: 4434)) == nil, "the client migrated")
        #expect(state.decision(for: try Self.key("/a", epoch: 2)) == nil, "policies reloaded")
        state.remember(Self.decision(allowed: false), for: try Self.key("/b"))
        #expect(state.decision(for: try Self.key("/a")) == nil, "only the last decision is kept")
        #expect(state.decision(for: try Self.key("/b")) == Self.decision(allowed: false))
    }

    @Test func connectionsGetTheirOwnStateAndTheOldestIsEvicted() {
        let states = ConnectionStates(capacity: 2)
        let first = states.state(for: 1)
        #expect(states.state(for: 1) === first)
        #expect(states.state(for: 2) !== first)
        _ = states.state(for: 3)
        #expect(states.state(for: 1) !== first, "connection 1 was the oldest and was evicted")
    }
}
