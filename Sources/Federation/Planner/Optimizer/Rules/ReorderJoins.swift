import Engine

/// Chooses the order of inner and cross joins. The largest table is probed; the others are joined
/// one at a time, each time picking, among the inputs tied to those already joined by an equality
/// (a hash-join key), the one whose own filters keep the smallest share of its table — joining a
/// filtered dimension early shrinks every later join's probe side, as with a foreign key. Inputs
/// with no such tie come last, smallest first. The original column order is restored on top.
///
/// Sizes come from table statistics (Iceberg's `total-records`), scaled down by a fixed factor per
/// filter condition; this is a heuristic until per-column statistics drive selectivity.
enum ReorderJoins {
    static func apply(_ plan: LogicalPlan) -> LogicalPlan {
        switch plan {
        case .join(_, _, let kind, _) where kind == .inner || kind == .cross:
            var group = JoinGroup()
            group.flatten(plan, offset: 0)
            guard group.leaves.count > 2 else { return rebuildChildren(plan) }
            return group.reordered()
        default:
            return rebuildChildren(plan)
        }
    }

    /// The plan with `apply` run on its inputs.
    private static func rebuildChildren(_ plan: LogicalPlan) -> LogicalPlan {
        switch plan {
        case .singleRow, .values, .generateSeries, .unnest, .scan, .workTableScan: return plan
        case .recursiveUnion(let anchor, let recursive, let workTable, let distinct):
            return .recursiveUnion(
                anchor: apply(anchor), recursive: apply(recursive), workTable: workTable, distinct: distinct)
        case .filter(let input, let predicate): return .filter(apply(input), predicate: predicate)
        case .project(let input, let expressions): return .project(apply(input), expressions: expressions)
        case .limit(let input, let limit, let offset): return .limit(apply(input), limit: limit, offset: offset)
        case .sort(let input, let keys): return .sort(apply(input), keys: keys)
        case .aggregate(let input, let keys, let aggregates):
            return .aggregate(apply(input), groupKeys: keys, aggregates: aggregates)
        case .window(let input, let functions): return .window(apply(input), functions: functions)
        case .union(let inputs): return .union(inputs.map(apply))
        case .apply(let input, let subqueries): return .apply(apply(input), subqueries: subqueries)
        case .lateral(let input, let subquery, let correlation, let preservesInput):
            return .lateral(apply(input), subquery: subquery, correlation: correlation, preservesInput: preservesInput)
        case .projectSet(let input, let calls): return .projectSet(apply(input), calls: calls)
        case .join(let left, let right, let kind, let condition):
            return .join(left: apply(left), right: apply(right), kind: kind, condition: condition)
        }
    }

    /// Estimated rows of the plan's tables before their filters (its size when filters are ignored).
    static func unfilteredRows(_ plan: LogicalPlan) -> Double {
        switch plan {
        case .filter(let input, _), .project(let input, _): return unfilteredRows(input)
        default: return estimatedRows(plan)
        }
    }

    /// Estimated output rows of a plan.
    static func estimatedRows(_ plan: LogicalPlan) -> Double {
        switch plan {
        case .singleRow: return 1
        case .values(let rows, _): return Double(rows.count)
        case .generateSeries: return 1000
        case .unnest: return 10
        case .workTableScan: return 100
        case .recursiveUnion(let anchor, let recursive, _, _):
            return estimatedRows(anchor) + 10 * estimatedRows(recursive)
        case .scan(let table, _, _): return Double(table.estimatedRowCount ?? 100_000)
        case .filter(let input, let predicate):
            return max(1, estimatedRows(input) * pow(0.25, Double(JoinCondition.conjuncts(predicate).count)))
        case .project(let input, _), .sort(let input, _), .limit(let input, _, _), .apply(let input, _),
            .window(let input, _),
            .lateral(let input, _, _, _):
            return estimatedRows(input)
        case .aggregate(let input, let keys, _): return keys.isEmpty ? 1 : max(1, estimatedRows(input) / 10)
        case .union(let inputs): return inputs.reduce(0) { $0 + estimatedRows($1) }
        case .projectSet(let input, _): return estimatedRows(input) * 10
        case .join(let left, let right, let kind, _):
            switch kind {
            case .semi, .anti, .nullAwareAnti: return estimatedRows(left) / 2
            case .cross: return estimatedRows(left) * estimatedRows(right)
            default: return max(estimatedRows(left), estimatedRows(right))
            }
        }
    }

    private static func pow(_ base: Double, _ exponent: Double) -> Double {
        (0..<Int(exponent)).reduce(1.0) { value, _ in value * base }
    }
}

/// The inputs of a tree of inner and cross joins, with every condition over the inputs' columns
/// numbered as in the original tree (inputs side by side, left to right).
private struct JoinGroup {
    struct Leaf {
        let plan: LogicalPlan
        let start: Int
        let width: Int
        let rows: Double
        /// The share of its table the leaf's own filters keep.
        let selectivity: Double
    }

