import Engine

/// A bound query, ready to instantiate operators for one execution.
public struct QueryPlan: Sendable {
    /// Output column names and types, in order.
    public let columns: [(name: String, type: DataType)]
    /// The types of `$1...$n` (declared or inferred; unknown ones become text).
    public let parameterTypes: [DataType]
    let source: Source
    let filter: Expression?
    let projections: [Expression]
    let limit: Expression?
    let offset: Expression?

    enum Source: Sendable {
        case singleRow
        case generateSeries(start: Expression, stop: Expression, step: Expression?, type: DataType)
        case values([[Expression]])
    }

    /// True when the query reads only rows written in it (no FROM, or VALUES), so it finishes as
    /// fast as its expressions evaluate.
    public var finishesQuickly: Bool {
        switch source {
        case .singleRow, .values: return true
        case .generateSeries: return false
        }
    }

    /// Builds the operator pipeline for one execution with the parameter values bound.
    public func instantiate(context: EvaluationContext, cancellation: QueryCancellation) throws(EngineError) -> any BatchStream {
        let evaluator = ExpressionEvaluator(context: context)
        var stream: any BatchStream
        switch source {
        case .singleRow:
            stream = SingleRowSource()
        case .generateSeries(let start, let stop, let step, let type):
            let bounds = try [start, stop, step ?? .constant(.int64(1), .int64)].map { expression throws(EngineError) in
                try Self.constantInteger(expression, evaluator: evaluator)
            }
            guard let first = bounds[0], let last = bounds[1], let increment = bounds[2] else {
                stream = MaterializedStream([])
                break
            }
            guard increment != 0 else { throw EngineError("22023", "step size cannot equal zero") }
            stream = GenerateSeriesSource(start: first, stop: last, step: increment, type: type, cancellation: cancellation)
        case .values(let rows):
            let single = Batch(columns: [], rowCount: 1)
            var columns: [ColumnBuilder] = columnsBuilders()
            for row in rows {
                for (index, expression) in row.enumerated() {
                    let column = try evaluator.evaluate(expression, on: single)
                    columns[index].append(column.value(at: 0))
                }
            }
            stream = MaterializedStream([Batch(columns: columns.map { $0.build() }, rowCount: rows.count)])
        }
        if let filter {
            stream = FilterOperator(input: stream, predicate: filter, evaluator: evaluator)
        }
        stream = ProjectOperator(input: stream, expressions: projections, evaluator: evaluator)
        if limit != nil || offset != nil {
            let limitValue = try limit.flatMap { expression throws(EngineError) in try Self.constantInteger(expression, evaluator: evaluator) }
            let offsetValue = try offset.flatMap { expression throws(EngineError) in try Self.constantInteger(expression, evaluator: evaluator) } ?? 0
            if let limitValue, limitValue < 0 { throw EngineError("2201W", "LIMIT must not be negative") }
            if offsetValue < 0 { throw EngineError("2201X", "OFFSET must not be negative") }
            stream = LimitOperator(input: stream, limit: limitValue.map { Int($0) }, offset: Int(offsetValue))
        }
        return stream
    }

    private func columnsBuilders() -> [ColumnBuilder] {
        guard case .values(let rows) = source, let first = rows.first else { return [] }
        return first.map { ColumnBuilder(type: $0.type, capacity: rows.count) }
    }

    /// Evaluates a constant integer expression (LIMIT, generate_series bounds); nil for NULL.
    static func constantInteger(_ expression: Expression, evaluator: ExpressionEvaluator) throws(EngineError) -> Int64? {
        let column = try evaluator.evaluate(.cast(expression, to: .int64), on: Batch(columns: [], rowCount: 1))
        guard case .int64(let v) = column.value(at: 0) else { return nil }
        return v
    }
}

