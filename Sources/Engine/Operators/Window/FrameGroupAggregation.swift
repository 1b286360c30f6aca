/// Any aggregate over window frames, through the same `GroupAccumulator` GROUP BY uses: rows with
/// the same frame share a group, and every row of a frame is fed to that frame's group.
///
/// The work is the total size of the distinct frames: linear for frames covering the whole
/// partition or a peer group, quadratic in the partition size for running or sliding frames.
/// `WindowAggregates` handles the common aggregates without this cost.
enum FrameGroupAggregation {
    /// Rows handed to the accumulator per call, bounding the memory gathered arguments take.
    static let chunkRows = 65_536

    static func compute(
        _ call: AggregateCall, arguments: [Column], included: ValidityBitmap?, frames: WindowFrameBounds,
        cancellation: QueryCancellation
    ) throws(EngineError) -> Column {
        let accumulator = try GroupAccumulators.make(call)
        let count = frames.starts.count
        var groupOfRow = [Int32](repeating: 0, count: count)
        var groupCount = 0
        var rows: [Int32] = []
        var groups: [Int32] = []
        func flush() throws(EngineError) {
            try cancellation.check()
            try accumulator.update(
                groupIds: groups, arguments: arguments.map { $0.gather(rows) }, orderKeys: [], groupCount: groupCount)
            rows.removeAll(keepingCapacity: true)
            groups.removeAll(keepingCapacity: true)
        }
        for position in 0..<count {
            let (start, end) = (frames.starts[position], frames.ends[position])
            if position > 0, start == frames.starts[position - 1], end == frames.ends[position - 1] {
                groupOfRow[position] = Int32(groupCount - 1)
                continue
            }
            let group = Int32(groupCount)
            groupCount += 1
            groupOfRow[position] = group
            for row in start..<end where included?[row] ?? true {
                rows.append(Int32(row))
                groups.append(group)
            }
            if rows.count >= chunkRows { try flush() }
        }
        if !rows.isEmpty { try flush() }
        return try accumulator.finish(groupCount: groupCount).gather(groupOfRow)
    }
}
