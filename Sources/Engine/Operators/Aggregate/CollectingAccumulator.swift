/// Aggregates that need a group's whole input: `string_agg`, `array_agg`, the percentiles, and the
/// DISTINCT form of every other aggregate.
///
/// Rows are kept column-wise with their group ids. At the end they are sorted once by
/// (group, ORDER BY keys, arguments) through byte-comparable keys, deduplicated for DISTINCT, and then
/// either folded per group here or handed to the plain accumulator of the same function.
final class CollectingAccumulator: GroupAccumulator {
    private let call: AggregateCall
    private var groupChunks: [[Int32]] = []
    private var argumentChunks: [[Column]] = []
    private var orderChunks: [[Column]] = []
    private(set) var approximateBytes = 0

    init(_ call: AggregateCall) throws(EngineError) {
        self.call = call
    }

    func update(groupIds: [Int32], arguments: [Column], orderKeys: [Column], groupCount: Int) throws(EngineError) {
        groupChunks.append(groupIds)
        argumentChunks.append(arguments)
        orderChunks.append(orderKeys)
        approximateBytes += groupIds.count * 4 + (arguments + orderKeys).reduce(0) { $0 + $1.approximateBytes }
    }

    func finish(groupCount: Int) throws(EngineError) -> Column {
        let groups = groupChunks.flatMap { $0 }
        let rowCount = groups.count
        let argumentTypes = call.arguments.map(\.type)
        let arguments = argumentTypes.indices.map { index in
            Column.concatenate(argumentChunks.map { $0[index] }, type: argumentTypes[index])
        }
        let orders = call.orderBy.indices.map { index in
            Column.concatenate(orderChunks.map { $0[index] }, type: call.orderBy[index].expression.type)
        }
        let groupColumn = Column(type: .int32, count: rowCount, validity: nil, storage: .int32(groups))
        // string_agg's delimiter does not take part in DISTINCT.
        let distinctArguments = call.function == .stringAgg ? Array(arguments.prefix(1)) : arguments
        var sortColumns = [groupColumn] + orders
        var orderings = [KeyOrdering.ascending] + call.orderBy.map(\.ordering)
        if call.distinct {
            sortColumns += distinctArguments
            orderings += distinctArguments.map { _ in .ascending }
        }
        var rows = try EncodedKeys(sortColumns, orderings: orderings, rowCount: rowCount).sortedRows()
        if call.distinct {
            let keys = try EncodedKeys([groupColumn] + distinctArguments, rowCount: rowCount)
            var kept: [Int32] = []
            kept.reserveCapacity(rows.count)
            for row in rows where kept.last.map({ !keys.rowsEqual(Int($0), Int(row)) }) ?? true { kept.append(row) }
            rows = kept
        }
        let sortedGroups = rows.map { groups[Int($0)] }
        switch call.function {
        case .stringAgg:
            return stringAgg(rows, sortedGroups, arguments, groupCount)
        case .arrayAgg:
            return arrayAgg(rows, sortedGroups, arguments[0], groupCount)
        case .percentileCont, .percentileDisc:
            return try percentile(rows, sortedGroups, fractions: arguments[0], values: orders[0], groupCount)
        case .mode:
            return try mostFrequent(rows, sortedGroups, values: orders[0], groupCount)
        default:
            var plain = call
            plain.distinct = false
            let inner = try GroupAccumulators.make(plain)
            try inner.update(
                groupIds: sortedGroups, arguments: arguments.map { $0.gather(rows) }, orderKeys: [],
                groupCount: groupCount)
            return try inner.finish(groupCount: groupCount)
        }
    }

    /// Start of each group's run in `sortedGroups` (`groupCount + 1` entries; empty groups have empty runs).
    private func runs(_ sortedGroups: [Int32], _ groupCount: Int) -> [Int] {
        var starts = [Int](repeating: 0, count: groupCount + 1)
        for group in sortedGroups { starts[Int(group) + 1] += 1 }
        for group in 0..<groupCount { starts[group + 1] += starts[group] }
        return starts
    }

