import Synchronization

/// Values loaded at most once per key however many tasks ask for them at the same time: the first
/// caller starts the load, later callers wait for the same result (or the same error).
///
/// A scan's streams run in parallel and often need the same delete file, so each is read once per
/// scan. The lock guards only the table of loads, never an `await`.
final class LoadOnceCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private let loads = Mutex<[Key: Task<Value, any Error>]>([:])

    init() {}

    /// The value for `key`, from `load` run once for the first caller.
    func value(for key: Key, load: @escaping @Sendable () async throws -> Value) async throws -> Value {
        let task = loads.withLock { loads in
            if let started = loads[key] { return started }
            let started = Task { try await load() }
            loads[key] = started
            return started
        }
        return try await task.value
    }
}
