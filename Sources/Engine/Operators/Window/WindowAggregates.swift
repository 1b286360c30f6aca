/// Aggregates over each row's frame.
///
/// `count`, and `sum`/`avg` of integers and numerics, subtract prefix sums (exact, so the order of
/// addition cannot show); `sum`/`avg` of floats add the frame's rows in window order, restarting only
/// when the frame's first row moves, as PostgreSQL does for aggregates without an inverse (so float
/// results match it digit for digit); `min`/`max` keep a monotonic queue of candidates. All are
/// linear in the rows. Any other aggregate runs through its `GroupAccumulator`, one group per
/// distinct frame.
enum WindowAggregates {
    /// `call` over `frames`; `arguments` and `included` (rows passing FILTER, nil for all) are in
    /// window order.
    static func compute(
        _ call: AggregateCall, arguments: [Column], included: ValidityBitmap?, frames: WindowFrameBounds,
        partitioning: WindowPartitioning, cancellation: QueryCancellation
    ) throws(EngineError) -> Column {
        let counted =
            call.function == .countStar ? included : ValidityBitmap.intersect(included, arguments.first?.validity)
        switch call.function {
        case .countStar, .count:
            let counts = prefixCounts(counted, rowCount: frames.starts.count)
            let values = (0..<frames.starts.count).map { counts[frames.ends[$0]] - counts[frames.starts[$0]] }
            return Column(type: .int64, count: values.count, validity: nil, storage: .int64(values))
        case .sum, .avg:
            switch arguments[0].storage {
            case .float32, .float64:
                return floatSums(call, arguments[0], counted, frames, partitioning)
            default:
                return try exactSums(call, arguments[0], counted, frames)
            }
        case .min, .max:
            return WindowExtremes.compute(
                arguments[0], included: counted, isMax: call.function == .max, frames, partitioning)
        default:
            return try FrameGroupAggregation.compute(
                call, arguments: arguments, included: included, frames: frames, cancellation: cancellation)
        }
    }

    /// `counts[i]`: how many of the first `i` rows are included.
    static func prefixCounts(_ included: ValidityBitmap?, rowCount: Int) -> [Int64] {
        var counts = [Int64](repeating: 0, count: rowCount + 1)
        for row in 0..<rowCount { counts[row + 1] = counts[row] + (included?[row] ?? true ? 1 : 0) }
        return counts
    }

    /// `sum` and `avg` of integers and numerics from prefix sums in Int128 (`22003` if even those
    /// overflow); results as `SumAccumulator` gives them.
    private static func exactSums(
        _ call: AggregateCall, _ column: Column, _ included: ValidityBitmap?, _ frames: WindowFrameBounds
    )
        throws(EngineError) -> Column
    {
        let count = frames.starts.count
        var sums = [Int128](repeating: 0, count: count + 1)
        var overflow = false
        func accumulate<T: BinaryInteger>(_ values: [T]) {
            values.withUnsafeBufferPointer { values in
                for row in 0..<count {
                    var value: Int128 = 0
                    if included?[row] ?? true { value = Int128(values[row]) }
                    let (sum, carry) = sums[row].addingReportingOverflow(value)
                    sums[row + 1] = sum
                    overflow = overflow || carry
                }
            }
        }
        var inputScale = 0
        switch column.storage {
        case .int16(let v): accumulate(v)
        case .int32(let v): accumulate(v)
        case .int64(let v): accumulate(v)
        case .decimal(let v):
            guard case .numeric(_, let scale?) = column.type else {
                throw EngineError(
                    .featureNotSupported,
                    "\(call.function.rawValue) over a window of numeric values without a declared scale is not supported yet",
                    hint: "Cast the argument to numeric(p, s).")
            }
            accumulate(v)
            inputScale = scale
        default: preconditionFailure("sum over \(column.type) is rejected by the type check")
        }
        if overflow { throw EngineError(.numericValueOutOfRange, "numeric value out of range") }
        let counts = prefixCounts(included, rowCount: count)
        var validity = ValidityBitmap(count: count, allValid: true)
        var anyNull = false
        var totals = [Int128](repeating: 0, count: count)
        for position in 0..<count {
            let (start, end) = (frames.starts[position], frames.ends[position])
            let rows = counts[end] - counts[start]
            guard rows > 0 else {
                validity[position] = false
                anyNull = true
                continue
            }
            let (total, carry) = sums[end].subtractingReportingOverflow(sums[start])
            if carry { throw EngineError(.numericValueOutOfRange, "numeric value out of range") }
            if call.function == .avg {
                totals[position] = try ScaledDecimal.divide(
                    ScaledDecimal(digits: total, scale: inputScale), ScaledDecimal(integer: Int128(rows))
                ).packed
            } else {
                totals[position] = total
            }
        }
        let nulls = anyNull ? validity : nil
        if call.resultType == .int64 {
            var narrow = [Int64](repeating: 0, count: count)
            for position in 0..<count {
                guard let value = Int64(exactly: totals[position]) else { throw .outOfRange("bigint") }
                narrow[position] = value
            }
            return Column(type: .int64, count: count, validity: nulls, storage: .int64(narrow))
        }
        return Column(type: call.resultType, count: count, validity: nulls, storage: .decimal(totals))
    }

    /// `sum` and `avg` of floats, added row by row in window order; a frame that keeps its first row
    /// extends the previous row's sum, one whose first row moved starts again.
    private static func floatSums(
        _ call: AggregateCall, _ column: Column, _ included: ValidityBitmap?, _ frames: WindowFrameBounds,
        _ partitioning: WindowPartitioning
    ) -> Column {
        let values: [Double]
        switch column.storage {
        case .float32(let v): values = v.map(Double.init)
        case .float64(let v): values = v
        default: preconditionFailure("float sum over \(column.type)")
        }
        let count = frames.starts.count
        var results = [Double](repeating: 0, count: count)
        var validity = ValidityBitmap(count: count, allValid: true)
        var anyNull = false
        for partition in 0..<partitioning.partitionCount {
            var from = -1
            var to = -1
            var sum = 0.0
            var rows = 0
            for position in partitioning.partition(partition) {
                let (start, end) = (frames.starts[position], frames.ends[position])
                if start != from || end < to {
                    (from, to, sum, rows) = (start, start, 0, 0)
                }
                while to < end {
                    if included?[to] ?? true {
                        sum += values[to]
                        rows += 1
                    }
                    to += 1
                }
                if rows == 0 {
                    validity[position] = false
                    anyNull = true
                } else {
                    results[position] = call.function == .avg ? sum / Double(rows) : sum
                }
            }
        }
        let nulls = anyNull ? validity : nil
        if call.resultType == .float32 {
            return Column(type: .float32, count: count, validity: nulls, storage: .float32(results.map { Float($0) }))
        }
        return Column(type: .float64, count: count, validity: nulls, storage: .float64(results))
    }
}

extension ValidityBitmap {
    /// The rows where a boolean column is TRUE (not FALSE, not NULL): FILTER's selection.
    static func trueRows(of column: Column) -> ValidityBitmap? {
        guard case .bool(let values) = column.storage else { preconditionFailure("FILTER is boolean") }
        guard values.contains(0) || column.hasNulls else { return nil }
        var bits = ValidityBitmap(count: column.count, allValid: true)
        for row in 0..<column.count where values[row] == 0 || column.isNull(row) { bits[row] = false }
        return bits
    }
}
