import NIOCore

/// Runs request-handler tasks on the QUIC connection's own event loop. Handlers spend
/// most of their time touching stream state that lives on that loop, so running them
/// there turns every writer call into a same-thread call instead of a cross-thread hop.
final class EventLoopTaskExecutor: TaskExecutor, @unchecked Sendable {
    let eventLoop: EventLoop

    init(eventLoop: EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute {
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }
}
