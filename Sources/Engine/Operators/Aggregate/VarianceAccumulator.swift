/// `var_samp`, `var_pop`, `stddev_samp`, `stddev_pop`.
///
/// Floats follow PostgreSQL's float8_accum (Youngs–Cramer: N, Sx, Sxx) so results match it bit for bit.
/// Integers and numerics keep exact Int128 sums of x and x² and divide exactly to the result scale;
/// the square root of `stddev` over them is taken in double precision and rounded to that scale.
final class VarianceAccumulator: GroupAccumulator {
    private let function: AggregateFunction
    private let resultType: DataType
    private let exact: Bool
    private let inputScale: Int
    private var counts: [Int64] = []
    private var floatSums: [Double] = []
    private var floatSquares: [Double] = []
    private var exactSums: [Int128] = []
    private var exactSquares: [Int128] = []

    init(function: AggregateFunction, input: DataType, resultType: DataType) {
        self.function = function
        self.resultType = resultType
        exact = !(input.storageKind == .float32 || input.storageKind == .float64)
        if case .numeric(_, let scale?) = input { inputScale = scale } else { inputScale = 0 }
    }

    var approximateBytes: Int { counts.count * (exact ? 40 : 24) }

    private func grow(_ groupCount: Int) {
        counts.grow(to: groupCount, with: 0)
        if exact {
            exactSums.grow(to: groupCount, with: 0)
            exactSquares.grow(to: groupCount, with: 0)
        } else {
            floatSums.grow(to: groupCount, with: 0)
            floatSquares.grow(to: groupCount, with: 0)
        }
    }

    func update(groupIds: [Int32], arguments: [Column], orderKeys: [Column], groupCount: Int) throws(EngineError) {
        grow(groupCount)
        let column = arguments[0]
        let validity = column.nullableValidity
        switch column.storage {
        case .float32(let v): addFloats(groupIds, v.map(Double.init), validity)
        case .float64(let v): addFloats(groupIds, v, validity)
        case .int16(let v): try addExact(groupIds, v.map { Int128($0) }, validity)
        case .int32(let v): try addExact(groupIds, v.map { Int128($0) }, validity)
        case .int64(let v): try addExact(groupIds, v.map { Int128($0) }, validity)
        case .decimal(let v): try addExact(groupIds, v, validity)
        default: preconditionFailure("variance over \(column.type) is rejected by the type check")
        }
    }

    private func addFloats(_ groupIds: [Int32], _ values: [Double], _ validity: ValidityBitmap?) {
        for row in 0..<groupIds.count where validity?[row] ?? true {
            let group = Int(groupIds[row])
            let x = values[row]
            let n = Double(counts[group] + 1)
            counts[group] += 1
            floatSums[group] += x
            if n > 1 {
                let t = x * n - floatSums[group]
                floatSquares[group] += t * t / (n * (n - 1))
            } else if !x.isFinite {
                floatSquares[group] = .nan
            }
        }
    }

    private func addExact(_ groupIds: [Int32], _ values: [Int128], _ validity: ValidityBitmap?) throws(EngineError) {
        var overflow = false
        for row in 0..<groupIds.count where validity?[row] ?? true {
            let group = Int(groupIds[row])
            let x = values[row]
            let (square, o1) = x.multipliedReportingOverflow(by: x)
            let (sum, o2) = exactSums[group].addingReportingOverflow(x)
            let (squares, o3) = exactSquares[group].addingReportingOverflow(square)
            overflow = overflow || o1 || o2 || o3
            counts[group] += 1
            exactSums[group] = sum
            exactSquares[group] = squares
        }
        if overflow { throw EngineError(.numericValueOutOfRange, "numeric value out of range") }
    }

