/// Computes the output columns of each batch from expressions over the input columns.
public final class ProjectOperator: BatchStream {
    private let input: any BatchStream
    private let expressions: [Expression]
    private let evaluator: ExpressionEvaluator

    public init(input: any BatchStream, expressions: [Expression], evaluator: ExpressionEvaluator) {
        self.input = input
        self.expressions = expressions
        self.evaluator = evaluator
    }

    public func next() async throws(EngineError) -> Batch? {
        guard let batch = try await input.next() else { return nil }
        var columns: [Column] = []
        columns.reserveCapacity(expressions.count)
        for expression in expressions {
            columns.append(try evaluator.evaluate(expression, on: batch))
        }
        return Batch(columns: columns, rowCount: batch.rowCount)
    }
}
