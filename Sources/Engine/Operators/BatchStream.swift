/// A pull-based source of batches: every physical operator is one.
///
/// `next()` returns nil at the end. Operators are used from one task at a time.
public protocol BatchStream: AnyObject {
    func next() async throws(EngineError) -> Batch?
}

/// Hands out batches that already exist (small materialized results).
public final class MaterializedStream: BatchStream {
    private var batches: [Batch]

    public init(_ batches: [Batch]) { self.batches = batches.reversed() }

    public func next() async throws(EngineError) -> Batch? { batches.popLast() }
}
