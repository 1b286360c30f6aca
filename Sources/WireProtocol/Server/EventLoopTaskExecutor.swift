import NIOCore

/// A task executor that runs jobs on one NIO event loop.
///
/// Each connection's task prefers the executor of its channel's event loop, so reading a message,
/// planning a short query and writing its result happen on one thread with no hand-off to Swift's
/// global pool and back (those hand-offs cost more than the query itself for `SELECT 1`). Work
/// that must run in parallel, such as scan pipelines, opts out by choosing the global executor.
final class EventLoopTaskExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute {
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }
}
