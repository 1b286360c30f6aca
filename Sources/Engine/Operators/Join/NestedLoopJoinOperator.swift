/// Cross joins and joins on conditions without equality keys: the build input is materialized, and
/// every probe batch is paired with it block by block (about one batch of pairs at a time), the
/// condition evaluated over each block's combined columns (probe columns, then build columns).
///
/// Kinds: inner, left, right, full, semi and anti. `nullAwareAnti` needs equality keys; use the hash join.
public final class NestedLoopJoinOperator: BatchStream {
    private let probeInput: any BatchStream
    private let buildInput: any BatchStream
    private let condition: Expression?
    private let kind: JoinKind
    private let probeTypes: [DataType]
    private let buildTypes: [DataType]
    private let evaluator: ExpressionEvaluator
    private let cancellation: QueryCancellation
    private var reservation: MemoryReservation
    private var build: Batch?
    private var buildMatched: [UInt8] = []
    private var pending: [Batch] = []
    private var probeFinished = false

    /// `condition` nil joins every pair (CROSS JOIN). Types are the inputs' column types.
    public init(
        probe: any BatchStream, build: any BatchStream, condition: Expression?, kind: JoinKind,
        probeTypes: [DataType], buildTypes: [DataType], context: EvaluationContext, cancellation: QueryCancellation,
        memoryBudget: MemoryBudget? = nil
    ) {
        precondition(kind != .nullAwareAnti, "NOT IN needs a hash join on its keys")
        self.probeInput = probe
        self.buildInput = build
        self.condition = condition
        self.kind = kind
        self.probeTypes = probeTypes
        self.buildTypes = buildTypes
        self.evaluator = ExpressionEvaluator(context: context)
        self.cancellation = cancellation
        self.reservation = MemoryReservation(budget: memoryBudget, consumer: "nested loop join")
    }

    public func next() async throws(EngineError) -> Batch? {
        if build == nil { try await materializeBuild() }
        guard let build else { return nil }
        while pending.isEmpty {
            if probeFinished { return nil }
            guard let batch = try await probeInput.next() else {
                probeFinished = true
                if kind.keepsUnmatchedBuild,
                    let rest = JoinRows.select(
                        build, matched: buildMatched, wanted: false, nullColumns: probeTypes, nullsFirst: true)
                {
                    pending.append(rest)
                }
                break
            }
            try cancellation.check()
            try join(batch, build)
        }
        return pending.isEmpty ? nil : pending.removeFirst()
    }

    private func materializeBuild() async throws(EngineError) {
        var batches: [Batch] = []
        var held = 0
        while let batch = try await buildInput.next() {
            try cancellation.check()
            batches.append(batch)
            held += batch.approximateBytes
            try reservation.resize(to: held)
        }
        let all =
            batches.isEmpty
            ? Batch(columns: buildTypes.map { .nulls($0, count: 0) }, rowCount: 0)
            : Batch.concatenate(batches, types: buildTypes)
        buildMatched = [UInt8](repeating: 0, count: all.rowCount)
        build = all
    }

    private func join(_ batch: Batch, _ build: Batch) throws(EngineError) {
        var matched = [UInt8](repeating: 0, count: batch.rowCount)
        let buildCount = build.rowCount
        if buildCount > 0 {
            let probeRowsPerBlock = max(1, Batch.preferredRowCount / buildCount)
            var firstRow = 0
            while firstRow < batch.rowCount {
                let lastRow = min(firstRow + probeRowsPerBlock, batch.rowCount)
                var probeRows: [Int32] = []
                var buildRows: [Int32] = []
                probeRows.reserveCapacity((lastRow - firstRow) * buildCount)
                buildRows.reserveCapacity((lastRow - firstRow) * buildCount)
                for row in firstRow..<lastRow {
                    for buildRow in 0..<buildCount {
                        probeRows.append(Int32(row))
                        buildRows.append(Int32(buildRow))
                    }
                }
                if let pairs = try JoinRows.matchPairs(
                    kind, residual: condition, evaluator: evaluator, probe: batch, probeRows: probeRows, build: build,
                    buildRows: buildRows, matched: &matched, buildMatched: &buildMatched)
                {
                    pending.append(pairs)
                }
                firstRow = lastRow
                try cancellation.check()
            }
        }
        let finished = JoinRows.probeRemainder(kind, batch, matched: matched, buildTypes: buildTypes)
        if let finished { pending.append(finished) }
    }
}
