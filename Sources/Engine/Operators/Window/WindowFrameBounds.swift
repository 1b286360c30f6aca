/// Each row's frame as a range of sorted positions, `starts[i] ..< ends[i]` (empty when equal).
///
/// Both bounds only move forward from one row to the next inside a partition, whatever the frame;
/// the sliding aggregates rely on that.
struct WindowFrameBounds {
    var starts: [Int]
    var ends: [Int]

    /// The frames of `frame` for every row of `partitioning`. Offsets are evaluated once (they are
    /// constants or parameters); RANGE limits are evaluated per row of `rows` (input order).
    init(
        _ frame: WindowFrame, orderings: [KeyOrdering], partitioning: WindowPartitioning, rows: Batch,
        evaluator: ExpressionEvaluator
    ) throws(EngineError) {
        let count = partitioning.rowCount
        starts = [Int](repeating: 0, count: count)
        ends = [Int](repeating: 0, count: count)
        switch frame.mode {
        case .rows, .groups:
            let start = try Self.countBound(frame.start, starting: true, evaluator: evaluator)
            let end = try Self.countBound(frame.end, starting: false, evaluator: evaluator)
            if frame.mode == .rows {
                fillRows(start: start, end: end, partitioning)
            } else {
                fillGroups(start: start, end: end, partitioning)
            }
        case .range:
            let limits = try RangeLimits(frame, ordering: orderings.first ?? .ascending, partitioning, rows, evaluator)
            fillRange(frame, limits, partitioning)
        }
    }

    /// A ROWS or GROUPS bound with its offset evaluated: how many rows or groups before (negative)
    /// or after (positive) the current one; nil for UNBOUNDED.
    private enum CountBound {
        case unbounded
        case offset(Int64)
    }

    private static func countBound(_ bound: WindowFrame.Bound, starting: Bool, evaluator: ExpressionEvaluator)
        throws(EngineError) -> CountBound
    {
        switch bound {
        case .unboundedPreceding, .unboundedFollowing: return .unbounded
        case .currentRow: return .offset(0)
        case .preceding(let offset, _), .following(let offset, _):
            let value = try Self.offsetValue(offset, starting: starting, evaluator: evaluator)
            guard case .int64(let count) = value else {
                preconditionFailure("ROWS and GROUPS offsets are bound as bigint")
            }
            guard count >= 0 else {
                throw EngineError(
                    .invalidPrecedingOrFollowingSize,
                    "frame \(starting ? "starting" : "ending") offset must not be negative")
            }
            if case .preceding = bound { return .offset(count == .min ? .max : -count) }
            return .offset(count)
        }
    }

    /// The offset's value, which must not be NULL.
    static func offsetValue(_ offset: Expression, starting: Bool, evaluator: ExpressionEvaluator) throws(EngineError)
        -> Value
    {
        let value = try evaluator.evaluate(offset, on: Batch(columns: [], rowCount: 1)).value(at: 0)
        if value.isNull {
            throw EngineError(.nullValueNotAllowed, "frame \(starting ? "starting" : "ending") offset must not be null")
        }
        return value
    }

    /// `position + delta`, kept between `range.lowerBound` and `range.upperBound` inclusive
    /// (saturating instead of overflowing).
    @inline(__always)
    private static func clamped(_ position: Int, _ delta: Int64, _ range: Range<Int>) -> Int {
        let (sum, overflow) = Int64(position).addingReportingOverflow(delta)
        if overflow { return delta < 0 ? range.lowerBound : range.upperBound }
        return Int(Swift.min(Swift.max(sum, Int64(range.lowerBound)), Int64(range.upperBound)))
    }

    private mutating func fillRows(start: CountBound, end: CountBound, _ partitioning: WindowPartitioning) {
        for partition in 0..<partitioning.partitionCount {
            let range = partitioning.partition(partition)
            // The last row of the frame may lie one before the partition (an empty frame).
            let lastRows = (range.lowerBound - 1)..<(range.upperBound - 1)
            for position in range {
                var first = range.lowerBound
                if case .offset(let delta) = start { first = Self.clamped(position, delta, range) }
                var last = range.upperBound
                if case .offset(let delta) = end { last = Self.clamped(position, delta, lastRows) + 1 }
                starts[position] = first
                ends[position] = Swift.max(first, last)
            }
        }
    }

    private mutating func fillGroups(start: CountBound, end: CountBound, _ partitioning: WindowPartitioning) {
        let bounds = partitioning.peerBounds
        for partition in 0..<partitioning.partitionCount {
            let range = partitioning.partition(partition)
            let groups = partitioning.peerGroups(ofPartition: partition)
            for position in range {
                let group = Int(partitioning.peerGroup[position])
                var first = range.lowerBound
                if case .offset(let delta) = start {
                    let (target, overflow) = Int64(group).addingReportingOverflow(delta)
                    if overflow || target >= Int64(groups.upperBound) {
                        first = range.upperBound
                    } else {
                        first = bounds[Int(Swift.max(target, Int64(groups.lowerBound)))]
                    }
                }
                var last = range.upperBound
                if case .offset(let delta) = end {
                    let (target, overflow) = Int64(group).addingReportingOverflow(delta)
                    if overflow || target < Int64(groups.lowerBound) {
                        last = delta < 0 ? range.lowerBound : range.upperBound
                    } else if target < Int64(groups.upperBound) {
                        last = bounds[Int(target) + 1]
                    }
                }
                starts[position] = first
                ends[position] = Swift.max(first, last)
            }
        }
    }

