import Engine

/// Turns a `LogicalPlan` into a tree of engine operators for one execution, with parameter values
/// and session settings fixed in `context`.
struct PhysicalPlanner {
    let context: EvaluationContext
    let cancellation: QueryCancellation
    /// Where EXPLAIN ANALYZE collects each plan node's rows and time; nil for ordinary runs.
    var statistics: ExecutionStatistics?
    /// Where EXPLAIN ANALYZE collects what each table scan read, including scans whose plan node
    /// `statistics` does not follow (a shared join build); nil for ordinary runs.
    var scanStatistics: ExecutionStatistics?
    /// The previous round's rows of each recursive union being run.
    var workTables = WorkTables()

    var evaluator: ExpressionEvaluator { ExpressionEvaluator(context: context) }

    /// The operators for `plan`, whose position in the whole plan is `path` (child indexes from the
    /// root, as `PlanExplainer` numbers nodes).
    func instantiate(_ plan: LogicalPlan, path: [Int] = []) async throws(EngineError) -> any BatchStream {
        let stream = try await build(plan, path: path)
        guard let statistics else { return stream }
        return InstrumentedStream(input: stream, path: path, statistics: statistics)
    }

    private func build(_ plan: LogicalPlan, path: [Int]) async throws(EngineError) -> any BatchStream {
        switch plan {
        case .singleRow:
            return SingleRowSource()
        case .values(let rows, let types):
            let single = Batch(columns: [], rowCount: 1)
            var columns = types.map { ColumnBuilder(type: $0, capacity: rows.count) }
            for row in rows {
                for (index, expression) in row.enumerated() {
                    columns[index].append(try evaluator.evaluate(expression, on: single).value(at: 0))
                }
            }
            return MaterializedStream([Batch(columns: columns.map { $0.build() }, rowCount: rows.count)])
        case .generateSeries(let start, let stop, let step, let type):
            let bounds = try [start, stop, step ?? .constant(.int64(1), .int64)].map { expression throws(EngineError) in
                try constantInteger(expression)
            }
            guard let first = bounds[0], let last = bounds[1], let increment = bounds[2] else {
                return MaterializedStream([])
            }
            guard increment != 0 else { throw EngineError(.invalidParameterValue, "step size cannot equal zero") }
            return GenerateSeriesSource(
                start: first, stop: last, step: increment, type: type, cancellation: cancellation)
        case .unnest(let array, let element):
            let value = try evaluator.evaluate(array, on: Batch(columns: [], rowCount: 1)).value(at: 0)
            guard case .array(let items) = value, !items.isEmpty else { return MaterializedStream([]) }
            return MaterializedStream([Batch(columns: [Column(type: element, values: items)], rowCount: items.count)])
        case .scan(let table, let columns, let filter):
            if let partitions = try await pipelinePartitions(plan) { return gather(partitions) }
            let stream = try await table.scan(
                columns: columns, filter: filter, context: context, cancellation: cancellation)
            scanStatistics?.noteScan(of: table.displayName, streams: [stream])
            return stream
        case .filter(let input, let predicate):
            if let partitions = try await pipelinePartitions(plan) { return gather(partitions) }
            return FilterOperator(
                input: try await instantiate(input, path: path + [0]), predicate: predicate, evaluator: evaluator)
        case .project(let input, let expressions):
            if let partitions = try await pipelinePartitions(plan) { return gather(partitions) }
            return ProjectOperator(
                input: try await instantiate(input, path: path + [0]), expressions: expressions, evaluator: evaluator)
        case .aggregate(let input, let keys, let aggregates):
            if let parallel = try await parallelAggregate(input, keys: keys, aggregates: aggregates) { return parallel }
            return try HashAggregateOperator(
                input: try await instantiate(input, path: path + [0]), groupKeys: keys, aggregates: aggregates,
                context: context,
                cancellation: cancellation, memoryBudget: context.memoryBudget)
        case .window(let input, let functions):
            return WindowOperator(
                input: try await instantiate(input, path: path + [0]), functions: functions,
                sortGroups: WindowFunctionCall.sortGroups(functions), context: context, cancellation: cancellation,
                memoryBudget: context.memoryBudget)
        case .union(let inputs):
            var streams: [any BatchStream] = []
            for (index, input) in inputs.enumerated() {
                streams.append(try await instantiate(input, path: path + [index]))
            }
            return ConcatStream(streams)
        case .sort(let input, let keys):
            if let parallel = try await parallelSort(input, keys: keys, limit: nil, offset: 0) { return parallel }
            return SortOperator(
                input: try await instantiate(input, path: path + [0]), keys: keys, context: context,
                cancellation: cancellation,
                memoryBudget: context.memoryBudget)
        case .limit(.sort(let input, let keys), let limit, let offset):
            // ORDER BY ... LIMIT keeps only the rows it returns (top-N).
            let (limitValue, offsetValue) = try limits(limit, offset)
            if let parallel = try await parallelSort(input, keys: keys, limit: limitValue, offset: offsetValue) {
                return parallel
            }
            return SortOperator(
                input: try await instantiate(input, path: path + [0, 0]), keys: keys, limit: limitValue,
                offset: offsetValue, context: context,
                cancellation: cancellation, memoryBudget: context.memoryBudget)
        case .limit(let input, let limit, let offset):
            let (limitValue, offsetValue) = try limits(limit, offset)
            return LimitOperator(
                input: try await instantiate(input, path: path + [0]), limit: limitValue, offset: offsetValue)
        case .join(let left, let right, let kind, let condition):
            return try await instantiateJoin(left: left, right: right, kind: kind, condition: condition, path: path)
        case .recursiveUnion(let anchor, let recursive, let workTable, let distinct):
            let planner = self
            return RecursiveUnionOperator(
                anchor: try await instantiate(anchor, path: path + [0]), distinct: distinct, cancellation: cancellation
            ) { previous throws(EngineError) in
                planner.workTables.set(workTable, previous)
                return try await planner.instantiate(recursive, path: path + [1])
            }
        case .workTableScan(let workTable, _):
            guard let batches = workTables.batches(workTable) else {
                throw EngineError(
                    .featureNotSupported,
                    "a recursive query's own rows can be read only in its recursive term's FROM clause")
            }
            return MaterializedStream(batches)
        case .projectSet(let input, let calls):
            return ProjectSetOperator(
                input: try await instantiate(input, path: path + [0]), calls: calls, evaluator: evaluator,
                cancellation: cancellation)
        case .apply(let input, let subqueries):
            let calls = subqueries.map { subquery in
                let plan = subquery.subquery
                return CorrelatedSubqueryOperator.Subquery(correlation: subquery.correlation, resultType: plan.type) {
                    context, cancellation throws(EngineError) in
                    try await plan.evaluate(context: context, cancellation: cancellation)
                }
            }
            return CorrelatedSubqueryOperator(
                input: try await instantiate(input, path: path + [0]), subqueries: calls, context: context,
                cancellation: cancellation)
        case .lateral(let input, let subquery, let correlation, let preservesInput):
            let cancellation = self.cancellation
            return LateralJoinOperator(
                input: try await instantiate(input, path: path + [0]),
                subquery: { context throws(EngineError) in
                    try await PhysicalPlanner(context: context, cancellation: cancellation).instantiate(subquery)
                },
                subqueryTypes: subquery.outputTypes, correlation: correlation, preservesInput: preservesInput,
                context: context, cancellation: cancellation)
        }
    }

