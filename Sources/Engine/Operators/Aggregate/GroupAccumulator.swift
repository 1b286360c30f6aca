/// The state of one aggregate for every group, kept as columnar arrays indexed by group id.
///
/// The operator calls each method once per batch (never per row); implementations run one typed loop
/// over the batch's argument buffers. Group ids are dense, `0..<groupCount`, and only grow.
protocol GroupAccumulator: AnyObject {
    /// Adds rows: row `i` of `arguments` (and `orderKeys`) belongs to group `groupIds[i]`.
    func update(groupIds: [Int32], arguments: [Column], orderKeys: [Column], groupCount: Int) throws(EngineError)
    /// Adds partial states (columns as `AggregateCall.stateTypes` describes) into the groups' states.
    func merge(groupIds: [Int32], states: [Column], groupCount: Int) throws(EngineError)
    /// The partial states of groups `0..<groupCount`.
    func states(groupCount: Int) throws(EngineError) -> [Column]
    /// The final values of groups `0..<groupCount`.
    func finish(groupCount: Int) throws(EngineError) -> Column
    /// Bytes of state held, for memory accounting.
    var approximateBytes: Int { get }
}

extension GroupAccumulator {
    func merge(groupIds: [Int32], states: [Column], groupCount: Int) throws(EngineError) {
        throw EngineError(.internalError, "aggregate cannot merge partial states")
    }

    func states(groupCount: Int) throws(EngineError) -> [Column] {
        throw EngineError(.internalError, "aggregate has no partial state")
    }
}

enum GroupAccumulators {
    /// The accumulator computing `call` (in complete or partial mode; final mode merges into the same kind).
    static func make(_ call: AggregateCall) throws(EngineError) -> any GroupAccumulator {
        let input = call.inputTypes.first
        if call.distinct || !call.function.isDecomposable {
            return try CollectingAccumulator(call)
        }
        switch call.function {
        case .countStar: return CountAccumulator(countsNulls: true)
        case .count: return CountAccumulator(countsNulls: false)
        case .sum: return SumAccumulator(input: input!, resultType: call.resultType, averaging: false)
        case .avg: return SumAccumulator(input: input!, resultType: call.resultType, averaging: true)
        case .min: return MinMaxAccumulator(type: call.resultType, isMax: false)
        case .max: return MinMaxAccumulator(type: call.resultType, isMax: true)
        case .boolAnd, .every: return BoolAccumulator(isAnd: true)
        case .boolOr: return BoolAccumulator(isAnd: false)
        case .varSamp, .varPop, .stddevSamp, .stddevPop:
            return VarianceAccumulator(function: call.function, input: input!, resultType: call.resultType)
        case .stringAgg, .arrayAgg, .percentileCont, .percentileDisc, .mode:
            return try CollectingAccumulator(call)
        }
    }
}

/// Arrays that grow with the group count, filled with a starting value.
extension Array {
    @inline(__always)
    mutating func grow(to count: Int, with value: Element) {
        if self.count < count { append(contentsOf: repeatElement(value, count: count - self.count)) }
    }
}

/// Exact decimal division with PostgreSQL's rounding (half away from zero).
enum DecimalDivision {
    /// `numerator × 10^extraDigits / denominator`, rounded, computed digit by digit so the intermediate
    /// never needs more range than the result. Throws `22003` when the result does not fit.
    static func scaledQuotient(_ numerator: Int128, _ denominator: Int128, extraDigits: Int) throws(EngineError)
        -> Int128
    {
        let negative = (numerator < 0) != (denominator < 0)
        let n = numerator.magnitude
        var d = denominator.magnitude
        if extraDigits >= 0, extraDigits < 38 {
            let (scaled, overflow) = n.multipliedReportingOverflow(by: UInt128(powerOfTen(extraDigits)))
            if !overflow {
                var quotient = scaled / d
                if scaled % d >= d - scaled % d { quotient += 1 }
                guard quotient <= UInt128(Int128.max) else {
                    throw EngineError(.numericValueOutOfRange, "numeric value out of range")
                }
                return negative ? -Int128(quotient) : Int128(quotient)
            }
        }
        for _ in 0..<Swift.max(-extraDigits, 0) {
            let (next, overflow) = d.multipliedReportingOverflow(by: 10)
            // A denominator past 2^128 is more than twice any numerator: the quotient rounds to 0.
            guard !overflow else { return 0 }
            d = next
        }
        var quotient = n / d
        var remainder = n % d
        for _ in 0..<Swift.max(extraDigits, 0) {
            remainder *= 10
            let (scaled, overflow) = quotient.multipliedReportingOverflow(by: 10)
            guard !overflow else { throw EngineError(.numericValueOutOfRange, "numeric value out of range") }
            quotient = scaled + remainder / d
            remainder %= d
        }
        if remainder >= d - remainder { quotient += 1 }
        guard quotient <= UInt128(Int128.max) else {
            throw EngineError(.numericValueOutOfRange, "numeric value out of range")
        }
        return negative ? -Int128(quotient) : Int128(quotient)
    }

    static func powerOfTen(_ exponent: Int) -> Int128 {
        exponent < powersOfTen.count
            ? powersOfTen[exponent] : powersOfTen[powersOfTen.count - 1] * powerOfTen(exponent - 38)
    }

    /// 10^0 ... 10^38.
    private static let powersOfTen: [Int128] = {
        var powers: [Int128] = [1]
        for _ in 1...38 { powers.append(powers[powers.count - 1] * 10) }
        return powers
    }()
}