    private mutating func fillRange(_ frame: WindowFrame, _ limits: RangeLimits?, _ partitioning: WindowPartitioning) {
        let bounds = partitioning.peerBounds
        for partition in 0..<partitioning.partitionCount {
            let range = partitioning.partition(partition)
            for position in range {
                let group = Int(partitioning.peerGroup[position])
                let first: Int
                switch frame.start {
                case .unboundedPreceding, .unboundedFollowing: first = range.lowerBound
                case .currentRow: first = bounds[group]
                case .preceding, .following: first = limits!.firstReaching(limits!.start!, position, in: range)
                }
                let last: Int
                switch frame.end {
                case .unboundedPreceding, .unboundedFollowing: last = range.upperBound
                case .currentRow: last = bounds[group + 1]
                case .preceding, .following: last = limits!.firstBeyond(limits!.end!, position, in: range)
                }
                starts[position] = first
                ends[position] = Swift.max(first, last)
            }
        }
    }
}

/// RANGE offsets: the sort key and each row's limit values, encoded so that byte order is window
/// order (NULLs included, placed as the key places them).
private struct RangeLimits {
    let keys: EncodedKeys
    let start: EncodedKeys?
    let end: EncodedKeys?

    /// nil when neither bound has an offset.
    init?(
        _ frame: WindowFrame, ordering: KeyOrdering, _ partitioning: WindowPartitioning, _ rows: Batch,
        _ evaluator: ExpressionEvaluator
    ) throws(EngineError) {
        guard let rangeKey = frame.rangeKey else { return nil }
        let key = partitioning.sorted(try evaluator.evaluate(rangeKey, on: rows))
        func limit(_ bound: WindowFrame.Bound, starting: Bool) throws(EngineError) -> EncodedKeys? {
            switch bound {
            case .preceding(let offset, let limit?), .following(let offset, let limit?):
                let value = try WindowFrameBounds.offsetValue(offset, starting: starting, evaluator: evaluator)
                if Self.isNegative(value) {
                    throw EngineError(
                        .invalidPrecedingOrFollowingSize, "invalid preceding or following size in window function")
                }
                var column = partitioning.sorted(try evaluator.evaluate(limit, on: rows))
                if case .float64(var limits) = column.storage, case .float64(let keys) = key.storage {
                    // An infinite offset from an infinite key (inf - inf) reaches every value but NaN,
                    // as PostgreSQL's in_range for floats decides.
                    let everything: Double = starting != ordering.descending ? -.infinity : .infinity
                    for row in 0..<limits.count where limits[row].isNaN && !keys[row].isNaN { limits[row] = everything }
                    column.storage = .float64(limits)
                }
                return try EncodedKeys([column], orderings: [ordering], rowCount: column.count)
            default:
                return nil
            }
        }
        let start = try limit(frame.start, starting: true)
        let end = try limit(frame.end, starting: false)
        guard start != nil || end != nil else { return nil }
        self.keys = try EncodedKeys([key], orderings: [ordering], rowCount: key.count)
        self.start = start
        self.end = end
    }

    static func isNegative(_ value: Value) -> Bool {
        switch value {
        case .int16(let v): return v < 0
        case .int32(let v): return v < 0
        case .int64(let v): return v < 0
        case .decimal(let v): return v < 0
        case .float32(let v): return v.isNaN || v < 0
        case .float64(let v): return v.isNaN || v < 0
        case .interval(let v): return ColumnHashing.intervalSpan(v) < 0
        default: return false
        }
    }

    /// The first position in `range` whose key is at or after row `position`'s limit.
    func firstReaching(_ limits: EncodedKeys, _ position: Int, in range: Range<Int>) -> Int {
        firstPosition(in: range) { keys.compare($0, limits, position) >= 0 }
    }

    /// The first position in `range` whose key is after row `position`'s limit.
    func firstBeyond(_ limits: EncodedKeys, _ position: Int, in range: Range<Int>) -> Int {
        firstPosition(in: range) { keys.compare($0, limits, position) > 0 }
    }

    /// The first position where `isPast` holds (it holds for a suffix of `range`), or the range's end.
    private func firstPosition(in range: Range<Int>, where isPast: (Int) -> Bool) -> Int {
        var low = range.lowerBound
        var high = range.upperBound
        while low < high {
            let middle = (low + high) / 2
            if isPast(middle) { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