    /// A hash join on the equalities between the two sides found in the condition (the rest is a
    /// residual predicate), or a nested-loop join when there are none. The left side is probed, the
    /// right side built.
    func instantiateJoin(
        left: LogicalPlan, right: LogicalPlan, kind: LogicalPlan.JoinType, condition: Expression?, path: [Int]
    )
        async throws(EngineError) -> any BatchStream
    {
        if let partitions = try await pipelinePartitions(
            .join(left: left, right: right, kind: kind, condition: condition))
        {
            return gather(partitions)
        }
        let leftTypes = left.outputTypes
        let rightTypes = right.outputTypes
        let probe = try await instantiate(left, path: path + [0])
        let build = try await instantiate(right, path: path + [1])
        let engineKind = JoinKind(kind)
        let split = JoinCondition(condition, leftWidth: leftTypes.count)
        if split.probeKeys.isEmpty {
            var loopKind = engineKind
            var loopCondition = condition
            if engineKind == .nullAwareAnti {
                // `x NOT IN (SELECT v ...)` without a hashable `x = v`: a row stays when no subquery
                // row equals it or is NULL, and it is not NULL itself (unless there are none).
                switch condition {
                case .comparison(.equal, let outer, let inner)?:
                    loopCondition = .or([condition!, .isNull(outer, negated: false), .isNull(inner, negated: false)])
                case .constant(.null, _)?:
                    // `NULL NOT IN (...)`: true only when the subquery has no rows.
                    loopCondition = .constant(.bool(true), .boolean)
                default:
                    throw EngineError(.featureNotSupported, "this NOT IN subquery cannot be planned")
                }
                loopKind = .anti
            }
            return NestedLoopJoinOperator(
                probe: probe, build: build, condition: loopCondition, kind: loopKind, probeTypes: leftTypes,
                buildTypes: rightTypes,
                context: context, cancellation: cancellation, memoryBudget: context.memoryBudget)
        }
        return HashJoinOperator(
            probe: probe, build: build, probeKeys: split.probeKeys, buildKeys: split.buildKeys, kind: engineKind,
            residual: split.residual, probeTypes: leftTypes, buildTypes: rightTypes, context: context,
            cancellation: cancellation,
            memoryBudget: context.memoryBudget)
    }

    /// LIMIT and OFFSET as row counts; nil limit for none.
    func limits(_ limit: Expression?, _ offset: Expression?) throws(EngineError) -> (Int?, Int) {
        let limitValue = try limit.flatMap { expression throws(EngineError) in try constantInteger(expression) }
        let offsetValue = try offset.flatMap { expression throws(EngineError) in try constantInteger(expression) } ?? 0
        if let limitValue, limitValue < 0 {
            throw EngineError(.invalidRowCountInLimitClause, "LIMIT must not be negative")
        }
        if offsetValue < 0 { throw EngineError(.invalidRowCountInResultOffsetClause, "OFFSET must not be negative") }
        return (limitValue.map { Int($0) }, Int(offsetValue))
    }

    /// Evaluates a constant integer expression (LIMIT, generate_series bounds); nil for NULL.
    func constantInteger(_ expression: Expression) throws(EngineError) -> Int64? {
        let column = try evaluator.evaluate(.cast(expression, to: .int64), on: Batch(columns: [], rowCount: 1))
        guard case .int64(let v) = column.value(at: 0) else { return nil }
        return v
    }
}

extension JoinKind {
    init(_ kind: LogicalPlan.JoinType) {
        switch kind {
        case .inner, .cross: self = .inner
        case .left: self = .left
        case .right: self = .right
        case .full: self = .full
        case .semi: self = .semi
        case .anti: self = .anti
        case .nullAwareAnti: self = .nullAwareAnti
        }
    }
}
