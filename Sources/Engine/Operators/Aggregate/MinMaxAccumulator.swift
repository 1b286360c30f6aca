/// `min` and `max` in PostgreSQL's order: integers, numerics and oids compare as Int128 (numerics with
/// per-value scales by their order keys), floats with NaN above everything, intervals by span, text
/// bytewise (C collation).
final class MinMaxAccumulator: GroupAccumulator {
    private let type: DataType
    private let isMax: Bool
    private var seen: [UInt8] = []
    /// Integer-like values widened to Int128; interval spans.
    private var integers: [Int128] = []
    private var floats: [Double] = []
    private var intervals: [Interval] = []
    /// The chosen values of a `variableScaleNumeric` argument, whose order keys sit in `integers`.
    private var scaledDecimals: [Int128] = []
    private var texts: [[UInt8]] = []
    /// Per group, the batch row `pickBytes` chose so far; -1 between batches.
    private var bestRow: [Int32] = []

    init(type: DataType, isMax: Bool) {
        self.type = type
        self.isMax = isMax
    }

    var approximateBytes: Int {
        seen.count * 37 + texts.reduce(0) { $0 + $1.count + 24 }
    }

    func update(groupIds: [Int32], arguments: [Column], orderKeys: [Column], groupCount: Int) throws(EngineError) {
        seen.grow(to: groupCount, with: 0)
        let column = arguments[0]
        let validity = column.nullableValidity
        switch column.storage {
        case .int16(let v): integers.grow(to: groupCount, with: 0); pickIntegers(groupIds, v, validity)
        case .int32(let v): integers.grow(to: groupCount, with: 0); pickIntegers(groupIds, v, validity)
        case .uint32(let v): integers.grow(to: groupCount, with: 0); pickIntegers(groupIds, v, validity)
        case .int64(let v): integers.grow(to: groupCount, with: 0); pickIntegers(groupIds, v, validity)
        case .decimal(let v) where column.type.isVariableScaleNumeric:
            integers.grow(to: groupCount, with: 0)
            scaledDecimals.grow(to: groupCount, with: 0)
            for row in 0..<groupIds.count where validity?[row] ?? true {
                let group = Int(groupIds[row])
                let key = ScaledDecimal(packed: v[row]).orderKey
                if seen[group] == 0 || (isMax ? key > integers[group] : key < integers[group]) {
                    integers[group] = key
                    scaledDecimals[group] = v[row]
                    seen[group] = 1
                }
            }
        case .decimal(let v): integers.grow(to: groupCount, with: 0); pickIntegers(groupIds, v, validity)
        case .float32(let v): floats.grow(to: groupCount, with: 0); pickFloats(groupIds, v.map(Double.init), validity)
        case .float64(let v): floats.grow(to: groupCount, with: 0); pickFloats(groupIds, v, validity)
        case .interval(let v):
            integers.grow(to: groupCount, with: 0)
            intervals.grow(to: groupCount, with: Interval())
            let spans = v.map(ColumnHashing.intervalSpan)
            for row in 0..<groupIds.count where validity?[row] ?? true {
                let group = Int(groupIds[row])
                if seen[group] == 0 || (isMax ? spans[row] > integers[group] : spans[row] < integers[group]) {
                    integers[group] = spans[row]
                    intervals[group] = v[row]
                    seen[group] = 1
                }
            }
        case .bytes(let offsets, let data):
            texts.grow(to: groupCount, with: [])
            pickBytes(groupIds, offsets, data, validity)
        case .bool, .array: preconditionFailure("min/max over \(column.type) is rejected by the type check")
        }
    }

    private func pickIntegers<T: FixedWidthInteger>(_ groupIds: [Int32], _ values: [T], _ validity: ValidityBitmap?) {
        let isMax = self.isMax
        if seen.count == 1, validity == nil, !values.isEmpty {
            // No GROUP BY and no NULLs: the batch's extreme in the values' own type, then one comparison.
            let extreme = values.withUnsafeBufferPointer { values in
                var extreme = values[0]
                if isMax {
                    for value in values { extreme = Swift.max(extreme, value) }
                } else {
                    for value in values { extreme = Swift.min(extreme, value) }
                }
                return extreme
            }
            let value = Int128(extreme)
            if seen[0] == 0 || (isMax ? value > integers[0] : value < integers[0]) {
                integers[0] = value
                seen[0] = 1
            }
            return
        }
        seen.withUnsafeMutableBufferPointer { seen in
            integers.withUnsafeMutableBufferPointer { best in
                values.withUnsafeBufferPointer { values in
                    for row in 0..<groupIds.count where validity?[row] ?? true {
                        let group = Int(groupIds[row])
                        let value = Int128(values[row])
                        if seen[group] == 0 || (isMax ? value > best[group] : value < best[group]) {
                            best[group] = value
                            seen[group] = 1
                        }
                    }
                }
            }
        }
    }

    private func pickFloats(_ groupIds: [Int32], _ values: [Double], _ validity: ValidityBitmap?) {
        let isMax = self.isMax
        for row in 0..<groupIds.count where validity?[row] ?? true {
            let group = Int(groupIds[row])
            let value = values[row]
            let order = EncodedKeys.orderedBits64(value)
            if seen[group] == 0
                || (isMax
                    ? order > EncodedKeys.orderedBits64(floats[group])
                    : order < EncodedKeys.orderedBits64(floats[group]))
            {
                floats[group] = value
                seen[group] = 1
            }
        }
    }