    private func stringAgg(_ rows: [Int32], _ sortedGroups: [Int32], _ arguments: [Column], _ groupCount: Int) -> Column
    {
        guard case .bytes(let valueOffsets, let valueData) = arguments[0].storage,
            case .bytes(let delimiterOffsets, let delimiterData) = arguments[1].storage
        else { preconditionFailure("string_agg over non-string storage") }
        let starts = runs(sortedGroups, groupCount)
        var offsets: [Int32] = [0]
        var data: [UInt8] = []
        var seen = [UInt8](repeating: 0, count: groupCount)
        for group in 0..<groupCount {
            for position in starts[group]..<starts[group + 1] {
                let row = Int(rows[position])
                guard !arguments[0].isNull(row) else { continue }
                if seen[group] != 0, !arguments[1].isNull(row) {
                    data.append(contentsOf: delimiterData[Int(delimiterOffsets[row])..<Int(delimiterOffsets[row + 1])])
                }
                data.append(contentsOf: valueData[Int(valueOffsets[row])..<Int(valueOffsets[row + 1])])
                seen[group] = 1
            }
            offsets.append(Int32(data.count))
        }
        return Column(
            type: call.resultType, count: groupCount, validity: groupValidity(seen, groupCount),
            storage: .bytes(offsets: offsets, data: data))
    }

    private func arrayAgg(_ rows: [Int32], _ sortedGroups: [Int32], _ values: Column, _ groupCount: Int) -> Column {
        let starts = runs(sortedGroups, groupCount)
        let seen = (0..<groupCount).map { starts[$0 + 1] > starts[$0] ? UInt8(1) : 0 }
        return Column(
            type: call.resultType, count: groupCount, validity: groupValidity(seen, groupCount),
            storage: .array(offsets: starts.map { Int32($0) }, elements: ColumnBox(values.gather(rows))))
    }

    /// Each group's most frequent non-NULL value; rows arrive sorted by value within the group, so
    /// equal values are neighbours and the first of the longest runs wins.
    private func mostFrequent(_ rows: [Int32], _ sortedGroups: [Int32], values: Column, _ groupCount: Int)
        throws(EngineError) -> Column
    {
        let starts = runs(sortedGroups, groupCount)
        let keys = try EncodedKeys([values], rowCount: values.count)
        var picked = [Int32](repeating: -1, count: groupCount)
        for group in 0..<groupCount {
            var best = 0
            var runStart = starts[group]
            for position in starts[group]..<starts[group + 1] {
                let row = Int(rows[position])
                guard !values.isNull(row) else {
                    runStart = position + 1
                    continue
                }
                if position > runStart, !keys.rowsEqual(Int(rows[position - 1]), row) { runStart = position }
                if position - runStart + 1 > best {
                    best = position - runStart + 1
                    picked[group] = rows[runStart]
                }
            }
        }
        return values.gatherOrNull(picked)
    }

    private func percentile(
        _ rows: [Int32], _ sortedGroups: [Int32], fractions: Column, values: Column, _ groupCount: Int
    ) throws(EngineError) -> Column {
        let starts = runs(sortedGroups, groupCount)
        guard case .float64(let fractionValues) = fractions.storage else { preconditionFailure("fraction not float8") }
        var continuous = [Double](repeating: 0, count: groupCount)
        var picked = [Int32](repeating: -1, count: groupCount)
        var seen = [UInt8](repeating: 0, count: groupCount)
        for group in 0..<groupCount where starts[group] < starts[group + 1] {
            let first = Int(rows[starts[group]])
            if fractions.isNull(first) { continue }
            let fraction = fractionValues[first]
            guard fraction >= 0, fraction <= 1 else {
                throw EngineError(.numericValueOutOfRange, "percentile value \(fraction) is not between 0 and 1")
            }
            let present = rows[starts[group]..<starts[group + 1]].filter { !values.isNull(Int($0)) }
            guard !present.isEmpty else { continue }
            seen[group] = 1
            if call.function == .percentileDisc {
                let rank = Swift.max(Int((fraction * Double(present.count)).rounded(.up)), 1)
                picked[group] = present[present.startIndex + rank - 1]
                continue
            }
            guard case .float64(let numbers) = values.storage else {
                preconditionFailure("percentile_cont over non-float8")
            }
            let position = fraction * Double(present.count - 1)
            let lower = numbers[Int(present[present.startIndex + Int(position.rounded(.down))])]
            let upper = numbers[Int(present[present.startIndex + Int(position.rounded(.up))])]
            continuous[group] = lower + (position - position.rounded(.down)) * (upper - lower)
        }
        if call.function == .percentileDisc { return values.gatherOrNull(picked) }
        return Column(
            type: .float64, count: groupCount, validity: groupValidity(seen, groupCount), storage: .float64(continuous))
    }
}
