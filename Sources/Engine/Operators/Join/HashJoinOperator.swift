/// Equi-join: the build input is consumed whole into a `JoinHashTable`, then the probe input streams
/// through it batch by batch.
///
/// Output rows hold the probe columns followed by the build columns (semi/anti joins: probe columns
/// only). NULL keys never match. The optional residual predicate sees the same combined columns and
/// decides, with the keys, what counts as a match (so it also governs outer-join null extension).
///
/// When the build side outgrows the query's memory budget, the join becomes a grace hash join: both
/// inputs are written to spill files in 16 partitions by key hash, and each pair of partitions is
/// joined on its own, spilling again on the next hash bits if it must. Rows with NULL keys match
/// nothing, so they go to no partition: those the join keeps unmatched are spilled apart and come out
/// last (however many there are, they never make a partition too big to join). NOT IN's NULL rule is settled over the whole build side while it is
/// partitioned: a NULL build key means no rows at all, and (the build side being non-empty, or it
/// would not have spilled) probe rows with NULL keys are dropped, so each partition pair is a plain
/// anti join.
public final class HashJoinOperator: BatchStream {
    private let probeInput: any BatchStream
    private let buildSource: BuildSource
    private let probeKeys: [Expression]
    private let kind: JoinKind
    private let residual: Expression?
    private let probeTypes: [DataType]
    private let buildTypes: [DataType]
    private let evaluator: ExpressionEvaluator
    private let cancellation: QueryCancellation
    private var reservation: MemoryReservation

    private var side: JoinBuildSide?
    private var buildMatched: [UInt8] = []
    private var probe: ProbeState?
    private var pending: [Batch] = []
    private var probeFinished = false
    private let context: EvaluationContext
    private let memoryBudget: MemoryBudget?
    /// How many times the rows were already partitioned by hash above this join.
    private let spillLevel: Int
    /// After a spill, the joins of the partition pairs and then the rows with NULL keys the join
    /// keeps, emitted one after another.
    private var partitionJoins: [any BatchStream]?

    static let spillFanOut = 16
    static let maximumSpillLevel = 4

    /// Whether the join became a grace hash join over spill files (for tests and diagnostics).
    public var hasSpilled: Bool { partitionJoins != nil }

    private enum BuildSource {
        case stream(any BatchStream, keys: [Expression])
        case shared(SharedJoinBuild)
    }

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
    public convenience init(
        probe: any BatchStream, build: any BatchStream, probeKeys: [Expression], buildKeys: [Expression],
        kind: JoinKind, residual: Expression? = nil, probeTypes: [DataType], buildTypes: [DataType],
        context: EvaluationContext, cancellation: QueryCancellation, memoryBudget: MemoryBudget? = nil
    ) {
        self.init(
            probe: probe, build: build, probeKeys: probeKeys, buildKeys: buildKeys, kind: kind, residual: residual,
            probeTypes: probeTypes,
            buildTypes: buildTypes, context: context, cancellation: cancellation, memoryBudget: memoryBudget,
            spillLevel: 0)
    }

    private init(
        probe: any BatchStream, build: any BatchStream, probeKeys: [Expression], buildKeys: [Expression],
        kind: JoinKind, residual: Expression?, probeTypes: [DataType], buildTypes: [DataType],
        context: EvaluationContext, cancellation: QueryCancellation, memoryBudget: MemoryBudget?, spillLevel: Int
    ) {
        Self.checkKeys(probeKeys.map(\.type), buildKeys.map(\.type))
        self.context = context
        self.memoryBudget = memoryBudget
        self.spillLevel = spillLevel
        self.probeInput = probe
        self.buildSource = .stream(build, keys: buildKeys)
        self.probeKeys = probeKeys
        self.kind = kind
        self.residual = residual
        self.probeTypes = probeTypes
        self.buildTypes = buildTypes
        self.evaluator = ExpressionEvaluator(context: context)
        self.cancellation = cancellation
        self.reservation = MemoryReservation(budget: memoryBudget, consumer: "hash join")
    }

