import Synchronization

/// A flag a running query polls between batches; set by a CancelRequest or statement timeout.
public final class QueryCancellation: Sendable {
    private let requested = Atomic<Bool>(false)

    public init() {}

    /// Asks the query to stop at its next check.
    public func cancel() { requested.store(true, ordering: .relaxed) }

    public var isCancelled: Bool { requested.load(ordering: .relaxed) }

    /// Throws SQLSTATE 57014 if cancellation was requested.
    public func check() throws(EngineError) {
        if isCancelled { throw .queryCanceled() }
    }
}
