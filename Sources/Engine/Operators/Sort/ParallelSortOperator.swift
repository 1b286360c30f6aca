/// ORDER BY over a partitioned input: each partition is sorted by its own `SortOperator` in its
/// own task, all at once, and the sorted partitions are merged (`SortedRunMerger`). With LIMIT each
/// partition keeps only its first `offset + limit` rows; the caller applies OFFSET and LIMIT to the
/// merged rows.
public final class ParallelSortOperator: BatchStream {
    private let sorters: [SortOperator]
    private let cancellation: QueryCancellation
    private var merger: SortedRunMerger?
    private let keys: [SortKey]
    private let evaluator: ExpressionEvaluator

    public init(sorters: [SortOperator], keys: [SortKey], context: EvaluationContext, cancellation: QueryCancellation) {
        self.sorters = sorters
        self.keys = keys
        self.evaluator = ExpressionEvaluator(context: context)
        self.cancellation = cancellation
    }

    public func next() async throws(EngineError) -> Batch? {
        if merger == nil {
            try await sortPartitions()
            merger = SortedRunMerger(runs: sorters, keys: keys, evaluator: evaluator, cancellation: cancellation)
        }
        return try await merger!.next()
    }

    /// Runs every partition's sort at once on the global executor; the first error is thrown.
    private func sortPartitions() async throws(EngineError) {
        let result: Result<Void, EngineError> = await withTaskGroup(of: Result<Void, EngineError>.self) { group in
            for sorter in sorters {
                group.addTask(executorPreference: globalConcurrentExecutor) {
                    do throws(EngineError) {
                        try await sorter.prepare()
                        return .success(())
                    } catch {
                        return .failure(error)
                    }
                }
            }
            for await outcome in group {
                if case .failure = outcome {
                    group.cancelAll()
                    return outcome
                }
            }
            return .success(())
        }
        try result.get()
    }
}