    /// Finds each group's best row in the batch first (in `bestRow`, by group, reset after each
    /// batch for the groups the batch touched), then copies its bytes once.
    private func pickBytes(_ groupIds: [Int32], _ offsets: [Int32], _ data: [UInt8], _ validity: ValidityBitmap?) {
        bestRow.grow(to: seen.count, with: -1)
        var touched: [Int32] = []
        let isMax = self.isMax
        data.withUnsafeBufferPointer { data in
            bestRow.withUnsafeMutableBufferPointer { bestRow in
                offsets.withUnsafeBufferPointer { offsets in
                    func slice(_ row: Int) -> UnsafeBufferPointer<UInt8> {
                        UnsafeBufferPointer(rebasing: data[Int(offsets[row])..<Int(offsets[row + 1])])
                    }
                    if bestRow.count == 1, validity == nil, !groupIds.isEmpty {
                        // No GROUP BY and no NULLs: the best row so far stays in a register.
                        var best = 0
                        var bestBytes = slice(0)
                        for row in 1..<groupIds.count {
                            let candidate = slice(row)
                            if Self.orders(candidate, before: bestBytes, isMax: isMax) {
                                best = row
                                bestBytes = candidate
                            }
                        }
                        bestRow[0] = Int32(best)
                        touched.append(0)
                        return
                    }
                    for row in 0..<groupIds.count where validity?[row] ?? true {
                        let group = Int(groupIds[row])
                        let current = Int(bestRow[group])
                        guard current >= 0 else {
                            bestRow[group] = Int32(row)
                            touched.append(Int32(group))
                            continue
                        }
                        if Self.orders(slice(row), before: slice(current), isMax: isMax) { bestRow[group] = Int32(row) }
                    }
                }
            }
            for group in touched {
                let index = Int(group)
                let candidate = UnsafeBufferPointer(
                    rebasing: data[Int(offsets[Int(bestRow[index])])..<Int(offsets[Int(bestRow[index]) + 1])])
                bestRow[index] = -1
                let better =
                    seen[index] == 0
                    || texts[index].withUnsafeBufferPointer { Self.orders(candidate, before: $0, isMax: isMax) }
                if better {
                    texts[index] = Array(candidate)
                    seen[index] = 1
                }
            }
        }
    }

    /// True when `candidate` should replace `best`: greater for max, less for min. The first bytes
    /// decide most comparisons without a call to memcmp.
    @inline(__always)
    private static func orders(
        _ candidate: UnsafeBufferPointer<UInt8>, before best: UnsafeBufferPointer<UInt8>, isMax: Bool
    ) -> Bool {
        if let first = candidate.first, let other = best.first, first != other {
            return isMax ? first > other : first < other
        }
        let order = ComparisonKernels.compareBytes(candidate, best)
        return isMax ? order > 0 : order < 0
    }

    func merge(groupIds: [Int32], states: [Column], groupCount: Int) throws(EngineError) {
        try update(groupIds: groupIds, arguments: states, orderKeys: [], groupCount: groupCount)
    }

    func states(groupCount: Int) throws(EngineError) -> [Column] { [try finish(groupCount: groupCount)] }

    func finish(groupCount: Int) throws(EngineError) -> Column {
        seen.grow(to: groupCount, with: 0)
        let validity = groupValidity(seen, groupCount)
        func integersAs<T: FixedWidthInteger>(_: T.Type) -> [T] {
            (0..<groupCount).map { $0 < integers.count ? T(truncatingIfNeeded: integers[$0]) : 0 }
        }
        let storage: Column.Storage
        switch type.storageKind {
        case .int16: storage = .int16(integersAs(Int16.self))
        case .int32: storage = .int32(integersAs(Int32.self))
        case .uint32: storage = .uint32(integersAs(UInt32.self))
        case .int64: storage = .int64(integersAs(Int64.self))
        case .decimal where type.isVariableScaleNumeric:
            storage = .decimal((0..<groupCount).map { $0 < scaledDecimals.count ? scaledDecimals[$0] : 0 })
        case .decimal: storage = .decimal(integersAs(Int128.self))
        case .float32: storage = .float32((0..<groupCount).map { $0 < floats.count ? Float(floats[$0]) : 0 })
        case .float64: storage = .float64((0..<groupCount).map { $0 < floats.count ? floats[$0] : 0 })
        case .interval: storage = .interval((0..<groupCount).map { $0 < intervals.count ? intervals[$0] : Interval() })
        case .bytes:
            var offsets: [Int32] = [0]
            var data: [UInt8] = []
            for group in 0..<groupCount {
                if group < texts.count { data.append(contentsOf: texts[group]) }
                offsets.append(Int32(data.count))
            }
            storage = .bytes(offsets: offsets, data: data)
        case .bool, .array: preconditionFailure("min/max over \(type) is rejected by the type check")
        }
        return Column(type: type, count: groupCount, validity: validity, storage: storage)
    }
}