    /// One probe partition of a parallel join over a build side built once for all partitions.
    /// `kind` must not be `.right` or `.full`.
    public init(
        probe: any BatchStream, sharedBuild: SharedJoinBuild, probeKeys: [Expression], kind: JoinKind,
        residual: Expression? = nil, probeTypes: [DataType], context: EvaluationContext, cancellation: QueryCancellation
    ) {
        precondition(!kind.keepsUnmatchedBuild, "right and full joins cannot share a build side")
        Self.checkKeys(probeKeys.map(\.type), sharedBuild.keyTypes)
        self.context = context
        self.memoryBudget = nil
        self.spillLevel = 0
        self.probeInput = probe
        self.buildSource = .shared(sharedBuild)
        self.probeKeys = probeKeys
        self.kind = kind
        self.residual = residual
        self.probeTypes = probeTypes
        self.buildTypes = sharedBuild.types
        self.evaluator = ExpressionEvaluator(context: context)
        self.cancellation = cancellation
        self.reservation = MemoryReservation(budget: nil, consumer: "hash join")
    }

    /// Keys compare as encoded bytes, so both sides must share a layout (and a numeric scale); the binder
    /// casts them to a common type first.
    private static func checkKeys(_ probe: [DataType], _ build: [DataType]) {
        precondition(probe.count == build.count, "hash join needs as many probe keys as build keys")
        for (p, b) in zip(probe, build) {
            precondition(p.storageKind == b.storageKind, "hash join keys \(p) and \(b) need a common type")
            if case .numeric(_, let probeScale) = p, case .numeric(_, let buildScale) = b {
                precondition(probeScale == buildScale, "hash join keys \(p) and \(b) need a common scale")
            }
        }
    }

    public func next() async throws(EngineError) -> Batch? {
        if side == nil, partitionJoins == nil { try await buildTable() }
        if partitionJoins != nil {
            while let join = partitionJoins?.first {
                if let batch = try await join.next() { return batch }
                partitionJoins?.removeFirst()
            }
            return nil
        }
        guard let side else { return nil }
        while true {
            if !pending.isEmpty { return pending.removeFirst() }
            if probe == nil {
                if probeFinished { return nil }
                if kind == .nullAwareAnti, side.hasNullKey { probeFinished = true; continue }
                guard let batch = try await probeInput.next() else {
                    probeFinished = true
                    if kind.keepsUnmatchedBuild,
                        let rest = JoinRows.select(
                            side.rows, matched: buildMatched, wanted: false, nullColumns: probeTypes, nullsFirst: true)
                    {
                        pending = stride(from: 0, to: rest.rowCount, by: Batch.preferredRowCount).map { start in
                            rest.slice(start..<min(start + Batch.preferredRowCount, rest.rowCount))
                        }
                    }
                    continue
                }
                try cancellation.check()
                probe = try startProbe(batch)
            }
            try advanceProbe()
        }
    }

    private func buildTable() async throws(EngineError) {
        let built: JoinBuildSide
        switch buildSource {
        case .stream(let input, let keys):
            let spillable = spillLevel < Self.maximumSpillLevel
            switch try await JoinBuildSide.build(
                from: input, keys: keys, types: buildTypes, evaluator: evaluator, cancellation: cancellation,
                reservation: &reservation, spillable: spillable)
            {
            case .built(let side):
                built = side
            case .overflowed(let held):
                try await partitionBothSides(heldBuild: held, buildInput: input, buildKeys: keys)
                return
            }
        case .shared(let shared):
            built = try await shared.side()
        }
        if kind.keepsUnmatchedBuild {
            buildMatched = [UInt8](repeating: 0, count: built.rows.rowCount)
            try reservation.resize(to: reservation.bytes + buildMatched.count)
        }
        side = built
    }

