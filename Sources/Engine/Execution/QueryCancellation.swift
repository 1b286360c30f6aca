import Synchronization

/// A flag a running query polls between batches; set by a CancelRequest, a statement timeout or
/// server shutdown. The first reason set wins.
public final class QueryCancellation: Sendable {
    public enum Reason: Int, Sendable {
        case userRequest = 1
        case statementTimeout = 2
        case serverShutdown = 3
    }

    private let reason = Atomic<Int>(0)

    public init() {}

    /// Asks the query to stop at its next check.
    public func cancel(_ why: Reason = .userRequest) {
        _ = reason.compareExchange(expected: 0, desired: why.rawValue, ordering: .relaxed)
    }

    public var isCancelled: Bool { reason.load(ordering: .relaxed) != 0 }

    public var cancellationReason: Reason? { Reason(rawValue: reason.load(ordering: .relaxed)) }

    /// Throws the matching PostgreSQL error if cancellation was requested.
    public func check() throws(EngineError) {
        switch cancellationReason {
        case nil: return
        case .userRequest: throw .queryCanceled()
        case .statementTimeout: throw EngineError(.queryCanceled, "canceling statement due to statement timeout")
        case .serverShutdown: throw EngineError(.adminShutdown, "terminating connection due to administrator command")
        }
    }
}
