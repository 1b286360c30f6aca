/// `min` and `max` over frames whose bounds only move forward: a monotonic queue of the rows that
/// can still be the extreme of some later frame, so each row enters and leaves it once.
///
/// Values compare in PostgreSQL's order (floats with NaN above everything, intervals by span, text
/// bytewise); of equal values the latest row wins, as PostgreSQL's `smaller`/`larger` functions
/// keep the newer of two equal inputs.
enum WindowExtremes {
    static func compute(
        _ column: Column, included: ValidityBitmap?, isMax: Bool, _ frames: WindowFrameBounds,
        _ partitioning: WindowPartitioning
    ) -> Column {
        let sources: [Int32]
        switch column.storage {
        case .int16(let v): sources = select(v, included, isMax, frames, partitioning)
        case .int32(let v): sources = select(v, included, isMax, frames, partitioning)
        case .uint32(let v): sources = select(v, included, isMax, frames, partitioning)
        case .int64(let v): sources = select(v, included, isMax, frames, partitioning)
        case .decimal(let v) where column.type.isVariableScaleNumeric:
            sources = select(v.map { ScaledDecimal(packed: $0).orderKey }, included, isMax, frames, partitioning)
        case .decimal(let v): sources = select(v, included, isMax, frames, partitioning)
        case .float32(let v): sources = select(v.map(EncodedKeys.orderedBits32), included, isMax, frames, partitioning)
        case .float64(let v): sources = select(v.map(EncodedKeys.orderedBits64), included, isMax, frames, partitioning)
        case .interval(let v):
            sources = select(v.map(ColumnHashing.intervalSpan), included, isMax, frames, partitioning)
        case .bytes(let offsets, let data):
            sources = data.withUnsafeBufferPointer { data in
                let keys = (0..<column.count).map {
                    ByteString(data: data, start: Int(offsets[$0]), end: Int(offsets[$0 + 1]))
                }
                return select(keys, included, isMax, frames, partitioning)
            }
        case .bool, .array:
            preconditionFailure("min/max over \(column.type) is rejected by the type check")
        }
        return column.gatherOrNull(sources)
    }

    /// For each position, the row holding its frame's extreme among `included` rows, or -1.
    private static func select<Key: Comparable>(
        _ keys: [Key], _ included: ValidityBitmap?, _ isMax: Bool, _ frames: WindowFrameBounds,
        _ partitioning: WindowPartitioning
    ) -> [Int32] {
        var sources = [Int32](repeating: -1, count: keys.count)
        // Candidates in row order, their keys strictly improving from back to front.
        var queue = [Int](repeating: 0, count: keys.count)
        keys.withUnsafeBufferPointer { keys in
            for partition in 0..<partitioning.partitionCount {
                let range = partitioning.partition(partition)
                var head = 0
                var tail = 0
                var next = range.lowerBound
                for position in range {
                    while next < frames.ends[position] {
                        if included?[next] ?? true {
                            let key = keys[next]
                            while tail > head && (isMax ? keys[queue[tail - 1]] <= key : keys[queue[tail - 1]] >= key) {
                                tail -= 1
                            }
                            queue[tail] = next
                            tail += 1
                        }
                        next += 1
                    }
                    while head < tail && queue[head] < frames.starts[position] { head += 1 }
                    if head < tail { sources[position] = Int32(queue[head]) }
                }
            }
        }
        return sources
    }
}

/// A text or bytea value compared bytewise (C collation), without copying it out of its column.
private struct ByteString: Comparable {
    let data: UnsafeBufferPointer<UInt8>
    let start: Int
    let end: Int

    static func < (lhs: ByteString, rhs: ByteString) -> Bool {
        EncodedKeys.compare(lhs.data, lhs.start, lhs.end, rhs.data, rhs.start, rhs.end) < 0
    }

    static func == (lhs: ByteString, rhs: ByteString) -> Bool {
        EncodedKeys.compare(lhs.data, lhs.start, lhs.end, rhs.data, rhs.start, rhs.end) == 0
    }
}
