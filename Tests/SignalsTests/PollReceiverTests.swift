import Foundation
import SSFTransmitter
@testable import Signals
import Testing

@Suite struct PollReceiverTests {
    /// `recorded`: what the gateway's audit log answers for each result.
    private func receiver(_ harness: SignalsHarness, longPoll: Bool = false, recorded: Bool = true) throws -> PollReceiver {
        let transmitter = try #require(harness.processor.verifier.configuration.transmitters[harness.transmitter.issuer])
        return try PollReceiver(transmitter: transmitter, processor: harness.processor, httpClient: .shared,
                                options: .init(maxEvents: 10, longPoll: longPoll, interval: .milliseconds(50),
                                               requestTimeout: .seconds(5), backoff: PollBackoff(initial: .milliseconds(50))),
                                onResult: { _ in recorded })
    }

    @Test func pollAppliesAcknowledgesAndReportsErrors() async throws {
        let harness = try await SignalsHarness.start(pollAuthorization: "Bearer poll-token")
        let good = harness.recipe(SecurityEventType.sessionRevoked)
        var bad = harness.recipe(SecurityEventType.sessionRevoked, subject: .issSub(idpIssuer, "bob"))
        bad.audience = "https://someone-else.test"
        await harness.transmitter.enqueueForPoll(try await harness.transmitter.sign(good), jti: good.jti)
        await harness.transmitter.enqueueForPoll(try await harness.transmitter.sign(bad), jti: bad.jti)
        let poller = try receiver(harness)

        let round = try await poller.poll(acknowledging: .init(), wait: false)
        #expect(round.results.count == 2)
        #expect(round.pending.acknowledged == [good.jti])
        #expect(round.pending.errors[bad.jti]?.code == .invalidAudience)
        #expect(try await harness.activeCount(harness.alice) == 0)
        #expect(try await harness.isActive(harness.bob))
        #expect(await harness.transmitter.acknowledged.isEmpty)

        let next = try await poller.poll(acknowledging: round.pending, wait: false)
        #expect(next.results.isEmpty)
        #expect(await harness.transmitter.acknowledged == [good.jti])
        #expect(await harness.transmitter.pollErrors == [bad.jti: "invalid_audience"])
        #expect(await harness.transmitter.queuedForPoll == 0)
        await harness.shutdown()
    }

    /// A SET whose fate the audit log could not record is neither acknowledged nor
    /// reported, so the transmitter delivers it again (as a push would get 503).
    @Test func unrecordedResultsAreNotAcknowledged() async throws {
        let harness = try await SignalsHarness.start()
        let good = harness.recipe(SecurityEventType.sessionRevoked)
        var bad = harness.recipe(SecurityEventType.sessionRevoked, subject: .issSub(idpIssuer, "bob"))
        bad.audience = "https://someone-else.test"
        await harness.transmitter.enqueueForPoll(try await harness.transmitter.sign(good), jti: good.jti)
        await harness.transmitter.enqueueForPoll(try await harness.transmitter.sign(bad), jti: bad.jti)
        let round = try await receiver(harness, recorded: false).poll(acknowledging: .init(), wait: false)
        #expect(round.results.count == 2)
        #expect(round.pending.isEmpty, "\(round.pending)")
        #expect(try await harness.activeCount(harness.alice) == 0, "the effect was applied all the same")
        await harness.shutdown()
    }

    @Test func unacknowledgedSETIsRedeliveredAndAppliedOnce() async throws {
        let harness = try await SignalsHarness.start()
        let recipe = harness.recipe(SecurityEventType.sessionRevoked)
        await harness.transmitter.enqueueForPoll(try await harness.transmitter.sign(recipe), jti: recipe.jti)
        let poller = try receiver(harness)
        let first = try await poller.poll(acknowledging: .init(), wait: false)
        // The ack is lost: poll again without it, the transmitter resends.
        let second = try await poller.poll(acknowledging: .init(), wait: false)
        guard case .applied(let outcome)? = second.results.first else { Issue.record("not redelivered"); return }
        #expect(outcome.effect == .duplicate)
        #expect(first.pending.acknowledged == second.pending.acknowledged)
        await harness.shutdown()
    }

    @Test func wrongPollCredentialsFailTheRound() async throws {
        let harness = try await SignalsHarness.start(pollAuthorization: "Bearer poll-token")
        let transmitter = try TransmitterConfiguration(issuer: harness.transmitter.issuer, jwksURL: harness.transmitter.jwksURL,
                                                       pollURL: harness.transmitter.pollURL, pollAuthorization: "Bearer wrong")
        let poller = try PollReceiver(transmitter: transmitter, processor: harness.processor, httpClient: .shared, onResult: { _ in true })
        await #expect(throws: PollReceiver.PollFailure.self) { try await poller.poll(acknowledging: .init(), wait: false) }
        await harness.shutdown()
    }

    @Test func longPollRunLoopDeliversSETsQueuedLaterAndStopsOnCancel() async throws {
        let harness = try await SignalsHarness.start()
        let transmitter = try #require(harness.processor.verifier.configuration.transmitters[harness.transmitter.issuer])
        let seen = AsyncStream<PollReceiver.Result>.makeStream()
        let poller = try PollReceiver(transmitter: transmitter, processor: harness.processor, httpClient: .shared,
                                      options: .init(longPoll: true, requestTimeout: .seconds(5)),
                                      onResult: { seen.continuation.yield($0); return true })
        let loop = Task { await poller.run() }
        try await Task.sleep(for: .milliseconds(100))
        let recipe = harness.recipe(SecurityEventType.accountDisabled, subject: .email("alice@EXAMPLE.com"))
        await harness.transmitter.enqueueForPoll(try await harness.transmitter.sign(recipe), jti: recipe.jti)
        var iterator = seen.stream.makeAsyncIterator()
        guard case .applied(let outcome)? = await iterator.next() else { Issue.record("no outcome"); return }
        #expect(outcome.jti == recipe.jti)
        #expect(outcome.effect == .accountDisabled)
        #expect(try await harness.activeCount(harness.alice) == 0)
        // The next long poll carries the ack.
        let deadline = ContinuousClock.now + .seconds(5)
        while await harness.transmitter.acknowledged.isEmpty, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(await harness.transmitter.acknowledged == [recipe.jti])
        loop.cancel()
        await loop.value
        await harness.shutdown()
    }
}
