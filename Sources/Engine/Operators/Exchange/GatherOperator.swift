/// The exchange that runs several partitions of a plan fragment in parallel and merges their batches
/// (in arrival order) into one stream.
///
/// Each partition's stream is created and pulled inside its own task on Swift's global concurrent
/// executor, never on the caller's executor (which may be a network event loop). At most
/// `bufferBatches` batches wait for the consumer; producers beyond that wait. The first error from any
/// partition is thrown to the consumer and the other partitions are stopped; the query's cancellation
/// flag is checked by every partition once per batch.
public final class GatherOperator: BatchStream {
    private let partitions: Int
    private let channel: BatchChannel
    private let cancellation: QueryCancellation
    private let makePartition: @Sendable (Int) throws(EngineError) -> any BatchStream
    private var tasks: [Task<Void, Never>] = []
    private var started = false

    /// `makePartition(i)` builds partition `i`'s operator tree; it runs in the partition's task.
    public init(
        partitions: Int, bufferBatches: Int, cancellation: QueryCancellation,
        makePartition: @escaping @Sendable (Int) throws(EngineError) -> any BatchStream
    ) {
        self.partitions = partitions
        self.channel = BatchChannel(capacity: bufferBatches, producers: partitions)
        self.cancellation = cancellation
        self.makePartition = makePartition
    }

    public func next() async throws(EngineError) -> Batch? {
        if !started { start() }
        do {
            return try await channel.receive()
        } catch {
            stop()
            throw error
        }
    }

    private func start() {
        started = true
        for index in 0..<partitions {
            let channel = self.channel
            let cancellation = self.cancellation
            let makePartition = self.makePartition
            tasks.append(
                Task(executorPreference: globalConcurrentExecutor) {
                    do throws(EngineError) {
                        let stream = try makePartition(index)
                        while !Task.isCancelled, let batch = try await stream.next() {
                            try cancellation.check()
                            guard await channel.send(batch) else { break }
                        }
                        try cancellation.check()
                        channel.finish(nil)
                    } catch {
                        channel.finish(error)
                    }
                })
        }
    }

    private func stop() {
        channel.close()
        for task in tasks { task.cancel() }
    }

    deinit { stop() }
}
