/// Equi-join: the build input is consumed whole into a `JoinHashTable`, then the probe input streams
/// through it batch by batch.
///
/// Output rows hold the probe columns followed by the build columns (semi/anti joins: probe columns
/// only). NULL keys never match. The optional residual predicate sees the same combined columns and
/// decides, with the keys, what counts as a match (so it also governs outer-join null extension).
public final class HashJoinOperator: BatchStream {
    private let probeInput: any BatchStream
    private let buildInput: any BatchStream
    private let probeKeys: [Expression]
    private let buildKeys: [Expression]
    private let kind: JoinKind
    private let residual: Expression?
    private let probeTypes: [DataType]
    private let buildTypes: [DataType]
    private let evaluator: ExpressionEvaluator
    private let cancellation: QueryCancellation
    private var reservation: MemoryReservation

    private var table: JoinHashTable?
    private var build = Batch(columns: [], rowCount: 0)
    private var buildMatched: [UInt8] = []
    private var buildHasNullKey = false
    private var probe: ProbeState?
    private var pending: [Batch] = []
    private var probeFinished = false

    /// The probe batch being joined and how far through it the join is.
    private struct ProbeState {
        var batch: Batch
        var keyValid: [Bool]
        /// Each row's first matching build row, or -1.
        var firstMatches: [Int32]
        var matched: [UInt8]
        var nextRow = 0
        /// The next build row of `nextRow`'s chain to pair, or -1 to start the row afresh.
        var chainCursor: Int32 = -1
    }

    /// `probeTypes` and `buildTypes` are the column types of the two inputs, needed to null-extend rows
    /// when the other side is empty.
    public init(
        probe: any BatchStream, build: any BatchStream, probeKeys: [Expression], buildKeys: [Expression],
        kind: JoinKind, residual: Expression? = nil, probeTypes: [DataType], buildTypes: [DataType],
        context: EvaluationContext, cancellation: QueryCancellation, memoryBudget: MemoryBudget? = nil
    ) {
        precondition(probeKeys.count == buildKeys.count, "hash join needs as many probe keys as build keys")
        self.probeInput = probe
        self.buildInput = build
        self.probeKeys = probeKeys
        self.buildKeys = buildKeys
        self.kind = kind
        self.residual = residual
        self.probeTypes = probeTypes
        self.buildTypes = buildTypes
        self.evaluator = ExpressionEvaluator(context: context)
        self.cancellation = cancellation
        self.reservation = MemoryReservation(budget: memoryBudget, consumer: "hash join")
    }

    public func next() async throws(EngineError) -> Batch? {
        if table == nil { try await buildTable() }
        while true {
            if !pending.isEmpty { return pending.removeFirst() }
            if probe == nil {
                if probeFinished { return nil }
                if kind == .nullAwareAnti, buildHasNullKey { probeFinished = true; continue }
                guard let batch = try await probeInput.next() else {
                    probeFinished = true
                    if kind.keepsUnmatchedBuild,
                        let rest = JoinRows.select(
                            build, matched: buildMatched, wanted: false, nullColumns: probeTypes, nullsFirst: true)
                    {
                        pending = rest.rowCount > 0 ? [rest] : []
                    }
                    continue
                }
                try cancellation.check()
                probe = try startProbe(batch)
            }
            try advanceProbe()
        }
    }

    private func keyColumns(_ keys: [Expression], _ batch: Batch) throws(EngineError) -> (EncodedKeys, [UInt64], [Bool])
    {
        let columns = try keys.map { key throws(EngineError) in try evaluator.evaluate(key, on: batch) }
        var valid = [Bool](repeating: true, count: batch.rowCount)
        for column in columns {
            guard let validity = column.nullableValidity else { continue }
            for row in 0..<batch.rowCount where !validity[row] { valid[row] = false }
        }
        return (
            try EncodedKeys(columns, rowCount: batch.rowCount),
            ColumnHashing.hashRows(columns, rowCount: batch.rowCount), valid
        )
    }

    private func buildTable() async throws(EngineError) {
        var batches: [Batch] = []
        var keys = EncodedKeys.empty
        var hashes: [UInt64] = []
        var valid: [Bool] = []
        var held = 0
        while let batch = try await buildInput.next() {
            try cancellation.check()
            guard batch.rowCount > 0 else { continue }
            let (batchKeys, batchHashes, batchValid) = try keyColumns(buildKeys, batch)
            keys.append(batchKeys)
            hashes += batchHashes
            valid += batchValid
            batches.append(batch)
            held += batch.approximateBytes + batchKeys.bytes.count + batch.rowCount * 25
            try reservation.resize(to: held)
        }
        build =
            batches.isEmpty
            ? Batch(columns: buildTypes.map { .nulls($0, count: 0) }, rowCount: 0)
            : Batch.concatenate(batches, types: buildTypes)
        buildHasNullKey = valid.contains(false)
        buildMatched = [UInt8](repeating: 0, count: build.rowCount)
        let built = JoinHashTable(hashes: hashes, keys: keys, insertable: valid)
        try reservation.resize(to: build.approximateBytes + built.approximateBytes + buildMatched.count)
        table = built
    }

    private func startProbe(_ batch: Batch) throws(EngineError) -> ProbeState {
        let (keys, hashes, valid) = try keyColumns(probeKeys, batch)
        return ProbeState(
            batch: batch, keyValid: valid, firstMatches: table!.firstMatches(hashes: hashes, keys: keys, valid: valid),
            matched: [UInt8](repeating: 0, count: batch.rowCount))
    }

    /// Pairs up to about one batch of probe rows with their build matches, then emits what is decided.
    private func advanceProbe() throws(EngineError) {
        guard var state = probe, let table else { return }
        probe = nil  // keeps `state`'s arrays uniquely referenced while they are updated
        if kind == .nullAwareAnti, build.rowCount == 0 {
            pending.append(state.batch)
            return
        }
        let existenceOnly = kind.outputsProbeOnly && residual == nil
        var probeRows: [Int32] = []
        var buildRows: [Int32] = []
        while state.nextRow < state.batch.rowCount, probeRows.count < Batch.preferredRowCount {
            let row = state.nextRow
            if !state.keyValid[row] {
                state.nextRow += 1
                continue
            }
            var match =
                state.chainCursor >= 0
                ? state.chainCursor : state.firstMatches[row]
            if existenceOnly {
                if match >= 0 { state.matched[row] = 1 }
                match = -1
            }
            while match >= 0, probeRows.count < Batch.preferredRowCount {
                probeRows.append(Int32(row))
                buildRows.append(match)
                match = table.nextMatch(after: match)
            }
            if match >= 0 {
                state.chainCursor = match
            } else {
                state.chainCursor = -1
                state.nextRow += 1
            }
        }
        if !probeRows.isEmpty,
            let pairs = try JoinRows.matchPairs(
                kind, residual: residual, evaluator: evaluator, probe: state.batch, probeRows: probeRows, build: build,
                buildRows: buildRows, matched: &state.matched, buildMatched: &buildMatched)
        {
            pending.append(pairs)
        }
        probe = state
        guard state.nextRow >= state.batch.rowCount else { return }
        probe = nil
        let finished = JoinRows.probeRemainder(
            kind, state.batch, matched: state.matched, excluded: state.keyValid.map { !$0 }, buildTypes: buildTypes)
        if let finished { pending.append(finished) }
    }
}
