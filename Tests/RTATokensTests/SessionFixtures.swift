import Foundation
import RTATokens
import Sodium
import Synchronization

/// A wall clock the test moves by hand, fed to `TokenClock`.
final class SteppedTime: Sendable {
    private let value: Mutex<UInt64>

    init(_ start: UInt64) {
        value = Mutex(start)
    }

    var now: UInt64 { value.withLock { $0 } }
    var clock: TokenClock { TokenClock { [self] in self.now } }

    func advance(by milliseconds: UInt64) {
        value.withLock { $0 += milliseconds }
    }
}

let baseTime: UInt64 = 1_795_000_000_000

func repoRoot() -> URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
}

func devKeyRing() throws -> KeyRing {
    let fixtures = repoRoot().appendingPathComponent("fixtures")
    return try KeyRing.load(paths: [
        fixtures.appendingPathComponent("dev-signing-key-2.json").path,
        fixtures.appendingPathComponent("dev-signing-key-1.json").path,
    ])
}

func makeSession(
    id: SessionID = .random(), email: String? = "Alice@Example.com", sid: String? = "idp-sid-1",
    parent: SessionID? = nil, popKey: Ed25519PublicKey? = nil, connection: UInt64 = 7, createdAt: UInt64 = baseTime
) -> Session {
    Session(
        id: id, subject: Subject(issuer: "https://idp.example", sub: "alice", email: email, sid: sid),
        agentID: "agent-1", agentMeta: ["name": .string("planner")], chain: ["alice", "agent-1"], parent: parent,
        scopes: ["orders:read", "orders:write"], claims: ["groups": .list([.string("staff")]), "level": .integer(3)],
        signals: SignalState(assuranceLevel: "nist-aal2", deviceCompliance: .compliant, riskLevel: .low),
        policyEpoch: 1, popKey: popKey, boundConnection: connection, createdAt: createdAt)
}
