import Engine

/// Moves WHERE conjuncts to where they first can be evaluated: a conjunct reading one side of an
/// inner (or cross) join goes into that side, one reading both sides becomes part of the join
/// condition, so `FROM orders, lineitem WHERE o_orderkey = l_orderkey` is a hash join, not a
/// filtered cross product.
enum PushDownFilters {
    static func apply(_ plan: LogicalPlan) -> LogicalPlan {
        switch plan {
        case .singleRow, .values, .generateSeries, .scan:
            return plan
        case .filter(let input, let predicate):
            return push(JoinCondition.conjuncts(predicate).flatMap(hoistCommonConjuncts), into: apply(input))
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
        case .join(let left, let right, let kind, let condition):
            let (left, right) = (apply(left), apply(right))
            guard kind == .inner || kind == .cross, let condition else {
                return .join(left: left, right: right, kind: kind, condition: condition)
            }
            // An inner join's own condition can be pushed like a WHERE clause.
            return push(JoinCondition.conjuncts(condition), into: .join(left: left, right: right, kind: .inner, condition: nil))
        }
    }

    /// `plan` filtered by `conjuncts`, each placed as deep as it can go.
    static func push(_ conjuncts: [Expression], into plan: LogicalPlan) -> LogicalPlan {
        guard !conjuncts.isEmpty else { return plan }
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
            let join = LogicalPlan.join(left: push(leftOnly, into: left), right: right, kind: kind, condition: condition)
            return rest.isEmpty ? join : .filter(join, predicate: conjunction(rest))
        }
        let leftWidth = left.outputTypes.count
        var leftConjuncts: [Expression] = []
        var rightConjuncts: [Expression] = []
        var joinConjuncts = JoinCondition.conjuncts(condition)
        for conjunct in conjuncts {
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

    /// `(a AND b) OR (a AND c)` as `a` and `b OR c`, so a join condition repeated in every branch
    /// of an OR (TPC-H Q19) is found and the join becomes a hash join.
    static func hoistCommonConjuncts(_ expression: Expression) -> [Expression] {
        guard case .or(let branches) = expression, branches.count > 1 else { return [expression] }
        let branchConjuncts = branches.map { JoinCondition.conjuncts($0) }
        let common = branchConjuncts[0].filter { candidate in
            branchConjuncts.dropFirst().allSatisfy { conjuncts in conjuncts.contains { $0.isSame(as: candidate) } }
        }
        guard !common.isEmpty else { return [expression] }
        let remaining = branchConjuncts.map { conjuncts in conjuncts.filter { conjunct in !common.contains { $0.isSame(as: conjunct) } } }
        // A branch left with nothing is true, and so is the whole OR.
        if remaining.contains(where: \.isEmpty) { return common }
        return common + [.or(remaining.map(conjunction))]
    }

    static func conjunction(_ conjuncts: [Expression]) -> Expression {
        conjuncts.count == 1 ? conjuncts[0] : .and(conjuncts)
    }
}
