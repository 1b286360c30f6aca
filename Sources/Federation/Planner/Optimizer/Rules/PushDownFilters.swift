import Engine

/// Moves WHERE conjuncts to where they first can be evaluated: a conjunct reading one side of an
/// inner (or cross) join goes into that side, one reading both sides becomes part of the join
/// condition, so `FROM orders, lineitem WHERE o_orderkey = l_orderkey` is a hash join, not a
/// filtered cross product. A filter no row can pass (`WHERE false`) replaces its input by no rows.
enum PushDownFilters {
    static func apply(_ plan: LogicalPlan) -> LogicalPlan {
        switch plan {
        case .recursiveUnion(let anchor, let recursive, let workTable, let distinct):
            return .recursiveUnion(
                anchor: apply(anchor), recursive: apply(recursive), workTable: workTable, distinct: distinct)
        case .singleRow, .values, .generateSeries, .unnest, .scan, .workTableScan:
            return plan
        case .filter(let input, let predicate):
            let conjuncts = JoinCondition.conjuncts(predicate)
            if conjuncts.contains(where: isNeverTrue) {
                // No row can pass (WHERE false, HAVING NULL): the input is never run, as under
                // PostgreSQL's one-time filter.
                return .values(rows: [], types: input.outputTypes)
            }
            return push(conjuncts.flatMap(hoistCommonConjuncts), into: apply(input))
        case .project(let input, let expressions):
            return .project(apply(input), expressions: expressions)
        case .limit(let input, let limit, let offset):
            return .limit(apply(input), limit: limit, offset: offset)
        case .sort(let input, let keys):
            return .sort(apply(input), keys: keys)
        case .union(let inputs):
            return .union(inputs.map(apply))
        case .aggregate(let input, let keys, let aggregates):
            return .aggregate(apply(input), groupKeys: keys, aggregates: aggregates)
        case .apply(let input, let subqueries):
            return .apply(apply(input), subqueries: subqueries)
        case .lateral(let input, let subquery, let correlation, let preservesInput):
            return .lateral(apply(input), subquery: subquery, correlation: correlation, preservesInput: preservesInput)
        case .projectSet(let input, let calls):
            return .projectSet(apply(input), calls: calls)
        case .window(let input, let functions):
            // A filter above a window stays there: removing rows below it would change what the
            // functions see.
            return .window(apply(input), functions: functions)
        case .join(let left, let right, let kind, let condition):
            let (left, right) = (apply(left), apply(right))
            if kind == .semi || kind == .anti || kind == .nullAwareAnti,
                let pushed = pushSemiJoin(left: left, right: right, kind: kind, condition: condition)
            {
                return pushed
            }
            if kind == .left, let condition {
                // A LEFT JOIN's ON conditions on the right side alone decide which right rows can
                // match, so they filter the right input before the join.
                let leftWidth = left.outputTypes.count
                let (rightOnly, rest) = JoinCondition.conjuncts(condition).partitioned { conjunct in
                    let columns = conjunct.referencedColumns
                    return !columns.isEmpty && columns.allSatisfy { $0 >= leftWidth }
                }
                guard !rightOnly.isEmpty else {
                    return .join(left: left, right: right, kind: kind, condition: condition)
                }
                let shifted = rightOnly.map { conjunct in
                    conjunct.remappingColumns(
                        Dictionary(uniqueKeysWithValues: conjunct.referencedColumns.map { ($0, $0 - leftWidth) }))
                }
                return .join(
                    left: left, right: push(shifted, into: right), kind: kind,
                    condition: rest.isEmpty ? nil : conjunction(rest))
            }
            guard kind == .inner || kind == .cross, let condition else {
                return .join(left: left, right: right, kind: kind, condition: condition)
            }
            // An inner join's own condition can be pushed like a WHERE clause.
            return push(
                JoinCondition.conjuncts(condition), into: .join(left: left, right: right, kind: .inner, condition: nil))
        }
    }

    /// `plan` filtered by `conjuncts`, each placed as deep as it can go.
    /// A constant FALSE or NULL condition.
    static func isNeverTrue(_ conjunct: Expression) -> Bool {
        switch conjunct {
        case .constant(.bool(false), _), .constant(.null, _): return true
        default: return false
        }
    }

