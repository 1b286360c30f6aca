/// Window functions (`... OVER (PARTITION BY ... ORDER BY ... frame)`): emits every input row with
/// one more column per function.
///
/// The input is materialized (accounted against the query's memory budget, like a sort). Functions
/// that share PARTITION BY and ORDER BY (`sortGroups`) share one stable sort of the rows by
/// byte-comparable keys (`EncodedKeys`), which is cut into partitions and peer groups; each function
/// then runs over whole columns in that order. Rows come out in the order of the last function's
/// sort, as PostgreSQL's last window step leaves them. Runs on one thread.
public final class WindowOperator: BatchStream {
    private let input: any BatchStream
    private let functions: [WindowFunctionCall]
    private let sortGroups: [Int]
    private let evaluator: ExpressionEvaluator
    private let cancellation: QueryCancellation
    private var reservation: MemoryReservation
    private var rows: Batch?
    /// Output position → input row; nil when rows come out in input order.
    private var outputOrder: [Int32]?
    /// One column per function, already in output order.
    private var results: [Column] = []
    private var emitted = 0

    /// `sortGroups[i]` names the sort function `i` uses: functions with equal numbers must have the
    /// same `partitionBy` and `orderBy`. By default every function sorts on its own.
    public init(
        input: any BatchStream, functions: [WindowFunctionCall], sortGroups: [Int]? = nil, context: EvaluationContext,
        cancellation: QueryCancellation, memoryBudget: MemoryBudget? = nil
    ) {
        self.input = input
        self.functions = functions
        self.sortGroups = sortGroups ?? Array(functions.indices)
        self.evaluator = ExpressionEvaluator(context: context)
        self.cancellation = cancellation
        self.reservation = MemoryReservation(budget: memoryBudget, consumer: "window")
    }

    public func next() async throws(EngineError) -> Batch? {
        if rows == nil { try await compute() }
        guard let rows, emitted < rows.rowCount else { return nil }
        let range = emitted..<min(emitted + Batch.preferredRowCount, rows.rowCount)
        emitted = range.upperBound
        let inputColumns: [Column]
        if let outputOrder {
            let indices = Array(outputOrder[range])
            inputColumns = rows.columns.map { $0.gather(indices) }
        } else {
            inputColumns = rows.columns.map { $0.slice(range) }
        }
        return Batch(columns: inputColumns + results.map { $0.slice(range) }, rowCount: range.count)
    }

    private func compute() async throws(EngineError) {
        var batches: [Batch] = []
        var held = 0
        while let batch = try await input.next() {
            try cancellation.check()
            guard batch.rowCount > 0 else { continue }
            batches.append(batch)
            held += batch.approximateBytes
            try reservation.resize(to: held)
        }
        guard let first = batches.first else {
            rows = Batch(columns: [], rowCount: 0)
            return
        }
        let all = Batch.concatenate(batches, types: first.columns.map(\.type))
        batches = []
        var computed = [Column?](repeating: nil, count: functions.count)
        // The group of the last function sorts last, so its order is the output order.
        var groupOrder: [Int] = []
        for group in sortGroups where !groupOrder.contains(group) { groupOrder.append(group) }
        if let last = sortGroups.last, let index = groupOrder.firstIndex(of: last) {
            groupOrder.append(groupOrder.remove(at: index))
        }
        for (step, group) in groupOrder.enumerated() {
            try cancellation.check()
            let members = functions.indices.filter { sortGroups[$0] == group }
            let spec = functions[members[0]]
            let partitioning = try WindowPartitioning(
                partitionKeys: try spec.partitionBy.map { e throws(EngineError) in try evaluator.evaluate(e, on: all) },
                orderKeys: try spec.orderBy.map { key throws(EngineError) in
                    try evaluator.evaluate(key.expression, on: all)
                },
                orderings: spec.orderBy.map(\.ordering), rowCount: all.rowCount)
            let isLast = step == groupOrder.count - 1
            for index in members {
                try cancellation.check()
                let result = try evaluate(functions[index], partitioning, all)
                computed[index] = isLast ? result : partitioning.unsorted(result)
                held += result.approximateBytes
                try reservation.resize(to: held)
            }
            if isLast {
                outputOrder = partitioning.order
                // Functions sorted differently are in input order; bring them into the output order.
                for index in functions.indices where sortGroups[index] != group {
                    computed[index] = computed[index].map(partitioning.sorted)
                }
            }
        }
        results = computed.map { $0! }
        rows = all
    }

    /// One function's values in `partitioning`'s window order.
    private func evaluate(_ call: WindowFunctionCall, _ partitioning: WindowPartitioning, _ rows: Batch)
        throws(EngineError) -> Column
    {
        func sortedArguments(_ expressions: [Expression]) throws(EngineError) -> [Column] {
            try expressions.map { e throws(EngineError) in partitioning.sorted(try evaluator.evaluate(e, on: rows)) }
        }
        func frames() throws(EngineError) -> WindowFrameBounds {
            try WindowFrameBounds(
                call.frame, orderings: call.orderBy.map(\.ordering), partitioning: partitioning, rows: rows,
                evaluator: evaluator)
        }
        switch call.function {
        case .rowNumber, .rank, .denseRank, .percentRank, .cumeDist, .ntile:
            return try WindowRankingFunctions.compute(
                call.function, partitioning, arguments: try sortedArguments(call.arguments))
        case .lag:
            return WindowValueFunctions.shifted(try sortedArguments(call.arguments), lag: true, partitioning)
        case .lead:
            return WindowValueFunctions.shifted(try sortedArguments(call.arguments), lag: false, partitioning)
        case .firstValue, .lastValue, .nthValue:
            return try WindowValueFunctions.framed(call.function, try sortedArguments(call.arguments), try frames())
        case .aggregate(let aggregate):
            let included: ValidityBitmap?
            let arguments: [Column]
            if let filter = aggregate.filter {
                // Arguments are computed only on the rows FILTER selects (NULL on the others, which
                // `included` leaves out), as PostgreSQL computes them.
                included = ValidityBitmap.trueRows(of: partitioning.sorted(try evaluator.evaluate(filter, on: rows)))
                let selected = try evaluator.rowsSatisfying(filter, in: rows)
                arguments = try aggregate.arguments.map { argument throws(EngineError) in
                    partitioning.sorted(try evaluator.evaluate(argument, on: rows, onlyRows: selected))
                }
            } else {
                included = nil
                arguments = try sortedArguments(aggregate.arguments)
            }
            return try WindowAggregates.compute(
                aggregate, arguments: arguments, included: included,
                frames: try frames(),
                partitioning: partitioning, cancellation: cancellation)
        }
    }
}
