import AsyncHTTPClient
import Foundation
import RTATokens
import SSFTransmitter
@testable import Signals
import TokenExchange

/// One RSA key for the whole test run: generating RSA-2048 per test would dominate the suite.
let sharedTransmitterKeyPEM = Task { try await TransmitterSigningKey.generate(keyID: "tx-key-1").privateKeyPEM }

let receiverAudience = "https://gateway.test/ssf"
let idpIssuer = "https://idp.test"

/// A real transmitter on loopback plus a receiver wired to an in-memory session store
/// holding, for subject alice, three agent sessions and one sub-delegated session,
/// and one session of bob.
struct SignalsHarness {
    let transmitter: SSFTransmitter
    let store: any SessionStore
    let revocations: InMemorySubjectRevocations
    let processor: SignalProcessor
    let receiver: PushReceiver
    let keyRing: KeyRing
    /// alice: agents 1-3 (agent 3 on another IdP login), then the delegated child of agent 1.
    let alice: [SessionID]
    let bob: SessionID

    static func start(
        algorithms: Set<SETAlgorithm> = [.rs256], hmacSecret: [UInt8]? = nil, bearerToken: String? = nil,
        extraTransmitters: [TransmitterConfiguration] = [], pollAuthorization: String? = nil,
        announce: @escaping @Sendable (PendingRevocation, InMemorySessionStore) -> Void = { _, _ in }
    ) async throws -> SignalsHarness {
        let transmitter = try await SSFTransmitter.start(SSFTransmitter.Configuration(
            privateKeyPEM: try await sharedTransmitterKeyPEM.value, pollAuthorization: pollAuthorization,
            longPollTimeout: .milliseconds(500)))
        let configuration = try ReceiverConfiguration(
            audiences: [receiverAudience],
            transmitters: [try TransmitterConfiguration(
                issuer: transmitter.issuer, jwksURL: transmitter.jwksURL, algorithms: algorithms, hmacSecret: hmacSecret,
                bearerToken: bearerToken, pollURL: transmitter.pollURL, pollAuthorization: pollAuthorization,
                subjectIssuers: [idpIssuer])] + extraTransmitters)
        let store = InMemorySessionStore()
        let revocations = InMemorySubjectRevocations()
        let keyRing = try KeyRing(current: SigningKey.generate(keyID: 1))
        let processor = SignalProcessor(verifier: SETVerifier(configuration: configuration, httpClient: .shared),
                                        sessions: store, revocations: revocations, keyRing: keyRing) { pending in
            announce(pending, store)
        }
        let harness = SignalsHarness(transmitter: transmitter, store: store, revocations: revocations, processor: processor,
                                     receiver: PushReceiver(processor: processor), keyRing: keyRing,
                                     alice: [.random(), .random(), .random(), .random()], bob: .random())
        let earlier = TokenClock.system.now() - 60_000
        try await harness.insert(harness.alice[0], sub: "alice", email: "Alice@Example.com", sid: "sid-alice-1", createdAt: earlier)
        try await harness.insert(harness.alice[1], sub: "alice", email: "Alice@Example.com", sid: "sid-alice-1", createdAt: earlier)
        try await harness.insert(harness.alice[2], sub: "alice", email: "Alice@Example.com", sid: "sid-alice-2", createdAt: earlier)
        try await harness.insert(harness.alice[3], sub: "alice", email: "Alice@Example.com", sid: "sid-alice-1",
                                 parent: harness.alice[0], createdAt: earlier + 1_000)
        try await harness.insert(harness.bob, sub: "bob", email: "bob@example.com", sid: "sid-bob-1", createdAt: earlier)
        return harness
    }

    func insert(
        _ id: SessionID, sub: String, email: String?, sid: String?, parent: SessionID? = nil, createdAt: UInt64,
        issuer: String = idpIssuer
    ) async throws {
        let session = Session(
            id: id, subject: Subject(issuer: issuer, sub: sub, email: email, sid: sid), agentID: "agent-\(id.hex.prefix(6))",
            chain: parent == nil ? [sub, "agent"] : [sub, "agent", "sub-agent"], parent: parent, scopes: ["orders:read"],
            claims: ["groups": .list([.string("staff")])],
            signals: SignalState(assuranceLevel: "nist-aal2", deviceCompliance: .compliant, riskLevel: .low),
            policyEpoch: 1, boundConnection: 9, createdAt: createdAt)
        try await store.insert(session, token: session.issueToken(keyRing: keyRing, at: createdAt))
    }

    /// A valid recipe for this transmitter and receiver.
    func recipe(_ type: String, payload: [String: TransmitterJSON] = [:],
                subject: TransmitterJSON? = .issSub(idpIssuer, "alice")) -> SETRecipe {
        var payload = payload
        if payload["event_timestamp"] == nil { payload["event_timestamp"] = .integer(Int64(Date().timeIntervalSince1970)) }
        return SETRecipe(eventType: type, payload: payload, subject: subject, audience: .string(receiverAudience))
    }

    /// Signs `recipe` with the transmitter and hands it to the push receiver.
    /// `padding` goes before and after the compact SET (whitespace a transmitter may add).
    func push(_ recipe: SETRecipe, authorization: String? = nil, contentType: String = "application/secevent+jwt",
              padding: String = "") async throws -> PushReceiver.Result {
        let set = try await transmitter.sign(recipe)
        return await receiver.receive(authorization: authorization, contentType: contentType,
                                      body: Array((padding + set + padding).utf8))
    }

    func isActive(_ id: SessionID) async throws -> Bool {
        try await store.session(id)?.isActive == true
    }

    func activeCount(_ ids: [SessionID]) async throws -> Int {
        var count = 0
        for id in ids where try await isActive(id) { count += 1 }
        return count
    }

    /// True when nothing in the store or the subject revocations changed.
    func untouched() async throws -> Bool {
        let statuses = [
            await revocations.status(of: .issuerSubject(issuer: idpIssuer, sub: "alice")),
            await revocations.status(of: .issuerEmail(issuer: idpIssuer, email: "alice@example.com")),
        ]
        return try await activeCount(alice + [bob]) == 5 && statuses.allSatisfy { $0 == SubjectStatus() }
    }

    func shutdown() async {
        await transmitter.shutdown()
    }
}

extension PushReceiver.Result {
    /// The RFC 8935 `err` of a refusal, nil when accepted.
    var errorCode: String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: String] else { return nil }
        return object["err"]
    }
}
