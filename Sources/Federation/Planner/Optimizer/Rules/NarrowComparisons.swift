import Engine

/// Compares a column with a constant in the column's own type when the binder widened the column
/// to the constant's: `l_discount >= 0.05` compares `numeric(15,2)` values with `5` at scale 2
/// instead of converting every value to per-value-scale numeric, and `l_shipdate < date '1995-01-01'
/// + interval '1' month` compares dates with a date instead of converting every date to a
/// timestamp. The rewritten comparison gives the same answer for every value.
enum NarrowComparisons {
    static func apply(_ plan: LogicalPlan) -> LogicalPlan {
        plan.mappingExpressions { $0.replacing(narrowed) }
    }

    static func narrowed(_ expression: Expression) -> Expression? {
        guard case .comparison(let op, let lhs, let rhs) = expression else { return nil }
        return narrow(op, lhs, rhs) ?? narrow(op.flipped, rhs, lhs)
    }

    /// `cast(column) op constant` in the column's type, or nil when that is not exact.
    private static func narrow(_ op: ComparisonOperator, _ operand: Expression, _ constant: Expression) -> Expression? {
        guard case .cast(let inner, let wideType) = operand, case .constant(let value, let constantType) = constant,
            !value.isNull
        else { return nil }
        switch (inner.type, wideType, constantType, value) {
        case (.numeric(_, let scale?), .numeric, .numeric(_, let constantScale), .decimal(let raw)):
            let (digits, digitsScale) =
                constantScale.map { (raw, $0) } ?? (ScaledDecimal(packed: raw).digits, ScaledDecimal(packed: raw).scale)
            guard let rescaled = exactlyRescaled(digits, from: digitsScale, to: scale) else { return nil }
            return .comparison(op, inner, .constant(.decimal(rescaled), inner.type))
        case (.date, .timestamp, .timestamp, .int64(let micros)):
            let (days, remainder) = micros.floorDividedAndRemainder(by: CivilDate.microsecondsPerDay)
            let exact = remainder == 0
            // A date is midnight: below a timestamp within a day means at most that day.
            let bound: Int64
            switch op {
            case .less, .greaterOrEqual: bound = exact ? days : days + 1
            case .lessOrEqual, .greater: bound = days
            case .equal, .notEqual:
                guard exact else { return nil }
                bound = days
            }
            guard let day = Int32(exactly: bound) else { return nil }
            return .comparison(op, inner, .constant(.int32(day), .date))
        default:
            return nil
        }
    }

    /// `digits` at `source` scale written at `target` scale, or nil when digits would be lost or
    /// the value would overflow.
    private static func exactlyRescaled(_ digits: Int128, from source: Int, to target: Int) -> Int128? {
        var result = digits
        if target >= source {
            for _ in source..<target {
                let (product, overflow) = result.multipliedReportingOverflow(by: 10)
                guard !overflow else { return nil }
                result = product
            }
            return result
        }
        for _ in target..<source {
            let (quotient, remainder) = result.quotientAndRemainder(dividingBy: 10)
            guard remainder == 0 else { return nil }
            result = quotient
        }
        return result
    }
}

extension ComparisonOperator {
    /// The operator with its operands swapped: `a < b` is `b > a`.
    var flipped: ComparisonOperator {
        switch self {
        case .equal, .notEqual: return self
        case .less: return .greater
        case .lessOrEqual: return .greaterOrEqual
        case .greater: return .less
        case .greaterOrEqual: return .lessOrEqual
        }
    }
}
