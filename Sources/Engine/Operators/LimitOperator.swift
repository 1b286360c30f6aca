/// `OFFSET offset LIMIT limit`: skips and then passes at most `limit` rows, then stops pulling.
public final class LimitOperator: BatchStream {
    private let input: any BatchStream
    private var toSkip: Int
    private var remaining: Int?

    /// `limit` nil means no limit.
    public init(input: any BatchStream, limit: Int?, offset: Int) {
        self.input = input
        self.remaining = limit
        self.toSkip = offset
    }

    public func next() async throws(EngineError) -> Batch? {
        while remaining.map({ $0 > 0 }) ?? true, var batch = try await input.next() {
            if toSkip > 0 {
                let skipped = min(toSkip, batch.rowCount)
                toSkip -= skipped
                batch = batch.slice(skipped..<batch.rowCount)
                if batch.rowCount == 0 { continue }
            }
            if let limit = remaining {
                let taken = min(limit, batch.rowCount)
                remaining = limit - taken
                return batch.slice(0..<taken)
            }
            return batch
        }
        return nil
    }
}
