import Engine

/// Evaluates, once while planning, every subexpression that reads no column, parameter, setting,
/// clock or catalog — `0.06 - 0.01`, `date '1998-12-01' - interval '90' day` — so operators do not
/// compute it again for each batch. An expression whose evaluation fails (`1 / 0`) is left as it
/// is: it fails when run, as it would have, and only if it is reached.
///
/// An operator, cast or strict function with a NULL constant operand is NULL, whatever its other operand: that one is
/// not computed at all (PostgreSQL folds strict operators over a NULL constant the same way, so
/// `x::int2 <> NULL` cannot fail on an `x` out of range there either).
enum FoldConstants {
    static func apply(_ plan: LogicalPlan) -> LogicalPlan {
        plan.mappingExpressions(fold)
    }

    static func fold(_ expression: Expression) -> Expression {
        let folded = expression.mappingChildren(fold)
        if isStrictOperator(folded), hasNullConstantChild(folded) { return .constant(.null, folded.type) }
        guard isFoldable(folded) else { return folded }
        do {
            let column = try ExpressionEvaluator(context: EvaluationContext()).evaluate(
                folded, on: Batch(columns: [], rowCount: 1))
            return .constant(column.value(at: 0), folded.type)
        } catch {
            return folded
        }
    }

    /// Operators whose result is NULL whenever an operand is.
    private static func isStrictOperator(_ expression: Expression) -> Bool {
        switch expression {
        case .arithmetic, .negate, .comparison, .cast: return true
        case .function(let function, _): return function.isStrict
        default: return false
        }
    }

    private static func hasNullConstantChild(_ expression: Expression) -> Bool {
        var found = false
        _ = expression.mappingChildren { child in
            if case .constant(.null, _) = child { found = true }
            return child
        }
        return found
    }

    /// True when every child is a constant and the node's result depends on them alone.
    private static func isFoldable(_ expression: Expression) -> Bool {
        var children: [Expression] = []
        _ = expression.mappingChildren { child in
            children.append(child)
            return child
        }
        guard children.allSatisfy({ if case .constant = $0 { true } else { false } }) else { return false }
        switch expression {
        case .column, .constant, .parameter: return false
        case .arithmetic, .negate, .comparison, .and, .or, .not, .isNull, .caseWhen: return !children.isEmpty
        case .cast(let operand, let target): return isImmutableCast(from: operand.type, to: target)
        case .function(let function, _): return function.isImmutable
        }
    }

    /// Casts among numbers, booleans, dates, timestamps without time zone and intervals. Casts to or
    /// from text follow settings (DateStyle, extra_float_digits), those with time zones the session's
    /// zone, and the `reg*` types the catalogs.
    private static func isImmutableCast(from source: DataType, to target: DataType) -> Bool {
        func plain(_ type: DataType) -> Bool {
            switch type {
            case .boolean, .int16, .int32, .int64, .float32, .float64, .numeric, .date, .timestamp, .interval, .time:
                return true
            default: return false
            }
        }
        return plain(source) && plain(target)
    }
}