    static func push(_ conjuncts: [Expression], into plan: LogicalPlan) -> LogicalPlan {
        guard !conjuncts.isEmpty else { return plan }
        if case .lateral(let input, let subquery, let correlation, let preservesInput) = plan {
            // Conditions on the input's columns alone filter the rows before the subquery runs for them.
            let inputWidth = input.outputTypes.count
            let (inputOnly, rest) = conjuncts.partitioned { conjunct in
                let columns = conjunct.referencedColumns
                return !columns.isEmpty && columns.allSatisfy { $0 < inputWidth }
            }
            let lateral = LogicalPlan.lateral(
                push(inputOnly, into: input), subquery: subquery, correlation: correlation,
                preservesInput: preservesInput)
            return rest.isEmpty ? lateral : .filter(lateral, predicate: conjunction(rest))
        }
        guard case .join(let left, let right, let kind, let condition) = plan else {
            return .filter(plan, predicate: conjunction(conjuncts))
        }
        guard kind == .inner || kind == .cross else {
            // Above a left, semi or anti join, conditions on the left (preserved) side alone can still
            // filter that side first; the rest stays above the join.
            guard kind == .left || kind == .semi || kind == .anti || kind == .nullAwareAnti else {
                return .filter(plan, predicate: conjunction(conjuncts))
            }
            let leftWidth = left.outputTypes.count
            let leftOnly = conjuncts.filter { conjunct in
                let columns = conjunct.referencedColumns
                return !columns.isEmpty && columns.allSatisfy { $0 < leftWidth }
            }
            let rest = conjuncts.filter { conjunct in !leftOnly.contains { $0.isSame(as: conjunct) } }
            let join = LogicalPlan.join(
                left: push(leftOnly, into: left), right: right, kind: kind, condition: condition)
            return rest.isEmpty ? join : .filter(join, predicate: conjunction(rest))
        }
        let leftWidth = left.outputTypes.count
        var leftConjuncts: [Expression] = []
        var rightConjuncts: [Expression] = []
        var joinConjuncts = JoinCondition.conjuncts(condition)
        for conjunct in conjuncts {
            // An OR across both sides still restricts each side when every branch does.
            for (restriction, isLeft) in [
                (derivedRestriction(conjunct, leftWidth: leftWidth, left: true), true),
                (derivedRestriction(conjunct, leftWidth: leftWidth, left: false), false),
            ] {
                guard let restriction else { continue }
                if isLeft {
                    leftConjuncts.append(restriction)
                } else {
                    let shift = Dictionary(
                        uniqueKeysWithValues: restriction.referencedColumns.map { ($0, $0 - leftWidth) })
                    rightConjuncts.append(restriction.remappingColumns(shift))
                }
            }
            let columns = conjunct.referencedColumns
            if !columns.isEmpty, columns.allSatisfy({ $0 < leftWidth }) {
                leftConjuncts.append(conjunct)
            } else if !columns.isEmpty, columns.allSatisfy({ $0 >= leftWidth }) {
                let shift = Dictionary(uniqueKeysWithValues: columns.map { ($0, $0 - leftWidth) })
                rightConjuncts.append(conjunct.remappingColumns(shift))
            } else {
                joinConjuncts.append(conjunct)
            }
        }
        return .join(
            left: push(leftConjuncts, into: left), right: push(rightConjuncts, into: right),
            kind: joinConjuncts.isEmpty ? .cross : .inner,
            condition: joinConjuncts.isEmpty ? nil : conjunction(joinConjuncts))
    }

