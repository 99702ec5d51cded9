import HTTP3
import NIOPosix
import Testing

@Suite struct EventLoopTaskExecutorTests {
    /// A task started with the executor runs on its loop, and comes back to it after
    /// suspending (so NIO calls in the task stay on the loop and need no hop).
    @Test func aTaskRunsOnItsLoopBeforeAndAfterSuspending() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = group.next()
        let executor = EventLoopTaskExecutor(eventLoop: loop)
        let (before, after) = await Task(executorPreference: executor) {
            let before = loop.inEventLoop
            try? await Task.sleep(for: .milliseconds(5))
            return (before, loop.inEventLoop)
        }.value
        #expect(before)
        #expect(after)
        #expect(!loop.inEventLoop)
        try await group.shutdownGracefully()
    }
}
