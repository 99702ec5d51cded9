import RTATokens
import Synchronization
import Testing
import TokenExchange

@Suite struct NonceReplayStoreTests {
    /// A clock the test moves by hand.
    final class ManualClock: Sendable {
        private let now = Mutex<UInt64>(1_000_000)
        var clock: TokenClock { TokenClock { self.now.withLock { $0 } } }
        func advance(_ milliseconds: UInt64) { now.withLock { $0 += milliseconds } }
    }

    @Test func aNonceIsRefusedWithinTheWindowAndAcceptedAfter() {
        let time = ManualClock()
        let store = NonceReplayStore(window: 300_000, clock: time.clock)
        #expect(store.claim("n1") == .fresh)
        #expect(store.claim("n1") == .replayed)
        #expect(store.claim("n2") == .fresh)
        time.advance(299_999)
        #expect(store.claim("n1") == .replayed)
        time.advance(1)
        #expect(store.count == 0)
        #expect(store.claim("n1") == .fresh)
    }

    @Test func aFullStoreFailsClosedUntilEntriesExpire() {
        let time = ManualClock()
        let store = NonceReplayStore(window: 1_000, capacity: 2, clock: time.clock)
        #expect(store.claim("a") == .fresh)
        time.advance(10)
        #expect(store.claim("b") == .fresh)
        #expect(store.claim("c") == .full)
        #expect(store.claim("a") == .replayed)
        time.advance(990)  // "a" expires, "b" lives 10 ms more
        #expect(store.claim("c") == .fresh)
        #expect(store.claim("b") == .replayed)
        #expect(store.count == 2)
    }
}
