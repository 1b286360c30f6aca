import Engine

/// Runs correlated subqueries for each input row and appends their values as columns
/// (`LogicalPlan.apply`).
///
/// Each subquery runs once per distinct combination of the outer values it reads; results are
/// remembered for the rest of the query, so a catalog query asking the same thing for every
/// column of a table runs the subquery once per table.
final class CorrelatedSubqueryOperator: BatchStream {
    private let input: any BatchStream
    private let subqueries: [LogicalPlan.CorrelatedSubquery]
    private let context: EvaluationContext
    private let cancellation: QueryCancellation
    private var remembered: [[Value: Value]]

    init(
        input: any BatchStream, subqueries: [LogicalPlan.CorrelatedSubquery], context: EvaluationContext,
        cancellation: QueryCancellation
    ) {
        self.input = input
        self.subqueries = subqueries
        self.context = context
        self.cancellation = cancellation
        self.remembered = Array(repeating: [:], count: subqueries.count)
    }

    func next() async throws(EngineError) -> Batch? {
        guard let batch = try await input.next() else { return nil }
        let evaluator = ExpressionEvaluator(context: context)
        var columns = batch.columns
        for (index, subquery) in subqueries.enumerated() {
            let outerColumns = try subquery.correlation.map { expression throws(EngineError) in
                try evaluator.evaluate(expression, on: batch)
            }
            var builder = ColumnBuilder(type: subquery.subquery.type, capacity: batch.rowCount)
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
                let value = try await subquery.subquery.evaluate(context: rowContext, cancellation: cancellation)
                remembered[index][key] = value
                builder.append(value)
            }
            columns.append(builder.build())
        }
        return Batch(columns: columns, rowCount: batch.rowCount)
    }
}
