/// Keeps the rows for which a boolean predicate is TRUE (not FALSE, not NULL).
public final class FilterOperator: BatchStream {
    private let input: any BatchStream
    private let predicate: Expression
    private let evaluator: ExpressionEvaluator

    public init(input: any BatchStream, predicate: Expression, evaluator: ExpressionEvaluator) {
        self.input = input
        self.predicate = predicate
        self.evaluator = evaluator
    }

    public func next() async throws(EngineError) -> Batch? {
        while let batch = try await input.next() {
            let mask = try evaluator.evaluate(predicate, on: batch)
            guard case .bool(let values) = mask.storage else { preconditionFailure("filter predicate not boolean") }
            var selected: [Int32] = []
            selected.reserveCapacity(batch.rowCount)
            for row in 0..<batch.rowCount where values[row] != 0 && !mask.isNull(row) {
                selected.append(Int32(row))
            }
            if selected.count == batch.rowCount { return batch }
            if !selected.isEmpty { return batch.gather(selected) }
        }
        return nil
    }
}