    /// For an OR reading both sides of a join, the OR of each branch's conditions on one side alone
    /// (`(n1 = 'FRANCE' AND n2 = 'GERMANY') OR (n1 = 'GERMANY' AND n2 = 'FRANCE')` restricts n1 to
    /// FRANCE or GERMANY): implied by the OR, so it may filter that side early. Nil when some branch
    /// says nothing about that side alone.
    static func derivedRestriction(_ expression: Expression, leftWidth: Int, left: Bool) -> Expression? {
        guard case .or(let branches) = expression else { return nil }
        let columns = expression.referencedColumns
        guard columns.contains(where: { $0 < leftWidth }), columns.contains(where: { $0 >= leftWidth }) else {
            return nil
        }
        var parts: [Expression] = []
        for branch in branches {
            let onSide = JoinCondition.conjuncts(branch).filter { conjunct in
                let referenced = conjunct.referencedColumns
                return !referenced.isEmpty && referenced.allSatisfy { left ? $0 < leftWidth : $0 >= leftWidth }
            }
            guard !onSide.isEmpty else { return nil }
            parts.append(conjunction(onSide))
        }
        return .or(parts)
    }

    /// A semi or anti join whose condition reads, on its left, only columns of one input of an inner
    /// join below it, moved onto that input: `o_orderkey IN (...)` filters orders before they meet
    /// lineitem (TPC-H Q18).
    ///
    /// Only a semi join over a small subquery result moves: then it cheaply shrinks what the joins
    /// above see. Over a large one (TPC-H Q21's EXISTS on all of lineitem) it is cheaper to probe
    /// with the few rows left after the other joins.
    static func pushSemiJoin(left: LogicalPlan, right: LogicalPlan, kind: LogicalPlan.JoinType, condition: Expression?)
        -> LogicalPlan?
    {
        guard case .join(let innerLeft, let innerRight, let innerKind, let innerCondition) = left,
            innerKind == .inner || innerKind == .cross, let condition,
            ReorderJoins.estimatedRows(right) * 4 < ReorderJoins.estimatedRows(left)
        else { return nil }
        let leftWidth = left.outputTypes.count
        let innerLeftWidth = innerLeft.outputTypes.count
        let probeColumns = condition.referencedColumns.filter { $0 < leftWidth }
        guard !probeColumns.isEmpty else { return nil }
        if probeColumns.allSatisfy({ $0 < innerLeftWidth }) {
            // Right-side columns move down by the width of innerRight, which the semi join no longer sees.
            let shift = Dictionary(
                uniqueKeysWithValues: condition.referencedColumns.map {
                    ($0, $0 < leftWidth ? $0 : $0 - (leftWidth - innerLeftWidth))
                })
            let pushed = apply(
                .join(left: innerLeft, right: right, kind: kind, condition: condition.remappingColumns(shift)))
            return .join(left: pushed, right: innerRight, kind: innerKind, condition: innerCondition)
        }
        if probeColumns.allSatisfy({ $0 >= innerLeftWidth }) {
            // innerRight's columns and the semi join's right side both move down by innerLeft's width.
            let shift = Dictionary(uniqueKeysWithValues: condition.referencedColumns.map { ($0, $0 - innerLeftWidth) })
            let pushed = apply(
                .join(left: innerRight, right: right, kind: kind, condition: condition.remappingColumns(shift)))
            return .join(left: innerLeft, right: pushed, kind: innerKind, condition: innerCondition)
        }
        return nil
    }

    /// `(a AND b) OR (a AND c)` as `a` and `b OR c`, so a join condition repeated in every branch
    /// of an OR (TPC-H Q19) is found and the join becomes a hash join.
    static func hoistCommonConjuncts(_ expression: Expression) -> [Expression] {
        guard case .or(let branches) = expression, branches.count > 1 else { return [expression] }
        let branchConjuncts = branches.map { JoinCondition.conjuncts($0) }
        let common = branchConjuncts[0].filter { candidate in
            branchConjuncts.dropFirst().allSatisfy { conjuncts in conjuncts.contains { $0.isSame(as: candidate) } }
        }
        guard !common.isEmpty else { return [expression] }
        let remaining = branchConjuncts.map { conjuncts in
            conjuncts.filter { conjunct in !common.contains { $0.isSame(as: conjunct) } }
        }
        // A branch left with nothing is true, and so is the whole OR.
        if remaining.contains(where: \.isEmpty) { return common }
        return common + [.or(remaining.map(conjunction))]
    }

    static func conjunction(_ conjuncts: [Expression]) -> Expression {
        conjuncts.count == 1 ? conjuncts[0] : .and(conjuncts)
    }
}
