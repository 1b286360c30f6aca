/// Building blocks shared by the hash and nested-loop joins: pairing rows and null extension.
enum JoinRows {
    /// Probe rows `probeRows` next to build rows `buildRows`, probe columns first.
    static func combine(_ probe: Batch, _ probeRows: [Int32], _ build: Batch, _ buildRows: [Int32]) -> Batch {
        Batch(
            columns: probe.columns.map { $0.gatherOrNull(probeRows) }
                + build.columns.map { $0.gatherOrNull(buildRows) },
            rowCount: probeRows.count)
    }

    /// The positions of `pairs` for which `residual` is TRUE (all positions when there is none).
    static func passing(_ residual: Expression?, _ pairs: Batch, _ evaluator: ExpressionEvaluator) throws(EngineError)
        -> [Int32]?
    {
        guard let residual else { return nil }
        return try evaluator.rowsSatisfying(residual, in: pairs)
    }

    /// Rows of `batch` where `matched` is `wanted`, with NULL columns of `otherTypes` after (or before) them.
    static func select(
        _ batch: Batch, matched: [UInt8], wanted: Bool, nullColumns otherTypes: [DataType]?, nullsFirst: Bool = false
    ) -> Batch? {
        var rows: [Int32] = []
        for row in 0..<batch.rowCount where (matched[row] != 0) == wanted { rows.append(Int32(row)) }
        guard !rows.isEmpty else { return nil }
        let picked = rows.count == batch.rowCount ? batch : batch.gather(rows)
        guard let otherTypes else { return picked }
        let nulls = otherTypes.map { Column.nulls($0, count: rows.count) }
        return Batch(columns: nullsFirst ? nulls + picked.columns : picked.columns + nulls, rowCount: rows.count)
    }

    /// Keeps the pairs the residual accepts, marks their probe and build rows matched, and returns the
    /// joined rows when the kind outputs pairs.
    static func matchPairs(
        _ kind: JoinKind, residual: Expression?, evaluator: ExpressionEvaluator, probe: Batch, probeRows: [Int32],
        build: Batch, buildRows: [Int32], matched: inout [UInt8], buildMatched: inout [UInt8]
    ) throws(EngineError) -> Batch? {
        var probeRows = probeRows
        var buildRows = buildRows
        var pairs = combine(probe, probeRows, build, buildRows)
        if let kept = try passing(residual, pairs, evaluator) {
            probeRows = kept.map { probeRows[Int($0)] }
            buildRows = kept.map { buildRows[Int($0)] }
            if kept.count != pairs.rowCount { pairs = pairs.gather(kept) }
        }
        for row in probeRows { matched[Int(row)] = 1 }
        if kind.keepsUnmatchedBuild { for row in buildRows { buildMatched[Int(row)] = 1 } }
        return kind.outputsProbeOnly || pairs.rowCount == 0 ? nil : pairs
    }

    /// What a finished probe batch adds besides its pairs: unmatched rows (left/full, anti), matched rows
    /// (semi). `excluded` marks rows NOT IN drops outright (NULL keys).
    static func probeRemainder(
        _ kind: JoinKind, _ batch: Batch, matched: [UInt8], excluded: [Bool]? = nil, buildTypes: [DataType]
    ) -> Batch? {
        switch kind {
        case .inner, .right: return nil
        case .left, .full: return select(batch, matched: matched, wanted: false, nullColumns: buildTypes)
        case .semi: return select(batch, matched: matched, wanted: true, nullColumns: nil)
        case .anti: return select(batch, matched: matched, wanted: false, nullColumns: nil)
        case .nullAwareAnti:
            guard let excluded else { return select(batch, matched: matched, wanted: false, nullColumns: nil) }
            let dropped = zip(matched, excluded).map { matched, excluded in matched != 0 || excluded ? UInt8(1) : 0 }
            return select(batch, matched: dropped, wanted: false, nullColumns: nil)
        }
    }
}