    func merge(groupIds: [Int32], states: [Column], groupCount: Int) throws(EngineError) {
        grow(groupCount)
        if exact {
            guard case .int64(let n) = states[0].storage, case .decimal(let sx) = states[1].storage,
                case .decimal(let sxx) = states[2].storage
            else { preconditionFailure("variance state layout") }
            for row in 0..<groupIds.count {
                let group = Int(groupIds[row])
                counts[group] += n[row]
                exactSums[group] += sx[row]
                exactSquares[group] += sxx[row]
            }
            return
        }
        guard case .float64(let n) = states[0].storage, case .float64(let sx) = states[1].storage,
            case .float64(let sxx) = states[2].storage
        else { preconditionFailure("variance state layout") }
        for row in 0..<groupIds.count where n[row] > 0 {
            let group = Int(groupIds[row])
            let n1 = Double(counts[group])
            if n1 == 0 {
                counts[group] = Int64(n[row])
                floatSums[group] = sx[row]
                floatSquares[group] = sxx[row]
                continue
            }
            let n2 = n[row]
            let t = floatSums[group] / n1 - sx[row] / n2
            counts[group] += Int64(n2)
            floatSums[group] += sx[row]
            floatSquares[group] += sxx[row] + n1 * n2 * t * t / (n1 + n2)
        }
    }

    func states(groupCount: Int) throws(EngineError) -> [Column] {
        grow(groupCount)
        if exact {
            return [
                Column(
                    type: .int64, count: groupCount, validity: nil, storage: .int64(Array(counts.prefix(groupCount)))),
                Column(
                    type: .numeric(precision: nil, scale: inputScale), count: groupCount, validity: nil,
                    storage: .decimal(Array(exactSums.prefix(groupCount)))),
                Column(
                    type: .numeric(precision: nil, scale: inputScale * 2), count: groupCount, validity: nil,
                    storage: .decimal(Array(exactSquares.prefix(groupCount)))),
            ]
        }
        return [
            Column(
                type: .float64, count: groupCount, validity: nil,
                storage: .float64(counts.prefix(groupCount).map(Double.init))),
            Column(
                type: .float64, count: groupCount, validity: nil, storage: .float64(Array(floatSums.prefix(groupCount)))
            ),
            Column(
                type: .float64, count: groupCount, validity: nil,
                storage: .float64(Array(floatSquares.prefix(groupCount)))),
        ]
    }

    func finish(groupCount: Int) throws(EngineError) -> Column {
        grow(groupCount)
        let sample = function == .varSamp || function == .stddevSamp
        let root = function == .stddevSamp || function == .stddevPop
        let minimum: Int64 = sample ? 2 : 1
        let seen = (0..<groupCount).map { counts[$0] >= minimum ? UInt8(1) : 0 }
        let validity = groupValidity(seen, groupCount)
        if !exact {
            let values = (0..<groupCount).map { group -> Double in
                guard seen[group] != 0 else { return 0 }
                let n = Double(counts[group])
                let variance = floatSquares[group] / (sample ? n - 1 : n)
                return root ? variance.squareRoot() : variance
            }
            return Column(type: .float64, count: groupCount, validity: validity, storage: .float64(values))
        }
        guard case .numeric(_, let resultScale?) = resultType else {
            preconditionFailure("variance result has a fixed scale")
        }
        var values = [Int128](repeating: 0, count: groupCount)
        for group in 0..<groupCount where seen[group] != 0 {
            let n = Int128(counts[group])
            let (scaledSquares, o1) = n.multipliedReportingOverflow(by: exactSquares[group])
            let (squaredSum, o2) = exactSums[group].multipliedReportingOverflow(by: exactSums[group])
            guard !o1, !o2 else { throw EngineError(.numericValueOutOfRange, "numeric value out of range") }
            let numerator = scaledSquares - squaredSum
            let denominator = n * (sample ? n - 1 : n)
            let variance = try DecimalDivision.scaledQuotient(
                numerator, denominator, extraDigits: resultScale - 2 * inputScale)
            if root {
                let unit = Double(DecimalDivision.powerOfTen(resultScale))
                values[group] = Int128(((Double(variance) / unit).squareRoot() * unit).rounded())
            } else {
                values[group] = variance
            }
        }
        return Column(type: resultType, count: groupCount, validity: validity, storage: .decimal(values))
    }
}