    var leaves: [Leaf] = []
    var conditions: [Expression] = []

    mutating func flatten(_ plan: LogicalPlan, offset: Int) {
        if case .join(let left, let right, let kind, let condition) = plan, kind == .inner || kind == .cross {
            flatten(left, offset: offset)
            flatten(right, offset: offset + left.outputTypes.count)
            for conjunct in JoinCondition.conjuncts(condition) {
                let shift = Dictionary(uniqueKeysWithValues: conjunct.referencedColumns.map { ($0, $0 + offset) })
                conditions.append(conjunct.remappingColumns(shift))
            }
            return
        }
        let optimized = ReorderJoins.apply(plan)
        let rows = ReorderJoins.estimatedRows(optimized)
        leaves.append(
            Leaf(
                plan: optimized, start: offset, width: plan.outputTypes.count, rows: rows,
                selectivity: rows / max(1, ReorderJoins.unfilteredRows(optimized))))
    }

    func leaf(ofColumn column: Int) -> Int {
        leaves.firstIndex { column >= $0.start && column < $0.start + $0.width } ?? 0
    }

    func reordered() -> LogicalPlan {
        let conditionLeaves = conditions.map { Set($0.referencedColumns.map(leaf(ofColumn:))) }
        // For each equality, the leaves on each side, when each side reads exactly one leaf.
        let equalitySides: [(Set<Int>, Set<Int>)?] = conditions.map { condition in
            guard case .comparison(.equal, let lhs, let rhs) = condition else { return nil }
            let left = Set(lhs.referencedColumns.map(leaf(ofColumn:)))
            let right = Set(rhs.referencedColumns.map(leaf(ofColumn:)))
            guard left.count == 1, right.count == 1, left != right else { return nil }
            return (left, right)
        }
        // The probe side is the largest table (the fact table), whatever its filters keep.
        var placed: [Int] = [
            leaves.indices.max {
                (leaves[$0].rows / leaves[$0].selectivity) < (leaves[$1].rows / leaves[$1].selectivity)
            }!
        ]
        var remaining = Set(leaves.indices).subtracting(placed)
        var applied = Set<Int>()
        // Where each original column now sits in the joined row.
        var layout: [Int] = Array(leaves[placed[0]].start..<(leaves[placed[0]].start + leaves[placed[0]].width))
        var plan = leaves[placed[0]].plan
        while !remaining.isEmpty {
            let placedSet = Set(placed)
            let connected = remaining.filter { candidate in
                equalitySides.contains { sides in
                    guard let (left, right) = sides else { return false }
                    return (left == [candidate] && right.isSubset(of: placedSet))
                        || (right == [candidate] && left.isSubset(of: placedSet))
                }
            }
            let next: Int
            if connected.isEmpty {
                next = remaining.min { (leaves[$0].rows, $0) < (leaves[$1].rows, $1) }!
            } else {
                next = connected.min {
                    (leaves[$0].selectivity, leaves[$0].rows, $0) < (leaves[$1].selectivity, leaves[$1].rows, $1)
                }!
            }
            let leaf = leaves[next]
            let nextLayout = layout + Array(leaf.start..<(leaf.start + leaf.width))
            let position = Dictionary(uniqueKeysWithValues: nextLayout.enumerated().map { ($0.element, $0.offset) })
            let nowCovered = placedSet.union([next])
            var joinConditions: [Expression] = []
            for (index, leavesOfCondition) in conditionLeaves.enumerated()
            where !applied.contains(index) && leavesOfCondition.isSubset(of: nowCovered) {
                joinConditions.append(conditions[index].remappingColumns(position))
                applied.insert(index)
            }
            plan = .join(
                left: plan, right: leaf.plan, kind: joinConditions.isEmpty ? .cross : .inner,
                condition: joinConditions.isEmpty
                    ? nil : joinConditions.count == 1 ? joinConditions[0] : .and(joinConditions))
            placed.append(next)
            remaining.remove(next)
            layout = nextLayout
        }
        let position = Dictionary(uniqueKeysWithValues: layout.enumerated().map { ($0.element, $0.offset) })
        let leftover = conditions.indices.filter { !applied.contains($0) }.map {
            conditions[$0].remappingColumns(position)
        }
        if !leftover.isEmpty { plan = .filter(plan, predicate: leftover.count == 1 ? leftover[0] : .and(leftover)) }
        let types = layout.map { column in
            leaves[leaf(ofColumn: column)].plan.outputTypes[column - leaves[leaf(ofColumn: column)].start]
        }
        let restore = (0..<layout.count).map { column in
            Expression.column(index: position[column]!, type: types[position[column]!])
        }
        return .project(plan, expressions: restore)
    }
}
