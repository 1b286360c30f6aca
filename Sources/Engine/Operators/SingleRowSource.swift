/// The input of a SELECT without FROM: one row of no columns.
public final class SingleRowSource: BatchStream {
    private var done = false

    public init() {}

    public func next() async throws(EngineError) -> Batch? {
        if done { return nil }
        done = true
        return Batch(columns: [], rowCount: 1)
    }
}
