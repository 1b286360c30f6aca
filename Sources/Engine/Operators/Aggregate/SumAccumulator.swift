/// `sum` and `avg`: a running sum and a count of non-NULL inputs per group.
///
/// Sums of smallint/integer run in Int64, of bigint and fixed-scale numeric in Int128 (both with
/// `22003` on overflow), of numerics with per-value scales as `ScaledDecimal`s, of real/double in
/// Double. `avg` over integers and numerics is PostgreSQL's `sum / count` numeric division.
final class SumAccumulator: GroupAccumulator {
    /// `scaled` keeps packed `ScaledDecimal` sums in `wideSums`.
    private enum Representation { case integer, wide, scaled, floating }

    private let representation: Representation
    private let resultType: DataType
    private let averaging: Bool
    private let inputScale: Int
    private var integerSums: [Int64] = []
    private var wideSums: [Int128] = []
    private var floatSums: [Double] = []
    /// Where a float sum starts, as in PostgreSQL: `sum` at -0, the identity of addition (its sum
    /// starts from the first value, so the sum of -0 values is -0); `avg` at 0, as float8_accum.
    private var emptyFloatSum: Double { averaging ? 0 : -0.0 }
    private var counts: [Int64] = []

    init(input: DataType, resultType: DataType, averaging: Bool) {
        switch input.storageKind {
        case .int16, .int32: representation = .integer
        case .float32, .float64: representation = .floating
        default: representation = input.isVariableScaleNumeric ? .scaled : .wide
        }
        if case .numeric(_, let scale?) = input { inputScale = scale } else { inputScale = 0 }
        self.resultType = resultType
        self.averaging = averaging
    }

    /// The type of a partial sum over `input`.
    static func sumType(_ input: DataType) -> DataType {
        switch input.storageKind {
        case .int16, .int32: return .int64
        case .float32, .float64: return .float64
        default:
            if case .numeric(_, let scale) = input { return .numeric(precision: nil, scale: scale) }
            return .numeric(precision: nil, scale: 0)
        }
    }

    var approximateBytes: Int { counts.count * 8 + integerSums.count * 8 + wideSums.count * 16 + floatSums.count * 8 }

    func update(groupIds: [Int32], arguments: [Column], orderKeys: [Column], groupCount: Int) throws(EngineError) {
        try add(groupIds, arguments[0], counts: nil, groupCount: groupCount)
    }

    func merge(groupIds: [Int32], states: [Column], groupCount: Int) throws(EngineError) {
        guard averaging else { return try add(groupIds, states[0], counts: nil, groupCount: groupCount) }
        guard case .int64(let partialCounts) = states[1].storage else {
            preconditionFailure("avg count state is bigint")
        }
        try add(groupIds, states[0], counts: partialCounts, groupCount: groupCount)
    }

    private func add(_ groupIds: [Int32], _ column: Column, counts partialCounts: [Int64]?, groupCount: Int)
        throws(EngineError)
    {
        counts.grow(to: groupCount, with: 0)
        let validity = column.nullableValidity
        var overflow = false
        switch (representation, column.storage) {
        case (.integer, .int16(let v)):
            integerSums.grow(to: groupCount, with: 0); overflow = sumIntegers(groupIds, v, validity, &integerSums)
        case (.integer, .int32(let v)):
            integerSums.grow(to: groupCount, with: 0); overflow = sumIntegers(groupIds, v, validity, &integerSums)
        case (.integer, .int64(let v)):
            integerSums.grow(to: groupCount, with: 0); overflow = sumIntegers(groupIds, v, validity, &integerSums)
        case (.wide, .int64(let v)):
            wideSums.grow(to: groupCount, with: 0); overflow = sumIntegers(groupIds, v, validity, &wideSums)
        case (.wide, .decimal(let v)):
            wideSums.grow(to: groupCount, with: 0); overflow = sumIntegers(groupIds, v, validity, &wideSums)
        case (.scaled, .decimal(let v)):
            wideSums.grow(to: groupCount, with: 0)
            for row in 0..<groupIds.count where validity?[row] ?? true {
                let group = Int(groupIds[row])
                wideSums[group] = try ScaledDecimal.add(
                    ScaledDecimal(packed: wideSums[group]), ScaledDecimal(packed: v[row])
                ).packed
            }
        case (.floating, .float32(let v)):
            floatSums.grow(to: groupCount, with: emptyFloatSum)
            if sumFloats(groupIds, v, validity, &floatSums) {
                throw EngineError(.numericValueOutOfRange, "value out of range: overflow")
            }
        case (.floating, .float64(let v)):
            floatSums.grow(to: groupCount, with: emptyFloatSum)
            if sumFloats(groupIds, v, validity, &floatSums) {
                throw EngineError(.numericValueOutOfRange, "value out of range: overflow")
            }
        default: preconditionFailure("sum over unexpected storage \(column.type)")
        }
        if overflow {
            throw representation == .integer
                ? .outOfRange("bigint") : EngineError(.numericValueOutOfRange, "numeric value out of range")
        }
        counts.withUnsafeMutableBufferPointer { counts in
            for row in 0..<groupIds.count where validity?[row] ?? true {
                counts[Int(groupIds[row])] &+= partialCounts?[row] ?? 1
            }
        }
    }

