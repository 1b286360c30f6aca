import Engine
import NIOCore
import Synchronization

/// Every live connection, by process ID: for CancelRequest (matched by secret key) and for
/// graceful shutdown (running queries stop with 57P01, idle connections get a FATAL and close).
final class ConnectionRegistry: Sendable {
    private struct Entry {
        let secretKey: Int32
        let channel: any Channel
        var runningQuery: QueryCancellation?
    }

    private struct State {
        var entries: [Int32: Entry] = [:]
        var nextProcessID: Int32 = Int32.random(in: 1000...100_000)
        var shuttingDown = false
    }

    private let state = Mutex(State())

    /// Registers a connection; returns its process ID and secret key for BackendKeyData.
    func register(channel: any Channel) -> (processID: Int32, secretKey: Int32) {
        let secretKey = Int32.random(in: Int32.min...Int32.max)
        return state.withLock { state in
            var processID = state.nextProcessID
            while state.entries[processID] != nil { processID = processID &+ 1 == Int32.max ? 1000 : processID &+ 1 }
            state.nextProcessID = processID &+ 1 == Int32.max ? 1000 : processID &+ 1
            state.entries[processID] = Entry(secretKey: secretKey, channel: channel)
            return (processID, secretKey)
        }
    }

    func unregister(processID: Int32) {
        _ = state.withLock { $0.entries.removeValue(forKey: processID) }
    }

    /// Marks a query as running on the connection; returns false when the server is shutting down.
    func queryStarted(processID: Int32, cancellation: QueryCancellation) -> Bool {
        state.withLock { state in
            if state.shuttingDown { return false }
            state.entries[processID]?.runningQuery = cancellation
            return true
        }
    }

    func queryFinished(processID: Int32) {
        state.withLock { $0.entries[processID]?.runningQuery = nil }
    }

    /// Cancels the running query of `processID` if the key matches; a wrong key is ignored, as PostgreSQL does.
    func cancel(processID: Int32, secretKey: Int32) {
        state.withLock { state in
            guard let entry = state.entries[processID], entry.secretKey == secretKey else { return }
            entry.runningQuery?.cancel(.userRequest)
        }
    }

    /// Stops running queries with an admin-shutdown error; returns the channels of idle connections.
    func beginShutdown() -> [any Channel] {
        state.withLock { state in
            state.shuttingDown = true
            var idle: [any Channel] = []
            for entry in state.entries.values {
                if let query = entry.runningQuery { query.cancel(.serverShutdown) } else { idle.append(entry.channel) }
            }
            return idle
        }
    }

    var isShuttingDown: Bool { state.withLock { $0.shuttingDown } }

    var isEmpty: Bool { state.withLock { $0.entries.isEmpty } }
}
