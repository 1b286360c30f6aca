/// GROUP BY with aggregates: consumes its whole input into a `GroupTable` and per-aggregate columnar
/// state, then emits one row per group: the group key columns followed by one column per aggregate.
///
/// Without group keys it emits exactly one row, even for empty input (`count` 0, `sum` NULL), as
/// PostgreSQL does. NULL keys form one group. Groups come out in first-seen order.
public final class HashAggregateOperator: BatchStream {
    /// Where this operator sits in a split aggregation.
    public enum Mode: Sendable {
        /// Input rows in, final values out.
        case complete
        /// Input rows in, partial states out: key columns, then each aggregate's `stateTypes` columns.
        case partial
        /// Partial states in (each call's `arguments` point at its state columns), final values out.
        case final
    }

    private let input: any BatchStream
    private let groupKeys: [Expression]
    private let aggregates: [AggregateCall]
    private let mode: Mode
    private let evaluator: ExpressionEvaluator
    private let cancellation: QueryCancellation
    private var reservation: MemoryReservation
    private var table = GroupTable()
    private var accumulators: [any GroupAccumulator] = []
    private var keyChunks: [[Column]] = []
    private var output: Batch?
    private var emitted = 0

    /// Aggregates `input` grouped by `groupKeys`. Calls with DISTINCT or an in-call ORDER BY, and the
    /// ordered-set aggregates, are not decomposable: use them only in `.complete` mode.
    public init(
        input: any BatchStream, groupKeys: [Expression], aggregates: [AggregateCall], mode: Mode = .complete,
        context: EvaluationContext, cancellation: QueryCancellation, memoryBudget: MemoryBudget? = nil
    ) throws(EngineError) {
        self.input = input
        self.groupKeys = groupKeys
        self.aggregates = aggregates
        self.mode = mode
        self.evaluator = ExpressionEvaluator(context: context)
        self.cancellation = cancellation
        self.reservation = MemoryReservation(budget: memoryBudget, consumer: "hash aggregate")
        for call in aggregates {
            if mode != .complete, call.distinct || !call.function.isDecomposable || !call.orderBy.isEmpty {
                throw EngineError(
                    "XX000", "\(call.function.rawValue) cannot be split into partial and final aggregation")
            }
            accumulators.append(try GroupAccumulators.make(call))
        }
    }

    /// The types of the output columns.
    public var outputTypes: [DataType] {
        groupKeys.map(\.type) + aggregates.flatMap { mode == .partial ? $0.stateTypes : [$0.resultType] }
    }

    public func next() async throws(EngineError) -> Batch? {
        if output == nil {
            while let batch = try await input.next() {
                try cancellation.check()
                try consume(batch)
            }
            output = try finish()
        }
        guard let output, emitted < output.rowCount else { return nil }
        let end = min(emitted + Batch.preferredRowCount, output.rowCount)
        defer { emitted = end }
        return output.slice(emitted..<end)
    }

    private func consume(_ batch: Batch) throws(EngineError) {
        let groupIds: [Int32]
        if groupKeys.isEmpty {
            groupIds = [Int32](repeating: 0, count: batch.rowCount)
        } else {
            let keys = try groupKeys.map { key throws(EngineError) in try evaluator.evaluate(key, on: batch) }
            let hashes = ColumnHashing.hashRows(keys, rowCount: batch.rowCount)
            let encoded = try EncodedKeys(keys, rowCount: batch.rowCount)
            let found = table.findOrInsert(hashes: hashes, keys: encoded)
            groupIds = found.groupIds
            if !found.newRows.isEmpty { keyChunks.append(keys.map { $0.gather(found.newRows) }) }
        }
        let groupCount = groupKeys.isEmpty ? 1 : table.groupCount
        for (call, accumulator) in zip(aggregates, accumulators) {
            var arguments = try call.arguments.map { argument throws(EngineError) in
                try evaluator.evaluate(argument, on: batch)
            }
            var orderKeys = try call.orderBy.map { key throws(EngineError) in
                try evaluator.evaluate(key.expression, on: batch)
            }
            var rows = groupIds
            if let filter = call.filter, mode != .final {
                let selected = try evaluator.rowsSatisfying(filter, in: batch)
                if selected.count != batch.rowCount {
                    arguments = arguments.map { $0.gather(selected) }
                    orderKeys = orderKeys.map { $0.gather(selected) }
                    rows = selected.map { groupIds[Int($0)] }
                }
            }
            if mode == .final {
                try accumulator.merge(groupIds: rows, states: arguments, groupCount: groupCount)
            } else {
                try accumulator.update(
                    groupIds: rows, arguments: arguments, orderKeys: orderKeys, groupCount: groupCount)
            }
        }
        let keyBytes = keyChunks.reduce(0) { $0 + $1.reduce(0) { $0 + $1.approximateBytes } }
        try reservation.resize(
            to: table.approximateBytes + keyBytes + accumulators.reduce(0) { $0 + $1.approximateBytes })
    }

    private func finish() throws(EngineError) -> Batch {
        let groupCount = groupKeys.isEmpty ? 1 : table.groupCount
        var columns = groupKeys.indices.map { index in
            Column.concatenate(keyChunks.map { $0[index] }, type: groupKeys[index].type)
        }
        for accumulator in accumulators {
            if mode == .partial {
                columns += try accumulator.states(groupCount: groupCount)
            } else {
                columns.append(try accumulator.finish(groupCount: groupCount))
            }
        }
        keyChunks = []
        return Batch(columns: columns, rowCount: groupCount)
    }
}
