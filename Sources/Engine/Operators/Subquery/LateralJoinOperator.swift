/// Joins each input row with the rows a `LATERAL` subquery returns for it (the planner's `lateral` node).
///
/// The subquery runs once per distinct combination of the outer values it reads; while the rows
/// remembered stay under `rememberedRowLimit`, a repeated combination reuses its rows instead of
/// running again.
public final class LateralJoinOperator: BatchStream {
    /// The most subquery rows kept for reuse across input rows.
    static let rememberedRowLimit = 100_000

    private let input: any BatchStream
    /// Runs the subquery with its outer values set as `EvaluationContext.correlationValues`.
    private let subquery: @Sendable (EvaluationContext) async throws(EngineError) -> any BatchStream
    private let subqueryTypes: [DataType]
    private let correlation: [Expression]
    private let preservesInput: Bool
    private let context: EvaluationContext
    private let cancellation: QueryCancellation
    private var remembered: [Value: Batch] = [:]
    private var rememberedRows = 0

    public init(
        input: any BatchStream,
        subquery: @escaping @Sendable (EvaluationContext) async throws(EngineError) -> any BatchStream,
        subqueryTypes: [DataType], correlation: [Expression], preservesInput: Bool,
        context: EvaluationContext,
        cancellation: QueryCancellation
    ) {
        self.input = input
        self.subquery = subquery
        self.subqueryTypes = subqueryTypes
        self.correlation = correlation
        self.preservesInput = preservesInput
        self.context = context
        self.cancellation = cancellation
    }

    public func next() async throws(EngineError) -> Batch? {
        while let batch = try await input.next() {
            let joined = try await join(batch)
            if joined.rowCount > 0 { return joined }
        }
        return nil
    }

    /// The input rows of `batch`, each repeated once per subquery row, beside those rows.
    private func join(_ batch: Batch) async throws(EngineError) -> Batch {
        let evaluator = ExpressionEvaluator(context: context)
        let outerColumns = try correlation.map { expression throws(EngineError) in
            try evaluator.evaluate(expression, on: batch)
        }
        var inputRows: [Int32] = []
        var subqueryParts: [Batch] = []
        for row in 0..<batch.rowCount {
            let outerValues = outerColumns.map { $0.value(at: row) }
            let rows = try await subqueryRows(for: outerValues)
            if rows.rowCount > 0 {
                inputRows += repeatElement(Int32(row), count: rows.rowCount)
                subqueryParts.append(rows)
            } else if preservesInput {
                inputRows.append(Int32(row))
                subqueryParts.append(Batch(columns: subqueryTypes.map { Column.nulls($0, count: 1) }, rowCount: 1))
            }
        }
        let left = batch.gather(inputRows)
        let right = Batch.concatenate(subqueryParts, types: subqueryTypes)
        return Batch(columns: left.columns + right.columns, rowCount: inputRows.count)
    }

    /// All rows the subquery returns with its outer references reading `outerValues`.
    private func subqueryRows(for outerValues: [Value]) async throws(EngineError) -> Batch {
        let key = Value.array(outerValues)
        if let rows = remembered[key] { return rows }
        try cancellation.check()
        var rowContext = context
        rowContext.correlationValues = outerValues
        let stream = try await subquery(rowContext)
        var batches: [Batch] = []
        while let batch = try await stream.next() {
            if batch.rowCount > 0 { batches.append(batch) }
        }
        let rows = Batch.concatenate(batches, types: subqueryTypes)
        if rememberedRows + rows.rowCount <= Self.rememberedRowLimit {
            remembered[key] = rows
            rememberedRows += rows.rowCount
        }
        return rows
    }
}
