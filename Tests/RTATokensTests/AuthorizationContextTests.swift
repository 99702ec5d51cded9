import RTATokens
import Sodium
import Testing

private let base = makeSession().authorizationContext

@Test func everyFieldChangesTheHash() {
    var variants: [(String, AuthorizationContext)] = []
    func variant(_ name: String, _ change: (inout AuthorizationContext) -> Void) {
        var copy = base
        change(&copy)
        variants.append((name, copy))
    }
    variant("issuer") { $0.subject.issuer = "https://other.example" }
    variant("sub") { $0.subject.sub = "bob" }
    variant("email") { $0.subject.email = "bob@example.com" }
    variant("email removed") { $0.subject.email = nil }
    variant("sid") { $0.subject.sid = "idp-sid-2" }
    variant("sid removed") { $0.subject.sid = nil }
    variant("agent") { $0.agentID = "agent-2" }
    variant("client id") { $0.clientID = "client-2" }
    variant("agent verified") { $0.agentVerified.toggle() }
    variant("chain appended") { $0.chain.append("agent-2") }
    variant("chain reordered") { $0.chain.reverse() }
    variant("scope added") { $0.scopes.append("admin") }
    variant("scope removed") { $0.scopes.removeLast() }
    variant("claim value") { $0.claims["level"] = .integer(4) }
    variant("claim type") { $0.claims["level"] = .string("3") }
    variant("claim added") { $0.claims["dept"] = .null }
    variant("claim nested") { $0.claims["groups"] = .list([.string("staff"), .string("ops")]) }
    variant("assurance") { $0.signals.assuranceLevel = "nist-aal3" }
    variant("assurance removed") { $0.signals.assuranceLevel = nil }
    variant("device") { $0.signals.deviceCompliance = .notCompliant }
    variant("risk") { $0.signals.riskLevel = .high }
    variant("epoch") { $0.policyEpoch += 1 }

    var seen: [ContextHash: String] = [base.contextHash: "base"]
    for (name, context) in variants {
        let hash = context.contextHash
        #expect(seen[hash] == nil, "\(name) collides with \(seen[hash] ?? "")")
        seen[hash] = name
    }
    #expect(seen.count == variants.count + 1)
}

@Test func scopesAreASet() {
    var shuffled = base
    shuffled.scopes = ["orders:write", "orders:read", "orders:read"]
    #expect(shuffled.contextHash == base.contextHash)
}

@Test func lengthPrefixesPreventFieldShifting() {
    var a = base
    a.chain = ["ab", "c"]
    var b = base
    b.chain = ["a", "bc"]
    #expect(a.contextHash != b.contextHash)
}

@Test func encodingMatchesTheDocumentedBytes() {
    let context = AuthorizationContext(
        subject: Subject(issuer: "i", sub: "s", email: nil, sid: "x"), agentID: "a", clientID: "c", agentVerified: true,
        chain: ["s", "a"], scopes: ["b", "a"], claims: ["k": .bool(true)], signals: SignalState(), policyEpoch: 2)
    func str(_ s: String) -> [UInt8] { [0, 0, 0, UInt8(s.utf8.count)] + Array(s.utf8) }
    let expected: [UInt8] =
        str("RTA-CTX-v2") + str("i") + str("s") + [0] + [1] + str("x") + str("a") + [1] + str("c") + [1]
        + [0, 0, 0, 2] + str("s") + str("a")
        + [0, 0, 0, 2] + str("a") + str("b")
        + [0, 0, 0, 1] + str("k") + [0x01, 1]
        + [0] + str("unknown") + str("unknown")
        + [0, 0, 0, 0, 0, 0, 0, 2]
    #expect(context.canonicalEncoding == expected)
    #expect(context.contextHash.bytes == SHA256.hash(expected))
}

@Test func sessionKeepsItsHashCurrent() {
    var session = makeSession()
    let before = session.contextHash
    session.signals.deviceCompliance = .notCompliant
    #expect(session.contextHash != before)
    #expect(session.contextHash == session.authorizationContext.contextHash)
    session.agentMeta["version"] = .string("2")
    #expect(session.contextHash == session.authorizationContext.contextHash)
}
