import Foundation
import RTATokens
import SSFTransmitter
@testable import Signals
import Synchronization
import Testing

/// A clock the test moves by hand.
final class ManualClock: Sendable {
    private let value: Mutex<UInt64>
    init(_ start: UInt64) { value = Mutex(start) }
    var clock: TokenClock { TokenClock { [self] in value.withLock { $0 } } }
    func advance(by milliseconds: UInt64) { value.withLock { $0 += milliseconds } }
}

@Suite struct ReplayStoreTests {
    @Test func claimIsFreshThenPendingThenDuplicate() async {
        let store = ReplayStore(window: 1_000, capacity: 10, clock: .fixed(5_000))
        #expect(await store.claim(issuer: "a", jti: "1") == .fresh)
        #expect(await store.claim(issuer: "a", jti: "1") == .pending)
        await store.complete(issuer: "a", jti: "1", issuedAt: 4_000)
        #expect(await store.claim(issuer: "a", jti: "1") == .duplicate)
        #expect(await store.claim(issuer: "b", jti: "1") == .fresh)
    }

    @Test func abandonedClaimCanBeRetried() async {
        let store = ReplayStore(window: 1_000, capacity: 10, clock: .fixed(5_000))
        #expect(await store.claim(issuer: "a", jti: "1") == .fresh)
        await store.abandon(issuer: "a", jti: "1")
        #expect(await store.claim(issuer: "a", jti: "1") == .fresh)
    }

    @Test func entriesExpireAfterTheWindowFromTheLaterOfReceiptAndIat() async {
        let time = ManualClock(10_000)
        let store = ReplayStore(window: 1_000, capacity: 10, clock: time.clock)
        _ = await store.claim(issuer: "a", jti: "future")
        await store.complete(issuer: "a", jti: "future", issuedAt: 20_000)
        _ = await store.claim(issuer: "a", jti: "now")
        await store.complete(issuer: "a", jti: "now", issuedAt: 9_000)
        time.advance(by: 1_500)
        #expect(await store.claim(issuer: "a", jti: "now") == .fresh)
        #expect(await store.claim(issuer: "a", jti: "future") == .duplicate)
    }

    @Test func capacityBoundsTheStore() async {
        let store = ReplayStore(window: 60_000, capacity: 100, clock: .fixed(1_000))
        for index in 0..<250 {
            _ = await store.claim(issuer: "a", jti: "\(index)")
            await store.complete(issuer: "a", jti: "\(index)", issuedAt: 1_000)
        }
        #expect(await store.count <= 100)
        #expect(await store.claim(issuer: "a", jti: "249") == .duplicate)
    }

    @Test func resentSETIsAcceptedAgainWithoutSecondEffect() async throws {
        let harness = try await SignalsHarness.start()
        let set = try await harness.transmitter.sign(harness.recipe(SecurityEventType.sessionRevoked))
        let first = await harness.receiver.receive(authorization: nil, contentType: "application/secevent+jwt", body: Array(set.utf8))
        #expect(first.response.status == 202)
        #expect(first.outcome?.revokedSessions.count == 4)
        // A new session between the deliveries: within the clock skew of the event, so
        // only deduplication can keep it alive.
        let fresh = SessionID.random()
        try await harness.insert(fresh, sub: "alice", email: nil, sid: nil, createdAt: TokenClock.system.now())
        let second = await harness.receiver.receive(authorization: nil, contentType: "application/secevent+jwt", body: Array(set.utf8))
        #expect(second.response.status == 202)
        #expect(second.outcome?.effect == .duplicate)
        #expect(second.outcome?.revokedSessions.isEmpty == true)
        #expect(try await harness.isActive(fresh))
        await harness.shutdown()
    }

    @Test func setOlderThanTheReplayWindowIsRefused() async throws {
        let harness = try await SignalsHarness.start()
        var recipe = harness.recipe(SecurityEventType.sessionRevoked)
        recipe.issuedAt = Int64(Date().timeIntervalSince1970) - 2 * 86_400
        let result = try await harness.push(recipe)
        #expect(result.errorCode == "invalid_request")
        #expect(try await harness.untouched())
        await harness.shutdown()
    }
}
