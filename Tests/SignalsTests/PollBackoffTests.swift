@testable import Signals
import Testing

@Suite struct PollBackoffTests {
    @Test func doublesUpToTheMaximumAndResets() {
        var backoff = PollBackoff(initial: .milliseconds(100), maximum: .milliseconds(700))
        #expect(backoff.failed() == .milliseconds(100))
        #expect(backoff.failed() == .milliseconds(200))
        #expect(backoff.failed() == .milliseconds(400))
        #expect(backoff.failed() == .milliseconds(700))
        #expect(backoff.failed() == .milliseconds(700))
        #expect(backoff.failures == 5)
        backoff.succeeded()
        #expect(backoff.failures == 0)
        #expect(backoff.failed() == .milliseconds(100))
    }
}