    func states(groupCount: Int) throws(EngineError) -> [Column] {
        guard averaging else { return [try finish(groupCount: groupCount)] }
        let sums = sumColumn(groupCount, type: Self.sumType(inputType), nullWhenEmpty: true)
        return [
            sums,
            Column(type: .int64, count: groupCount, validity: nil, storage: .int64(Array(counts.prefix(groupCount)))),
        ]
    }

    private var inputType: DataType {
        switch representation {
        case .integer: return .int32
        case .floating: return .float64
        case .wide: return .numeric(precision: nil, scale: inputScale)
        case .scaled: return .variableScaleNumeric
        }
    }

    func finish(groupCount: Int) throws(EngineError) -> Column {
        counts.grow(to: groupCount, with: 0)
        integerSums.grow(to: representation == .integer ? groupCount : 0, with: 0)
        wideSums.grow(to: representation == .wide || representation == .scaled ? groupCount : 0, with: 0)
        floatSums.grow(to: representation == .floating ? groupCount : 0, with: emptyFloatSum)
        let validity = groupValidity(counts.map { $0 == 0 ? 0 : 1 }, groupCount)
        if resultType == .float32, floatSums.contains(where: { $0.isFinite && Float($0).isInfinite }) {
            // A real sum is kept as a double; past real's range it is the overflow float4pl reports.
            throw EngineError(.numericValueOutOfRange, "value out of range: overflow")
        }
        guard averaging else { return sumColumn(groupCount, type: resultType, nullWhenEmpty: true) }
        switch representation {
        case .floating:
            let averages = (0..<groupCount).map { counts[$0] == 0 ? 0 : floatSums[$0] / Double(counts[$0]) }
            return Column(type: .float64, count: groupCount, validity: validity, storage: .float64(averages))
        case .integer, .wide, .scaled:
            var averages = [Int128](repeating: 0, count: groupCount)
            for group in 0..<groupCount where counts[group] > 0 {
                let sum: ScaledDecimal
                switch representation {
                case .integer: sum = try ScaledDecimal(integer: Int128(integerSums[group]))
                case .wide: sum = try ScaledDecimal(digits: wideSums[group], scale: inputScale)
                default: sum = ScaledDecimal(packed: wideSums[group])
                }
                averages[group] = try ScaledDecimal.divide(sum, ScaledDecimal(integer: Int128(counts[group]))).packed
            }
            return Column(type: resultType, count: groupCount, validity: validity, storage: .decimal(averages))
        }
    }

    private func sumColumn(_ groupCount: Int, type: DataType, nullWhenEmpty: Bool) -> Column {
        counts.grow(to: groupCount, with: 0)
        let validity = groupValidity(counts.map { $0 == 0 ? 0 : 1 }, groupCount)
        let storage: Column.Storage
        switch representation {
        case .integer:
            storage = .int64(
                Array(integerSums.prefix(groupCount))
                    + Array(repeating: 0, count: Swift.max(0, groupCount - integerSums.count)))
        case .wide, .scaled:
            storage = .decimal(
                Array(wideSums.prefix(groupCount))
                    + Array(repeating: 0, count: Swift.max(0, groupCount - wideSums.count)))
        case .floating:
            let sums =
                Array(floatSums.prefix(groupCount))
                + Array(repeating: 0, count: Swift.max(0, groupCount - floatSums.count))
            storage = type == .float32 ? .float32(sums.map { Float($0) }) : .float64(sums)
        }
        return Column(type: type, count: groupCount, validity: validity, storage: storage)
    }
}

/// Adds `values` into `sums[groupIds[row]]`, skipping NULLs; returns true on overflow.
@inline(__always)
func sumIntegers<T: BinaryInteger, S: FixedWidthInteger>(
    _ groupIds: [Int32], _ values: [T], _ validity: ValidityBitmap?, _ sums: inout [S]
) -> Bool {
    var overflow = false
    sums.withUnsafeMutableBufferPointer { sums in
        groupIds.withUnsafeBufferPointer { groups in
            values.withUnsafeBufferPointer { values in
                if let validity {
                    for row in 0..<groups.count where validity[row] {
                        let (sum, o) = sums[Int(groups[row])].addingReportingOverflow(
                            S(truncatingIfNeeded: values[row]))
                        sums[Int(groups[row])] = sum
                        overflow = overflow || o
                    }
                } else {
                    for row in 0..<groups.count {
                        let (sum, o) = sums[Int(groups[row])].addingReportingOverflow(
                            S(truncatingIfNeeded: values[row]))
                        sums[Int(groups[row])] = sum
                        overflow = overflow || o
                    }
                }
            }
        }
    }
    return overflow
}

/// Adds each valid value to its group's sum; true when a finite sum of finite values overflowed
/// (PostgreSQL's float8pl error: only an infinite input makes an infinite sum).
@inline(__always)
func sumFloats<T: BinaryFloatingPoint>(
    _ groupIds: [Int32], _ values: [T], _ validity: ValidityBitmap?, _ sums: inout [Double]
) -> Bool {
    var overflow = false
    sums.withUnsafeMutableBufferPointer { sums in
        groupIds.withUnsafeBufferPointer { groups in
            values.withUnsafeBufferPointer { values in
                for row in 0..<groups.count where validity?[row] ?? true {
                    let group = Int(groups[row])
                    let value = Double(values[row])
                    let sum = sums[group] + value
                    if sum.isInfinite && !sums[group].isInfinite && !value.isInfinite { overflow = true }
                    sums[group] = sum
                }
            }
        }
    }
    return overflow
}
