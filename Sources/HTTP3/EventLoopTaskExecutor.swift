import NIOCore

/// Runs a task's jobs on one NIO event loop (see `HTTP3RequestHandler.executor(for:)`).
/// SwiftNIO's loops are serial executors for actors but not task executors, so a
/// task cannot otherwise prefer one. A job enqueued from the loop's own thread runs
/// in the same turn, with no wake-up.
public final class EventLoopTaskExecutor: TaskExecutor {
    public let eventLoop: any EventLoop

    public init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
