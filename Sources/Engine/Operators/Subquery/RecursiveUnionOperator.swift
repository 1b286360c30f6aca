/// Runs `WITH RECURSIVE` (the planner's `recursiveUnion` node): streams the anchor's rows, then runs
/// the recursive term over the previous round's rows until a round produces none.
///
/// Like PostgreSQL, it sets no limit on the rounds: a query that never stops producing rows runs
/// until it is cancelled or reaches `statement_timeout`.
public final class RecursiveUnionOperator: BatchStream {
    private var current: any BatchStream
    /// Runs the recursive term over the rows of the round before.
    private let nextRound: @Sendable ([Batch]) async throws(EngineError) -> any BatchStream
    private let cancellation: QueryCancellation
    /// For UNION: every row produced so far, to drop repeats (which also ends cycles).
    private var seen: Set<[Value]>?
    private var round: [Batch] = []

    public init(
        anchor: any BatchStream, distinct: Bool, cancellation: QueryCancellation,
        nextRound: @escaping @Sendable ([Batch]) async throws(EngineError) -> any BatchStream
    ) {
        self.current = anchor
        self.nextRound = nextRound
        self.cancellation = cancellation
        self.seen = distinct ? [] : nil
    }

    public func next() async throws(EngineError) -> Batch? {
        while true {
            try cancellation.check()
            if let batch = try await current.next() {
                let kept = keepNew(batch)
                guard kept.rowCount > 0 else { continue }
                round.append(kept)
                return kept
            }
            guard !round.isEmpty else { return nil }
            let previous = round
            round = []
            current = try await nextRound(previous)
        }
    }

    /// The rows of `batch` not produced before (all of them for UNION ALL).
    private func keepNew(_ batch: Batch) -> Batch {
        guard seen != nil else { return batch }
        var kept: [Int32] = []
        for row in 0..<batch.rowCount where seen!.insert(batch.columns.map { $0.value(at: row) }).inserted {
            kept.append(Int32(row))
        }
        return kept.count == batch.rowCount ? batch : batch.gather(kept)
    }
}