    /// The grace hash join: both inputs to spill files by hash partition, then one join per pair.
    private func partitionBothSides(heldBuild: [Batch], buildInput: any BatchStream, buildKeys: [Expression])
        async throws(EngineError)
    {
        let buildFiles = try (0..<Self.spillFanOut).map { _ throws(EngineError) in try SpillFile(types: buildTypes) }
        let probeFiles = try (0..<Self.spillFanOut).map { _ throws(EngineError) in try SpillFile(types: probeTypes) }
        let nullAware = kind == .nullAwareAnti
        // Unmatched rows with NULL keys that the join outputs: probe rows of left, full and anti
        // joins, build rows of right and full joins.
        let probeNullKeyed = kind.keepsUnmatchedProbe || kind == .anti ? try SpillFile(types: probeTypes) : nil
        let buildNullKeyed = kind.keepsUnmatchedBuild ? try SpillFile(types: buildTypes) : nil
        var buildHasNullKey = false
        /// Writes `batch`'s rows to their partitions' files, and those with NULL keys to `nullKeyed`
        /// (dropped without one); returns whether some row had a NULL key.
        func distribute(_ batch: Batch, keys: [Expression], into files: [SpillFile], nullKeyed: SpillFile?)
            throws(EngineError) -> Bool
        {
            let joinKeys = try JoinKeys(keys, batch, evaluator)
            var rows = [[Int32]](repeating: [], count: Self.spillFanOut)
            var nullKeyRows: [Int32] = []
            for row in 0..<batch.rowCount {
                guard joinKeys.valid[row] else {
                    nullKeyRows.append(Int32(row))
                    continue
                }
                rows[Int((joinKeys.hashes[row] >> UInt64(8 * spillLevel)) % UInt64(Self.spillFanOut))].append(
                    Int32(row))
            }
            for (partition, selected) in rows.enumerated() where !selected.isEmpty {
                try files[partition].append(selected.count == batch.rowCount ? batch : batch.gather(selected))
            }
            if let nullKeyed, !nullKeyRows.isEmpty {
                try nullKeyed.append(nullKeyRows.count == batch.rowCount ? batch : batch.gather(nullKeyRows))
            }
            return !nullKeyRows.isEmpty
        }
        for batch in heldBuild {
            if try distribute(batch, keys: buildKeys, into: buildFiles, nullKeyed: buildNullKeyed) {
                buildHasNullKey = true
            }
        }
        try reservation.resize(to: 0)
        while let batch = try await buildInput.next() {
            try cancellation.check()
            if try distribute(batch, keys: buildKeys, into: buildFiles, nullKeyed: buildNullKeyed) {
                buildHasNullKey = true
            }
        }
        if nullAware && buildHasNullKey {
            // `x NOT IN (..., NULL, ...)` is never true.
            partitionJoins = []
            return
        }
        while let batch = try await probeInput.next() {
            try cancellation.check()
            _ = try distribute(batch, keys: probeKeys, into: probeFiles, nullKeyed: probeNullKeyed)
        }
        var joins: [any BatchStream] = []
        for (buildFile, probeFile) in zip(buildFiles, probeFiles) {
            try buildFile.finish()
            try probeFile.finish()
            // A partition pair with nothing that could come out is skipped.
            if probeFile.rowCount == 0 && !kind.keepsUnmatchedBuild { continue }
            if buildFile.rowCount == 0 && (kind == .inner || kind == .semi || kind == .right) { continue }
            joins.append(
                HashJoinOperator(
                    probe: try probeFile.reader(), build: try buildFile.reader(), probeKeys: probeKeys,
                    buildKeys: buildKeys, kind: kind,
                    residual: residual, probeTypes: probeTypes, buildTypes: buildTypes, context: context,
                    cancellation: cancellation,
                    memoryBudget: memoryBudget, spillLevel: spillLevel + 1))
        }
        if let probeNullKeyed, probeNullKeyed.rowCount > 0 {
            try probeNullKeyed.finish()
            joins.append(
                UnmatchedRowsStream(
                    try probeNullKeyed.reader(), nullColumns: kind.outputsProbeOnly ? nil : buildTypes,
                    nullsFirst: false))
        }
        if let buildNullKeyed, buildNullKeyed.rowCount > 0 {
            try buildNullKeyed.finish()
            joins.append(UnmatchedRowsStream(try buildNullKeyed.reader(), nullColumns: probeTypes, nullsFirst: true))
        }
        partitionJoins = joins
    }

    private func startProbe(_ batch: Batch) throws(EngineError) -> ProbeState {
        let keys = try JoinKeys(probeKeys, batch, evaluator)
        return ProbeState(
            batch: batch, keyValid: keys.valid,
            firstMatches: side!.table.firstMatches(hashes: keys.hashes, keys: keys.encoded, valid: keys.valid),
            matched: [UInt8](repeating: 0, count: batch.rowCount))
    }

    /// Pairs up to about one batch of probe rows with their build matches, then emits what is decided.
    private func advanceProbe() throws(EngineError) {
        guard var state = probe, let side else { return }
        probe = nil  // keeps `state`'s arrays uniquely referenced while they are updated
        if kind == .nullAwareAnti, side.rows.rowCount == 0 {
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
                match = side.table.nextMatch(after: match)
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
                kind, residual: residual, evaluator: evaluator, probe: state.batch, probeRows: probeRows,
                build: side.rows,
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
