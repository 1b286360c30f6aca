/// GROUP BY with aggregates: consumes its whole input into a `GroupTable` and per-aggregate columnar
/// state, then emits one row per group: the group key columns followed by one column per aggregate.
///
/// Without group keys it emits exactly one row, even for empty input (`count` 0, `sum` NULL), as
/// PostgreSQL does. NULL keys form one group. Groups come out in first-seen order unless the
/// operator spilled.
///
/// When the groups outgrow the query's memory budget and every call can be split (no DISTINCT,
/// in-call ORDER BY or ordered-set aggregate), the table's partial states go to spill files, one per
/// hash partition of the keys, and the table starts empty again; at the end each partition's states
/// are merged by a final aggregation of its own (which may spill again, on other hash bits). A
/// partial aggregation instead hands its states downstream early.
///
/// Calls that cannot be split (DISTINCT, in-call ORDER BY, ordered-set aggregates) keep their whole
/// input anyway, so a grouped complete aggregation holding one also keeps the rows it consumed,
/// reduced to the columns the calls read. Over the budget it writes those rows to spill files by
/// key hash, sends the rest of its input after them, and aggregates each partition afresh. Without
/// group keys there is nothing to split by, and such an aggregation fails with `53200`.
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
    private let memoryBudget: MemoryBudget?
    private let context: EvaluationContext
    /// How many times the rows above this operator were already split by hash (each level uses
    /// the next bits of the key hash).
    private let spillLevel: Int
    /// Partial states written so far, one file per hash partition; nil until the first spill.
    private var spillPartitions: [SpillFile]?
    /// After a spill, the final aggregations of the partitions, emitted one after another.
    private var partitionOutputs: [HashAggregateOperator] = []
    /// A partial aggregation's states handed downstream early when over the budget.
    private var flushed: Batch?
    /// For calls that cannot be split: the calls over `InputRows` columns, and the rows consumed so far.
    private let inputRows: InputRows?
    private var heldRows: [Batch] = []
    private var heldBytes = 0
    /// Input rows written so far by key hash once the held rows outgrew the budget; nil until then.
    private var inputPartitions: [SpillFile]?

    /// Hash partitions per spill, and how many levels of re-spilling a partition may take.
    static let spillFanOut = 16
    static let maximumSpillLevel = 4

    /// Whether the groups went to spill files (for tests and diagnostics).
    public var hasSpilled: Bool { spillPartitions != nil || inputPartitions != nil }

    /// Aggregates `input` grouped by `groupKeys`. Calls with DISTINCT or an in-call ORDER BY, and the
    /// ordered-set aggregates, are not decomposable: use them only in `.complete` mode.
    public convenience init(
        input: any BatchStream, groupKeys: [Expression], aggregates: [AggregateCall], mode: Mode = .complete,
        context: EvaluationContext, cancellation: QueryCancellation, memoryBudget: MemoryBudget? = nil
    ) throws(EngineError) {
        try self.init(
            input: input, groupKeys: groupKeys, aggregates: aggregates, mode: mode, context: context,
            cancellation: cancellation,
            memoryBudget: memoryBudget, spillLevel: 0)
    }

    private init(
        input: any BatchStream, groupKeys: [Expression], aggregates: [AggregateCall], mode: Mode,
        context: EvaluationContext,
        cancellation: QueryCancellation, memoryBudget: MemoryBudget?, spillLevel: Int
    ) throws(EngineError) {
        self.memoryBudget = memoryBudget
        self.context = context
        self.spillLevel = spillLevel
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
                    .internalError, "\(call.function.rawValue) cannot be split into partial and final aggregation")
            }
            accumulators.append(try GroupAccumulators.make(call))
        }
        let splittable = aggregates.allSatisfy { $0.function.isDecomposable && !$0.distinct && $0.orderBy.isEmpty }
        inputRows =
            mode == .complete && !groupKeys.isEmpty && !splittable && spillLevel < Self.maximumSpillLevel
            ? InputRows(groupKeys: groupKeys, aggregates: aggregates) : nil
    }

    /// The types of the output columns.
    public var outputTypes: [DataType] {
        groupKeys.map(\.type) + aggregates.flatMap { mode == .partial ? $0.stateTypes : [$0.resultType] }
    }

    /// True when the table's state can be written out as partial states and merged later.
    private var canSplit: Bool {
        !groupKeys.isEmpty && aggregates.allSatisfy { $0.function.isDecomposable && !$0.distinct && $0.orderBy.isEmpty }
    }

    public func next() async throws(EngineError) -> Batch? {
        if output == nil, !hasSpilled {
            while let batch = try await input.next() {
                try cancellation.check()
                if inputPartitions != nil {
                    try distribute(try inputRows!.project(batch, evaluator))
                    continue
                }
                try consume(batch)
                if let early = flushed {
                    flushed = nil
                    return early
                }
            }
            if spillPartitions != nil {
                try spillTable()
                try startPartitionOutputs()
            } else if inputPartitions != nil {
                try startInputPartitionOutputs()
            } else {
                output = try finish()
            }
        }
        if hasSpilled {
            while let partition = partitionOutputs.first {
                if let batch = try await partition.next() { return batch }
                partitionOutputs.removeFirst()
            }
            return nil
        }
        guard let output, emitted < output.rowCount else { return nil }
        let end = min(emitted + Batch.preferredRowCount, output.rowCount)
        defer { emitted = end }
        return output.slice(emitted..<end)
    }

    private func consume(_ batch: Batch) throws(EngineError) {
        let groupIds: [Int32]
        let keys = try groupKeys.map { key throws(EngineError) in try evaluator.evaluate(key, on: batch) }
        if groupKeys.isEmpty {
            groupIds = [Int32](repeating: 0, count: batch.rowCount)
        } else {
            let hashes = ColumnHashing.hashRows(keys, rowCount: batch.rowCount)
            let encoded = try EncodedKeys(keys, rowCount: batch.rowCount)
            let found = table.findOrInsert(hashes: hashes, keys: encoded)
            groupIds = found.groupIds
            if !found.newRows.isEmpty { keyChunks.append(keys.map { $0.gather(found.newRows) }) }
        }
        let groupCount = groupKeys.isEmpty ? 1 : table.groupCount
        for (call, accumulator) in zip(aggregates, accumulators) {
            // With FILTER, arguments and ORDER BY keys are computed only on the rows it selects, so
            // `count(10 / x) FILTER (WHERE x <> 0)` never divides by zero.
            var selected: [Int32]? = nil
            if let filter = call.filter, mode != .final {
                let satisfying = try evaluator.rowsSatisfying(filter, in: batch)
                if satisfying.count != batch.rowCount { selected = satisfying }
            }
            let arguments = try call.arguments.map { argument throws(EngineError) in
                try evaluator.evaluate(argument, on: batch, rows: selected)
            }
            let orderKeys = try call.orderBy.map { key throws(EngineError) in
                try evaluator.evaluate(key.expression, on: batch, rows: selected)
            }
            let rows = selected.map { $0.map { groupIds[Int($0)] } } ?? groupIds
            if mode == .final {
                try accumulator.merge(groupIds: rows, states: arguments, groupCount: groupCount)
            } else {
                try accumulator.update(
                    groupIds: rows, arguments: arguments, orderKeys: orderKeys, groupCount: groupCount)
            }
        }
        if let inputRows {
            let rows = try inputRows.project(batch, evaluator, keys: keys)
            heldRows.append(rows)
            heldBytes += rows.approximateBytes
        }
        let keyBytes = keyChunks.reduce(0) { $0 + $1.reduce(0) { $0 + $1.approximateBytes } }
        do {
            try reservation.resize(
                to: table.approximateBytes + keyBytes + accumulators.reduce(0) { $0 + $1.approximateBytes } + heldBytes)
        } catch  where error.sqlState == .outOfMemory && inputRows != nil {
            try spillHeldRows()
        } catch  where error.sqlState == .outOfMemory && canSplit && table.groupCount > 0 {
            if mode == .partial {
                // The final aggregation merges states however often a group comes: hand these down now.
                flushed = try finish()
                try resetTable()
            } else if spillLevel < Self.maximumSpillLevel {
                try spillTable()
            } else {
                throw error
            }
        }
    }

    /// Empties the group table and the accumulators, giving their memory back.
    private func resetTable() throws(EngineError) {
        table = GroupTable()
        keyChunks = []
        accumulators = try aggregates.map { call throws(EngineError) in try GroupAccumulators.make(call) }
        try reservation.resize(to: 0)
    }

    /// Writes the table's groups as partial states to the spill partitions (by hash bits of this
    /// level) and empties the table.
    private func spillTable() throws(EngineError) {
        let stateTypes = groupKeys.map(\.type) + aggregates.flatMap(\.stateTypes)
        if spillPartitions == nil {
            spillPartitions = try (0..<Self.spillFanOut).map { _ throws(EngineError) in try SpillFile(types: stateTypes)
            }
        }
        guard table.groupCount > 0 else { return }
        let groupCount = table.groupCount
        var columns = groupKeys.indices.map { index in
            Column.concatenate(keyChunks.map { $0[index] }, type: groupKeys[index].type)
        }
        for accumulator in accumulators { columns += try accumulator.states(groupCount: groupCount) }
        let states = Batch(columns: columns, rowCount: groupCount)
        let hashes = ColumnHashing.hashRows(Array(columns.prefix(groupKeys.count)), rowCount: groupCount)
        var rowsByPartition = [[Int32]](repeating: [], count: Self.spillFanOut)
        for (row, hash) in hashes.enumerated() {
            rowsByPartition[Int((hash >> UInt64(8 * spillLevel)) % UInt64(Self.spillFanOut))].append(Int32(row))
        }
        for (partition, rows) in rowsByPartition.enumerated() where !rows.isEmpty {
            try spillPartitions![partition].append(states.gather(rows))
        }
        try resetTable()
    }

    /// Writes the held input rows to spill files by key hash and empties the table; the rest of the
    /// input follows them there.
    private func spillHeldRows() throws(EngineError) {
        inputPartitions = try (0..<Self.spillFanOut).map { _ throws(EngineError) in
            try SpillFile(types: inputRows!.types)
        }
        for rows in heldRows { try distribute(rows) }
        heldRows = []
        heldBytes = 0
        try resetTable()
    }

    /// Appends input rows (in `InputRows` layout) to their hash partitions' spill files.
    private func distribute(_ rows: Batch) throws(EngineError) {
        let hashes = ColumnHashing.hashRows(Array(rows.columns.prefix(groupKeys.count)), rowCount: rows.rowCount)
        var rowsByPartition = [[Int32]](repeating: [], count: Self.spillFanOut)
        for (row, hash) in hashes.enumerated() {
            rowsByPartition[Int((hash >> UInt64(8 * spillLevel)) % UInt64(Self.spillFanOut))].append(Int32(row))
        }
        for (partition, selected) in rowsByPartition.enumerated() where !selected.isEmpty {
            try inputPartitions![partition].append(selected.count == rows.rowCount ? rows : rows.gather(selected))
        }
    }

    /// One complete aggregation per input partition, over the calls rewritten to its columns.
    private func startInputPartitionOutputs() throws(EngineError) {
        let keys = groupKeys.indices.map { Expression.column(index: $0, type: groupKeys[$0].type) }
        for file in inputPartitions ?? [] where file.rowCount > 0 {
            try file.finish()
            partitionOutputs.append(
                try HashAggregateOperator(
                    input: try file.reader(), groupKeys: keys, aggregates: inputRows!.calls, mode: .complete,
                    context: context, cancellation: cancellation, memoryBudget: memoryBudget, spillLevel: spillLevel + 1
                ))
        }
    }

    /// One final aggregation per spill partition, merging that partition's partial states.
    private func startPartitionOutputs() throws(EngineError) {
        var offset = groupKeys.count
        let finalCalls = aggregates.map { call -> AggregateCall in
            var final = call
            final.arguments = call.stateTypes.enumerated().map {
                Expression.column(index: offset + $0.offset, type: $0.element)
            }
            final.filter = nil
            offset += call.stateTypes.count
            return final
        }
        let keys = groupKeys.indices.map { Expression.column(index: $0, type: groupKeys[$0].type) }
        for file in spillPartitions ?? [] where file.rowCount > 0 {
            try file.finish()
            partitionOutputs.append(
                try HashAggregateOperator(
                    input: try file.reader(), groupKeys: keys, aggregates: finalCalls, mode: .final,
                    context: context, cancellation: cancellation, memoryBudget: memoryBudget, spillLevel: spillLevel + 1
                ))
        }
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

/// The input columns an aggregation's calls read, kept as rows so the aggregation can be redone
/// partition by partition: the group keys, then for each call its arguments, its ORDER BY keys and
/// its FILTER result.
private struct InputRows {
    let expressions: [Expression]
    /// For each expression, the index of the FILTER it is computed under (a call's arguments and
    /// ORDER BY keys are computed only on the rows its FILTER selects, NULL on the others).
    let filterIndexes: [Int?]
    let groupKeyCount: Int
    /// The calls, reading these columns instead of the original input.
    let calls: [AggregateCall]

    var types: [DataType] { expressions.map(\.type) }

    init(groupKeys: [Expression], aggregates: [AggregateCall]) {
        var expressions = groupKeys
        var filterIndexes: [Int?] = groupKeys.map { _ in nil }
        func column(_ expression: Expression, under filter: Int?) -> Expression {
            expressions.append(expression)
            filterIndexes.append(filter)
            return .column(index: expressions.count - 1, type: expression.type)
        }
        calls = aggregates.map { call in
            var rewritten = call
            // The FILTER comes first, so the columns it guards can name it.
            rewritten.filter = call.filter.map { column($0, under: nil) }
            let filterIndex: Int? = call.filter == nil ? nil : expressions.count - 1
            rewritten.arguments = call.arguments.map { column($0, under: filterIndex) }
            rewritten.orderBy = call.orderBy.map { key in
                var key = key
                key.expression = column(key.expression, under: filterIndex)
                return key
            }
            return rewritten
        }
        self.expressions = expressions
        self.filterIndexes = filterIndexes
        groupKeyCount = groupKeys.count
    }

    /// `batch`'s rows in this layout; `keys` are the group key columns when already evaluated.
    func project(_ batch: Batch, _ evaluator: ExpressionEvaluator, keys: [Column]? = nil) throws(EngineError) -> Batch {
        var columns = keys ?? []
        var selections: [Int: [Int32]] = [:]
        for index in columns.count..<expressions.count {
            guard let filterIndex = filterIndexes[index] else {
                columns.append(try evaluator.evaluate(expressions[index], on: batch))
                continue
            }
            if selections[filterIndex] == nil {
                selections[filterIndex] = try evaluator.rowsSatisfying(expressions[filterIndex], in: batch)
            }
            columns.append(try evaluator.evaluate(expressions[index], on: batch, onlyRows: selections[filterIndex]!))
        }
        return Batch(columns: columns, rowCount: batch.rowCount)
    }
}
