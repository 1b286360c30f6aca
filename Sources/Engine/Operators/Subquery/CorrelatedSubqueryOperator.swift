/// Runs correlated subqueries for each input row and appends their values as columns (the
/// planner's `apply` node, PostgreSQL's SubPlan).
///
/// Each subquery runs once per distinct combination of the outer values it reads; results are
/// remembered for the rest of the query, so a catalog query asking the same thing for every
/// column of a table runs the subquery once per table.
public final class CorrelatedSubqueryOperator: BatchStream {
    /// One subquery: the outer values it reads (expressions over the input) and how to compute its
    /// value once they are set as `EvaluationContext.correlationValues`.
    public struct Subquery: Sendable {
        public var correlation: [Expression]
        public var resultType: DataType
        public var evaluate: @Sendable (EvaluationContext, QueryCancellation) async throws(EngineError) -> Value

        public init(
            correlation: [Expression], resultType: DataType,
            evaluate: @escaping @Sendable (EvaluationContext, QueryCancellation) async throws(EngineError) -> Value
        ) {
            self.correlation = correlation
            self.resultType = resultType
            self.evaluate = evaluate
        }
    }

    private let input: any BatchStream
    private let subqueries: [Subquery]
    private let context: EvaluationContext
    private let cancellation: QueryCancellation
    private var remembered: [[Value: Value]]

    public init(
        input: any BatchStream, subqueries: [Subquery], context: EvaluationContext,
        cancellation: QueryCancellation
    ) {
        self.input = input
        self.subqueries = subqueries
        self.context = context
        self.cancellation = cancellation
        self.remembered = Array(repeating: [:], count: subqueries.count)
    }

    public func next() async throws(EngineError) -> Batch? {
        guard let batch = try await input.next() else { return nil }
        let evaluator = ExpressionEvaluator(context: context)
        var columns = batch.columns
        for (index, subquery) in subqueries.enumerated() {
            let outerColumns = try subquery.correlation.map { expression throws(EngineError) in
                try evaluator.evaluate(expression, on: batch)
            }
            var builder = ColumnBuilder(type: subquery.resultType, capacity: batch.rowCount)
            for row in 0..<batch.rowCount {
                let outerValues = outerColumns.map { $0.value(at: row) }
                let key = Value.array(outerValues)
                if let value = remembered[index][key] {
                    builder.append(value)
                    continue
                }
                try cancellation.check()
                var rowContext = context
                rowContext.correlationValues = outerValues
                let value = try await subquery.evaluate(rowContext, cancellation)
                remembered[index][key] = value
                builder.append(value)
            }
            columns.append(builder.build())
        }
        return Batch(columns: columns, rowCount: batch.rowCount)
    }
}
