import Engine

/// Evaluates, once while planning, every subexpression that reads no column, parameter, setting,
/// clock or catalog — `0.06 - 0.01`, `date '1998-12-01' - interval '90' day` — so operators do not
/// compute it again for each batch. An expression whose evaluation fails (`1 / 0`) is left as it
/// is: it fails when run, as it would have, and only if it is reached.
///
/// An operator, cast or strict function with a NULL constant operand is NULL, whatever its other
/// operand: that one is not computed at all. Constant conditions settle CASE branches, AND and OR
/// (`x AND false` is false), and COALESCE stops at a constant that is not NULL. PostgreSQL simplifies
/// all of these the same way while planning, so `x::int2 <> NULL` or `CASE WHEN NULL THEN x END - (x + 1)`
/// cannot fail on an `x` out of range there either.
enum FoldConstants {
    static func apply(_ plan: LogicalPlan) -> LogicalPlan {
        plan.mappingExpressions(roles: { expression, role in
            role == .condition ? simplifiedCondition(fold(expression)) : fold(expression)
        })
    }

    /// A condition where NULL counts as false (WHERE, JOIN ON, HAVING), simplified as such:
    /// a constant NULL or false operand makes an AND false and is dropped from an OR, through
    /// nested ANDs and ORs (not under NOT, where NULL and false differ). PostgreSQL's planner
    /// simplifies quals the same way, so `x BETWEEN SYMMETRIC NULL AND y - 2147483647` is false
    /// without computing `y - 2147483647` on either system.
    static func simplifiedCondition(_ expression: Expression) -> Expression {
        let never: Expression = .constant(.bool(false), .boolean)
        func isNullOrFalse(_ operand: Expression) -> Bool {
            operand.isConstant(.null) || operand.isConstant(.bool(false))
        }
        switch expression {
        case .constant(.null, _):
            return never
        case .and(let operands):
            let simplifiedOperands = operands.map(simplifiedCondition)
            if simplifiedOperands.contains(where: isNullOrFalse) { return never }
            return simplified(.and(simplifiedOperands))
        case .or(let operands):
            let kept = operands.map(simplifiedCondition).filter { !isNullOrFalse($0) }
            if kept.isEmpty { return never }
            return simplified(kept.count == 1 ? kept[0] : .or(kept))
        default:
            return expression
        }
    }

    static func fold(_ expression: Expression) -> Expression {
        let folded = simplified(expression.mappingChildren(fold))
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

    /// CASE, AND, OR and COALESCE with the operands their constant operands make irrelevant removed.
    private static func simplified(_ expression: Expression) -> Expression {
        switch expression {
        case .caseWhen(let branches, let otherwise, let type):
            var kept: [(condition: Expression, result: Expression)] = []
            for branch in branches {
                guard case .constant(let value, _) = branch.condition else {
                    kept.append(branch)
                    continue
                }
                // A branch whose condition is always true ends the CASE; one never true is dropped.
                if value == .bool(true) {
                    return kept.isEmpty ? branch.result : .caseWhen(kept, otherwise: branch.result, resultType: type)
                }
            }
            if kept.isEmpty { return otherwise ?? .constant(.null, type) }
            return kept.count == branches.count ? expression : .caseWhen(kept, otherwise: otherwise, resultType: type)
        case .and(let operands), .or(let operands):
            let isAnd: Bool
            if case .and = expression { isAnd = true } else { isAnd = false }
            // FALSE decides an AND and TRUE an OR; TRUE in an AND (FALSE in an OR) changes nothing.
            if operands.contains(where: { $0.isConstant(.bool(!isAnd)) }) { return .constant(.bool(!isAnd), .boolean) }
            let rest = operands.filter { !$0.isConstant(.bool(isAnd)) }
            if rest.isEmpty { return .constant(.bool(isAnd), .boolean) }
            if rest.count == 1 { return rest[0] }
            return rest.count == operands.count ? expression : (isAnd ? .and(rest) : .or(rest))
        case .function(let function, let arguments) where function.evaluatesArgumentsInTurn:
            var kept: [Expression] = []
            for argument in arguments {
                if argument.isConstant(.null) { continue }
                kept.append(argument)
                if case .constant = argument { break }
            }
            if kept.isEmpty { return .constant(.null, function.resultType) }
            if kept.count == 1 { return kept[0] }
            return kept.count == arguments.count ? expression : .function(function, kept)
        default:
            return expression
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

extension Expression {
    /// True for the constant `value`.
    fileprivate func isConstant(_ value: Value) -> Bool {
        if case .constant(let constant, _) = self { return constant == value }
        return false
    }
}
