import Synchronization

/// A bounded queue of batches from several producer tasks to one consumer: producers wait when it is
/// full (backpressure), the first producer error reaches the consumer, and closing it releases every
/// waiting producer.
final class BatchChannel: Sendable {
    private struct State {
        var buffer: [Batch] = []
        var waitingSenders: [(Batch, CheckedContinuation<Bool, Never>)] = []
        var consumer: CheckedContinuation<Result<Batch?, EngineError>, Never>?
        var openProducers: Int
        var error: EngineError?
        var closed = false

        /// Drops the buffer, refuses every waiting sender and wakes a waiting consumer with `result`.
        mutating func release(consumerGets result: Result<Batch?, EngineError>) {
            buffer = []
            for (_, sender) in waitingSenders { sender.resume(returning: false) }
            waitingSenders = []
            consumer?.resume(returning: result)
            consumer = nil
        }
    }

    private let capacity: Int
    private let state: Mutex<State>

    init(capacity: Int, producers: Int) {
        self.capacity = max(capacity, 1)
        self.state = Mutex(State(openProducers: producers))
    }

    /// Queues `batch`, waiting while the queue is full; false once the channel is closed or failed.
    func send(_ batch: Batch) async -> Bool {
        await withCheckedContinuation { (sender: CheckedContinuation<Bool, Never>) in
            state.withLock { state in
                if state.closed || state.error != nil { return sender.resume(returning: false) }
                if let consumer = state.consumer {
                    state.consumer = nil
                    consumer.resume(returning: .success(batch))
                    sender.resume(returning: true)
                } else if state.buffer.count < capacity {
                    state.buffer.append(batch)
                    sender.resume(returning: true)
                } else {
                    state.waitingSenders.append((batch, sender))
                }
            }
        }
    }

    /// Marks one producer done; an error fails the channel (the first error wins).
    func finish(_ error: EngineError?) {
        state.withLock { state in
            state.openProducers -= 1
            if let error, state.error == nil, !state.closed {
                state.error = error
                state.release(consumerGets: .failure(error))
            } else if state.openProducers == 0, state.buffer.isEmpty, let consumer = state.consumer {
                state.consumer = nil
                consumer.resume(returning: .success(nil))
            }
        }
    }

    /// The next batch, nil when every producer has finished, or the first producer error.
    func receive() async throws(EngineError) -> Batch? {
        let result = await withCheckedContinuation {
            (consumer: CheckedContinuation<Result<Batch?, EngineError>, Never>) in
            state.withLock { state in
                if let error = state.error { return consumer.resume(returning: .failure(error)) }
                if !state.buffer.isEmpty {
                    let batch = state.buffer.removeFirst()
                    if !state.waitingSenders.isEmpty {
                        let (waiting, sender) = state.waitingSenders.removeFirst()
                        state.buffer.append(waiting)
                        sender.resume(returning: true)
                    }
                    return consumer.resume(returning: .success(batch))
                }
                if state.openProducers == 0 || state.closed { return consumer.resume(returning: .success(nil)) }
                state.consumer = consumer
            }
        }
        return try result.get()
    }

    /// Stops the channel: waiting producers get false and later sends are refused.
    func close() {
        state.withLock { state in
            state.closed = true
            state.release(consumerGets: .success(nil))
        }
    }
}
